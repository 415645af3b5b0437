# METADATA
# title: Monthly budget
# description: |
#   Denies or warns when the total monthly cost after the change, its increase (absolute or in
#   percent of the cost before), or a single resource's monthly cost passes a threshold;
#   optionally per team (the value of a tag). Thresholds are in currency units; policies
#   compare integer cents, so there is no floating-point noise. Unpriced resources are not in
#   the totals (see `unpriced_count`): whole-plan messages then say what could add to them
#   ("… (1 resource not priced: aws_instance.trainer_fra)").
#   Configure under [policies.budget]: deny = {total_monthly, increase_monthly, increase_pct,
#   resource_monthly}, warn = {...}, team_tag, teams = {"<team>" or "*" = {deny, warn}},
#   scope = "project" (monorepo: total and increase limits apply to each project),
#   basis = "effective" (the default: what this organisation pays, at the price book's
#   prices; the list price when there is no book) or "list".
# custom:
#   id: budget
#   severity: deny
package costgate.budget

import rego.v1

cfg := object.get(input, ["config", "policies", "budget"], {})

team_tag := object.get(cfg, "team_tag", "team")

# Monorepo runs: `scope = "project"` judges each project's totals instead of the run's.
per_project if object.get(cfg, "scope", "total") == "project"

cents(x) := round(x * 100)

# `basis = "list"` judges list prices; otherwise the effective (price book) ones.
list_basis if object.get(cfg, "basis", "effective") == "list"

basis_note := " at list price" if list_basis

basis_note := "" if not list_basis

# Totals and per-resource cents on the configured basis.
before_total(t) := t.monthly_before_list_cents if list_basis

before_total(t) := t.monthly_before_cents if not list_basis

after_total(t) := t.monthly_after_list_cents if list_basis

after_total(t) := t.monthly_after_cents if not list_basis

res_path(side) := ["cost", "list_before_cents"] if {
	list_basis
	side == "before"
}

res_path(side) := ["cost", "list_cents"] if {
	list_basis
	side == "after"
}

res_path(side) := ["monthly_cost_before_cents"] if {
	not list_basis
	side == "before"
}

res_path(side) := ["monthly_cost_cents"] if {
	not list_basis
	side == "after"
}

# Integer cents as "1234.56" (formatted with integers only: no float formatting differences).
# Integer cents → "$1,234.56" (thousands grouped, as in the cost table).
money(c) := sprintf("%s$%s.%s", [sign(c), grouped(floor(abs(c) / 100)), two_digits(abs(c) % 100)])

grouped(n) := sprintf("%d", [n]) if n < 1000

grouped(n) := sprintf("%s,%s", [grouped_thousands(floor(n / 1000)), three_digits(n % 1000)]) if n >= 1000

# Up to 999,999,999 thousands (a quadrillion dollars) without recursion, which Rego forbids.
grouped_thousands(n) := sprintf("%d", [n]) if n < 1000

grouped_thousands(n) := sprintf("%d,%s", [floor(n / 1000), three_digits(n % 1000)]) if {
	n >= 1000
	n < 1000000
}

grouped_thousands(n) := sprintf("%d,%s,%s", [floor(n / 1000000), three_digits(floor(n / 1000) % 1000), three_digits(n % 1000)]) if n >= 1000000

three_digits(n) := sprintf("%d", [n]) if n >= 100

three_digits(n) := sprintf("0%d", [n]) if {
	n >= 10
	n < 100
}

three_digits(n) := sprintf("00%d", [n]) if n < 10

sign(c) := "-" if c < 0

sign(c) := "" if c >= 0

two_digits(n) := sprintf("%d", [n]) if n >= 10

two_digits(n) := sprintf("0%d", [n]) if n < 10

# A ratio in percent with one decimal, e.g. "20.0".
percent(num, den) := sprintf("%d.%d", [floor(t / 10), t % 10]) if t := round((num * 1000) / den)

levels := {"deny", "warn"}

# What the figures leave out, appended to whole-plan messages: " (1 resource not priced:
# aws_instance.trainer_fra; 1 module not loaded: module.gpu)", or "" when nothing is.
unseen_unpriced := object.get(input, ["coverage", "unpriced"], [])

unseen_modules := [g.address | some g in object.get(input, ["coverage", "gaps"], [])]

unseen_parts := array.concat([p | n := count(unseen_unpriced); n > 0; p := sprintf("%d %s not priced: %s", [n, plural(n, "resource", "resources"), first_names(unseen_unpriced)])], [p | n := count(unseen_modules); n > 0; p := sprintf("%d %s: %s", [n, plural(n, "module not loaded or of unknown count", "modules not loaded or of unknown count"), first_names(unseen_modules)])])

plural(n, one, many) := one if n == 1

plural(n, one, many) := many if n != 1

first_names(xs) := concat(", ", xs) if count(xs) <= 3

first_names(xs) := sprintf("%s and %d more", [concat(", ", array.slice(xs, 0, 3)), count(xs) - 3]) if count(xs) > 3

could_add := sprintf(" (%s)", [concat("; ", unseen_parts)]) if count(unseen_parts) > 0

could_add := "" if count(unseen_parts) == 0

# Whole-plan checks: {check, msg} objects for a level's thresholds `t` against before/after cents.
total_msgs(t, label, before, after) := {m |
	limit := cents(t.total_monthly)
	after > limit
	after > before
	m := {"check": "total", "msg": sprintf("%s monthly cost%s would be %s, over the budget of %s%s", [label, basis_note, money(after), money(limit), could_add])}
} | {m |
	limit := cents(t.increase_monthly)
	after - before > limit
	m := {"check": "increase", "msg": sprintf("%s monthly cost%s would rise by %s (%s → %s), over the allowed increase of %s%s", [label, basis_note, money(after - before), money(before), money(after), money(limit), could_add])}
} | {m |
	pct := t.increase_pct
	before > 0
	(after - before) * 100 > pct * before
	m := {"check": "increase_pct", "msg": sprintf("%s monthly cost%s would rise by %s%% (%s → %s), over the allowed %v%%%s", [label, basis_note, percent(after - before, before), money(before), money(after), pct, could_add])}
}

findings(level) := {f |
	not per_project
	t := object.get(cfg, level, {})
	some m in total_msgs(t, "total", before_total(input.totals), after_total(input.totals))
	f := {"policy": "budget", "address": "", "check": m.check, "scope": "total", "msg": m.msg}
} | {f |
	per_project
	t := object.get(cfg, level, {})
	some p in object.get(input, "projects", [])
	label := sprintf("project %s", [p.name])
	some m in total_msgs(t, label, before_total(p.totals), after_total(p.totals))
	f := {"policy": "budget", "address": "", "check": m.check, "scope": label, "msg": m.msg}
} | {f |
	t := object.get(cfg, level, {})
	limit := cents(t.resource_monthly)
	some r in input.resources
	cost := object.get(r, res_path("after"), null)
	is_number(cost)
	cost > limit
	object.get(r, "monthly_delta_cents", 0) > 0
	f := {
		"policy": "budget",
		"address": r.address,
		"check": "resource",
		"scope": "resource",
		"msg": sprintf("%s would cost %s a month%s, over the per-resource limit of %s", [r.address, money(cost), basis_note, money(limit)]),
	}
} | {f |
	some team in teams
	t := object.get(team_limits(team), level, {})
	some m in total_msgs(t, sprintf("team %s", [team]), team_total(team, res_path("before")), team_total(team, res_path("after")))
	f := {"policy": "budget", "address": "", "check": m.check, "scope": team, "msg": m.msg}
}

teams := {v |
	some r in input.resources
	v := r.tags[team_tag]
}

team_limits(team) := cfg.teams[team]

team_limits(team) := cfg.teams["*"] if not cfg.teams[team]

team_total(team, path) := sum([c |
	some r in input.resources
	r.tags[team_tag] == team
	c := object.get(r, path, 0)
	is_number(c)
])

deny contains f if some f in findings("deny")

warn contains f if {
	some f in findings("warn")
	not same_denied(f)
}

# A warning is dropped when a deny already reports the same check on the same scope.
same_denied(f) if {
	some d in findings("deny")
	d.address == f.address
	d.check == f.check
	d.scope == f.scope
}
