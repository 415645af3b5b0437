package costgate.examples.allowed_gpu_regions_test

import rego.v1

import data.costgate.examples.allowed_gpu_regions as p

gpu := {"model": "H100", "count": 8, "spot": false}

test_gpu_outside_approved_regions_denied if {
	d := p.deny with input as {"resources": [{"address": "a.b", "action": "create", "region": "eu-west-1", "gpu": gpu}]}
	count(d) == 1
}

test_approved_region_and_config_override if {
	r := {"address": "a.b", "action": "create", "region": "eu-west-1", "gpu": gpu}
	count(p.deny) == 0 with input as {"resources": [r], "config": {"allowed_gpu_regions": ["eu-west-1"]}}
}

test_big_on_demand_warns if {
	w := p.warn with input as {"resources": [{"address": "a.b", "action": "create", "region": "us-east-1", "gpu": gpu}]}
	w == {"a.b runs 8 GPUs on demand; consider spot or a capacity reservation"}
}
