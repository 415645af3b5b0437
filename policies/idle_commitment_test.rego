package costgate.idle_commitment_test

import rego.v1

import data.costgate.idle_commitment

test_unused_and_partly_used_commitments_warn if {
	i := {"currency": "USD", "price_book": {"idle_commitments": [
		{"id": "ri-p4d", "kind": "reserved", "scope": "aws ec2/p4d.24xlarge in us-east-1", "detail": "1 of 2 reserved units unused", "monthly_unused": "14030.60", "unused": false},
		{"id": "sp", "kind": "savings_plan", "scope": "aws ec2", "detail": "50.00 of its $50.00/h commitment unused", "monthly_unused": "36500.00", "unused": true},
	]}}
	w := idle_commitment.warn with input as i
	count(w) == 2
	some a in w
	a.msg == "commitment `ri-p4d` (reserved, aws ec2/p4d.24xlarge in us-east-1) is idle: 1 of 2 reserved units unused; 14030.60 USD a month paid for nothing"
	some b in w
	b.msg == "commitment `sp` (savings plan, aws ec2) is idle: nothing in the configuration uses it; 36500.00 USD a month paid for nothing"
}

test_nothing_without_a_price_book if {
	count(idle_commitment.warn) == 0 with input as {"currency": "USD"}
}
