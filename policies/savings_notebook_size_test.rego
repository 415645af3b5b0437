package costgate.savings_notebook_size_test

import rego.v1

import data.costgate.savings_notebook_size

nb(model, per_node, over) := object.union(
	{"address": "azurerm_machine_learning_compute_instance.nb", "type": "azurerm_machine_learning_compute_instance", "action": "create", "tags": {},
	 "gpu": {"model": model, "count": per_node, "per_node": per_node, "spot": false, "potential": false},
	 "idle": {"interactive": true, "autopause": "configured", "detail": "d"},
	 "savings": {"smallest_notebook_monthly_cents": 268129, "smallest_notebook_type": "Standard_NC24ads_A100_v4", "notebook_type": "Standard_NC96ads_A100_v4"}},
	over,
)

test_multi_gpu_notebook_gets_downsize_advice if {
	fs := savings_notebook_size.info with input as {"resources": [nb("L4", 2, {})]}
	count(fs) == 1
	some f in fs
	f.monthly_saving_cents == 268129
	contains(f.msg, "2 GPUs, more than 1")
	contains(f.msg, "Standard_NC24ads_A100_v4 would cost $2,681.29/month less")
}

test_high_end_single_gpu_notebook_gets_advice if {
	some f in savings_notebook_size.info with input as {"resources": [nb("A100-80GB", 1, {})]}
	contains(f.msg, "high-end A100-80GB GPU")
}

test_one_modest_gpu_or_allowed_type_passes if {
	count(savings_notebook_size.info) == 0 with input as {"resources": [nb("T4", 1, {})]}
	cfg := {"policies": {"savings-notebook-size": {"allowed_types": ["Standard_NC*ads_A100_v4"]}}}
	count(savings_notebook_size.info) == 0 with input as {"resources": [nb("A100-80GB", 2, {"savings": {"notebook_type": "Standard_NC48ads_A100_v4"}})], "config": cfg}
	count(savings_notebook_size.info) == 0 with input as {"resources": [nb("A100-80GB", 2, {"idle": null})]}
}
