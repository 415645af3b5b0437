package costgate.savings_spot_test

import rego.v1

import data.costgate.savings_spot

gpu := {"model": "A10G", "count": 2, "per_node": 1, "nodes": {"min": 1, "desired": 2, "max": 4}, "spot": false, "potential": false}

savings := {"spot_monthly_cents": 106171, "spot_basis": "assumed-discount"}

pool(over) := object.union(
	{"address": "aws_eks_node_group.gpu", "type": "aws_eks_node_group", "action": "create", "tags": {}, "gpu": gpu, "idle": null, "savings": savings},
	over,
)

test_on_demand_gpu_pool_gets_spot_advice if {
	fs := savings_spot.info with input as {"resources": [pool({})]}
	count(fs) == 1
	some f in fs
	f.policy == "savings-spot"
	f.monthly_saving_cents == 106171
	contains(f.msg, "$1,061.71/month less")
	contains(f.msg, "spot discount")
}

test_training_tagged_machine_counts if {
	r := pool({"type": "aws_instance", "address": "aws_instance.t", "tags": {"workload": "Training"}, "savings": {"spot_monthly_cents": 50000, "spot_basis": "catalog"}})
	some f in savings_spot.info with input as {"resources": [r]}
	contains(f.msg, "catalog's spot price")
}

test_no_advice_for_plain_machines_small_savings_or_unchanged if {
	rs := [
		pool({"type": "aws_instance"}),
		pool({"address": "a.small", "savings": {"spot_monthly_cents": 999, "spot_basis": "catalog"}}),
		pool({"address": "a.kept", "action": "no-op"}),
		pool({"address": "a.nb", "idle": {"interactive": true, "autopause": "missing"}}),
		pool({"address": "a.none", "savings": null}),
	]
	count(savings_spot.info) == 0 with input as {"resources": rs}
}

test_assumed_discount_can_be_refused if {
	cfg := {"policies": {"savings-spot": {"assumed_discount": false}}}
	count(savings_spot.info) == 0 with input as {"resources": [pool({})], "config": cfg}
}

test_a_usage_file_discount_is_named if {
	given := object.union(savings, {"spot_discount_pct": "50", "spot_discount_from": "usage-file"})
	fs := savings_spot.info with input as {"resources": [pool({"savings": given})]}
	some f in fs
	contains(f.msg, "the usage file's spot discount of 50%")
}

test_the_default_discount_mentions_no_usage_file if {
	dflt := object.union(savings, {"spot_discount_pct": "60", "spot_discount_from": "default"})
	fs := savings_spot.info with input as {"resources": [pool({"savings": dflt})]}
	some f in fs
	contains(f.msg, "a 60% spot discount, costgate's default")
	not contains(f.msg, "the usage file's")
}
