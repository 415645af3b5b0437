# METADATA
# title: Coverage: what the estimate could not see
# description: |
#   A guardrail must not pass what it cannot see. Reports, per reason: each module that could
#   not be loaded (address, source, why: its resources are missing from the figures); each
#   resource or module whose count/for_each is unknown until apply; one summary of the
#   resources that are not priced (how many, their types, and for a resource priced only in
#   other regions what it could be about in the nearest one); one summary of the resources
#   priced but with a part left out (a root volume whose size comes from the image).
#   Nothing is reported when everything is loaded and priced.
#   Configure under [policies.coverage]: levels = {module-not-loaded, unknown-repeat, unpriced,
#   partly-priced} each "deny", "warn", "info" or "off" (default: warn; partly-priced: info).
# custom:
#   id: coverage
#   severity: warn
package costgate.coverage

import rego.v1

cfg := object.get(input, ["config", "policies", "coverage"], {})

# Partly priced resources (a root volume sized by the AMI) are ordinary in a plan that creates
# instances: reported as advice unless configured otherwise.
default_level := {"partly-priced": "info"}

level(reason) := object.get(cfg, ["levels", reason], object.get(default_level, reason, "warn"))

cov := object.get(input, "coverage", {})

gaps := object.get(cov, "gaps", [])

# Integer cents → "$1,234.56" (integer arithmetic only, as in budget.rego).
money(c) := sprintf("$%s.%s", [grouped(floor(c / 100)), two_digits(c % 100)])

grouped(n) := sprintf("%d", [n]) if n < 1000

grouped(n) := sprintf("%d,%s", [floor(n / 1000), three_digits(n % 1000)]) if {
	n >= 1000
	n < 1000000
}

grouped(n) := sprintf("%d,%s,%s", [floor(n / 1000000), three_digits(floor(n / 1000) % 1000), three_digits(n % 1000)]) if n >= 1000000

three_digits(n) := sprintf("%d", [n]) if n >= 100

three_digits(n) := sprintf("0%d", [n]) if {
	n >= 10
	n < 100
}

three_digits(n) := sprintf("00%d", [n]) if n < 10

two_digits(n) := sprintf("%d", [n]) if n >= 10

two_digits(n) := sprintf("0%d", [n]) if n < 10

plural(n, one, many) := one if n == 1

plural(n, one, many) := many if n != 1

# Up to five names, then "and N more".
listed(xs) := concat(", ", xs) if count(xs) <= 5

listed(xs) := sprintf("%s and %d more", [concat(", ", array.slice(xs, 0, 5)), count(xs) - 5]) if count(xs) > 5

source_note(g) := sprintf(" (source `%s`)", [g.source]) if is_string(g.source)

source_note(g) := "" if not is_string(g.source)

nearest_extra := sprintf("; %s", [concat("; ", nearest_notes)]) if count(nearest_notes) > 0

nearest_extra := "" if count(nearest_notes) == 0

loc(x) := {"file": x.location.file, "line": x.location.line} if is_object(x.location)

loc(x) := null if not is_object(x.location)

findings contains f if {
	some g in gaps
	g.kind == "module-not-loaded"
	src := source_note(g)
	f := {
		"reason": "module-not-loaded",
		"address": g.address,
		"msg": sprintf("%s%s could not be loaded: %s; its resources are not in the estimate", [g.address, src, g.reason]),
		"_loc": loc(g),
	}
}

findings contains f if {
	some g in gaps
	g.kind == "unknown-repeat"
	f := {
		"reason": "unknown-repeat",
		"address": g.address,
		"msg": sprintf("%s: %s; how many instances it creates, and their cost, is known only after apply", [g.address, g.reason]),
		"_loc": loc(g),
	}
}

findings contains f if {
	some r in input.resources
	is_string(r.unknown_instances)
	f := {
		"reason": "unknown-repeat",
		"address": r.address,
		"msg": sprintf("%s: %s; how many instances exist, and their cost, is known only after apply", [r.address, r.unknown_instances]),
	}
}

# Unpriced resources other than those with unknown instances (reported above).
unpriced := [r |
	some r in input.resources
	r.priced == false
	r.free == false
	not is_string(r.unknown_instances)
]

nearest_notes := [sprintf("%s could be about %s a month (priced in %s)", [r.address, money(r.nearest_region.monthly_cost_cents), r.nearest_region.region]) |
	some r in unpriced
	is_object(r.nearest_region)
]

findings contains f if {
	n := count(unpriced)
	n > 0
	types := sort({r.type | some r in unpriced})
	addrs := [r.address | some r in unpriced]
	extra := nearest_extra
	f := {
		"reason": "unpriced",
		"address": "",
		"msg": sprintf("%d %s not priced and not in the totals (%s): %s%s", [n, plural(n, "resource is", "resources are"), concat(", ", types), listed(addrs), extra]),
	}
}

partly := [r | some r in input.resources; object.get(r, "partially_priced", false) == true]

findings contains f if {
	n := count(partly)
	n > 0
	types := sort({r.type | some r in partly})
	addrs := [r.address | some r in partly]
	parts := sort({p | some r in partly; some p in r.unpriced_parts})
	f := {
		"reason": "partly-priced",
		"address": "",
		"msg": sprintf("%d %s only partly priced (%s): %s; left out: %s", [n, plural(n, "resource is", "resources are"), concat(", ", types), listed(addrs), concat("; ", parts)]),
	}
}

base(f) := {"policy": "coverage", "address": f.address, "msg": f.msg, "reason": f.reason}

out(f) := object.union(base(f), {"_loc": f._loc}) if is_object(object.get(f, "_loc", null))

out(f) := base(f) if not is_object(object.get(f, "_loc", null))

deny contains out(f) if {
	some f in findings
	level(f.reason) == "deny"
}

warn contains out(f) if {
	some f in findings
	level(f.reason) == "warn"
}

info contains out(f) if {
	some f in findings
	level(f.reason) == "info"
}
