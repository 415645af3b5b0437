package costgate.examples.broken_test

import rego.v1

import data.costgate.budget

test_passes if {
	count(budget.deny) == 0 with input as {"totals": {"monthly_before_cents": 0, "monthly_after_cents": 1}, "resources": []}
}

# Wrong on purpose: 1 cent is not over a 1000.00 budget.
test_fails if {
	count(budget.deny) == 1 with input as {
		"config": {"policies": {"budget": {"deny": {"total_monthly": 1000}}}},
		"totals": {"monthly_before_cents": 0, "monthly_after_cents": 1},
		"resources": [],
	}
}
