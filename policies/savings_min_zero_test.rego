package costgate.savings_min_zero_test

import rego.v1

import data.costgate.savings_min_zero

gpu := {"model": "L4", "family": "ada", "count": 3, "per_node": 1, "nodes": {"min": 2, "desired": 3, "max": 6}, "spot": true, "potential": false}

pool(over) := object.union(
	{"address": "google_container_node_pool.l4", "type": "google_container_node_pool", "action": "create", "tags": {}, "gpu": gpu, "savings": {"min_zero_monthly_cents": 49852}},
	over,
)

test_pool_with_gpu_floor_gets_advice if {
	fs := savings_min_zero.info with input as {"resources": [pool({})]}
	count(fs) == 1
	some f in fs
	f.monthly_saving_cents == 49852
	contains(f.msg, "keeps at least 2 L4 GPU node(s)")
	contains(f.msg, "$498.52/month")
}

test_single_machines_and_other_families_pass if {
	count(savings_min_zero.info) == 0 with input as {"resources": [pool({"type": "google_compute_instance"})]}
	cfg := {"policies": {"savings-min-zero": {"gpu": ["H100", "hopper"]}}}
	count(savings_min_zero.info) == 0 with input as {"resources": [pool({})], "config": cfg}
	cfg2 := {"policies": {"savings-min-zero": {"gpu": ["ada"]}}}
	count(savings_min_zero.info) == 1 with input as {"resources": [pool({})], "config": cfg2}
}
