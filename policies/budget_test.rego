package costgate.budget_test

import rego.v1

import data.costgate.budget

totals(before, after) := {"monthly_before_cents": before, "monthly_after_cents": after}

inp(cfg, before, after, resources) := {
	"config": {"policies": {"budget": cfg}},
	"totals": totals(before, after),
	"resources": resources,
}

test_total_over_budget_denied if {
	d := budget.deny with input as inp({"deny": {"total_monthly": 1000}}, 50000, 123456, [])
	some f in d
	f.msg == "total monthly cost would be $1,234.56, over the budget of $1,000.00"
	f.address == ""
}

test_under_budget_passes if {
	count(budget.deny) == 0 with input as inp({"deny": {"total_monthly": 1000}}, 0, 99999, [])
}

test_already_over_but_falling_passes if {
	count(budget.deny) == 0 with input as inp({"deny": {"total_monthly": 1000}}, 200000, 150000, [])
}

test_increase_absolute_and_percent if {
	i := inp({"warn": {"increase_monthly": 100.5, "increase_pct": 10}}, 100000, 120000, [])
	w := budget.warn with input as i
	count(w) == 2
	some a in w
	a.msg == "total monthly cost would rise by $200.00 ($1,000.00 → $1,200.00), over the allowed increase of $100.50"
	some b in w
	b.msg == "total monthly cost would rise by 20.0% ($1,000.00 → $1,200.00), over the allowed 10%"
}

test_warn_dropped_when_denied if {
	i := inp({"deny": {"total_monthly": 10}, "warn": {"total_monthly": 5}}, 0, 2000, [])
	count(budget.deny) == 1 with input as i
	count(budget.warn) == 0 with input as i
}

test_single_resource_limit if {
	rs := [
		{"address": "aws_instance.big", "tags": {}, "monthly_cost_cents": 500000, "monthly_delta_cents": 500000},
		{"address": "aws_instance.same", "tags": {}, "monthly_cost_cents": 900000, "monthly_delta_cents": 0},
		{"address": "aws_instance.unpriced", "tags": {}, "monthly_cost_cents": null, "monthly_delta_cents": null},
	]
	d := budget.deny with input as inp({"deny": {"resource_monthly": 1000}}, 900000, 1400000, rs)
	count(d) == 1
	some f in d
	f.address == "aws_instance.big"
}

test_per_team if {
	rs := [
		{"address": "a", "tags": {"team": "ml"}, "monthly_cost_before_cents": 0, "monthly_cost_cents": 300000},
		{"address": "b", "tags": {"team": "web"}, "monthly_cost_before_cents": 0, "monthly_cost_cents": 100000},
	]
	cfg := {"teams": {"ml": {"deny": {"total_monthly": 2000}}, "*": {"deny": {"total_monthly": 500}}}}
	d := budget.deny with input as inp(cfg, 0, 400000, rs)
	count(d) == 2
	some a in d
	a.msg == "team ml monthly cost would be $3,000.00, over the budget of $2,000.00"
	some b in d
	b.msg == "team web monthly cost would be $1,000.00, over the budget of $500.00"
}

test_money_groups_thousands if {
	budget.money(0) == "$0.00"
	budget.money(5) == "$0.05"
	budget.money(99999) == "$999.99"
	budget.money(100000) == "$1,000.00"
	budget.money(1649580700) == "$16,495,807.00"
	budget.money(-123456789) == "-$1,234,567.89"
	budget.money(99999999999999) == "$999,999,999,999.99"
}

test_project_scope_judges_each_project if {
	i := {
		"config": {"policies": {"budget": {"scope": "project", "deny": {"total_monthly": 1000}}}},
		"totals": totals(0, 150000),
		"projects": [
			{"name": "envs/dev", "totals": totals(0, 50000)},
			{"name": "envs/prod", "totals": totals(0, 100001)},
		],
		"resources": [],
	}
	d := budget.deny with input as i
	count(d) == 1
	some f in d
	f.msg == "project envs/prod monthly cost would be $1,000.01, over the budget of $1,000.00"
}

test_total_message_says_what_could_add if {
	i := object.union(inp({"deny": {"total_monthly": 1000}}, 0, 2297885, []), {"coverage": {"unpriced": ["aws_instance.trainer_fra"], "gaps": []}})
	d := budget.deny with input as i
	some f in d
	f.msg == "total monthly cost would be $22,978.85, over the budget of $1,000.00 (1 resource not priced: aws_instance.trainer_fra)"
}

# A price book: effective $800.00 within the budget, list $1,000.01 over it.
book_input(basis) := {
	"config": {"policies": {"budget": {"basis": basis, "deny": {"total_monthly": 1000, "resource_monthly": 900}}}},
	"totals": {"monthly_before_cents": 0, "monthly_after_cents": 80000, "monthly_before_list_cents": 0, "monthly_after_list_cents": 100001},
	"resources": [{"address": "aws_instance.a", "monthly_cost_cents": 80000, "monthly_delta_cents": 80000, "cost": {"effective_cents": 80000, "list_cents": 100001, "effective_before_cents": 0, "list_before_cents": 0}}],
}

test_effective_basis_passes_what_list_fails if {
	count(budget.deny) == 0 with input as book_input("effective")
	d := budget.deny with input as book_input("list")
	count(d) == 2
	some t in d
	t.msg == "total monthly cost at list price would be $1,000.01, over the budget of $1,000.00"
	some r in d
	r.msg == "aws_instance.a would cost $1,000.01 a month at list price, over the per-resource limit of $900.00"
}
