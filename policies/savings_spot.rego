# METADATA
# title: Savings advice — spot capacity for GPU pools and training
# description: |
#   Advises (info, never blocks) running on-demand GPU node pools, scale sets, autoscaling
#   groups and machines tagged as training or batch work on spot capacity, with the monthly
#   saving computed by costgate from catalog prices (`savings.spot_monthly_cents`: on-demand
#   minus spot; where the catalog has no spot price, on-demand less the usage file's spot
#   discount, `spot_basis = "assumed-discount"`). Interactive resources are left out.
#   Configure under [policies.savings-spot]: min_monthly_saving, pool_types, workload_tags,
#   workload_values, assumed_discount (false: only catalog spot prices), actions, exempt_types.
# custom:
#   id: savings-spot
#   severity: info
#   resources_with: [savings]
package costgate.savings_spot

import data.costgate.budget
import rego.v1

cfg := object.get(input, ["config", "policies", "savings-spot"], {})

min_saving := round(object.get(cfg, "min_monthly_saving", 10) * 100)

actions := {a | some a in object.get(cfg, "actions", ["create", "update", "replace"])}

default_pool_types := [
	"aws_autoscaling_group",
	"aws_eks_node_group",
	"aws_batch_compute_environment",
	"google_container_node_pool",
	"google_container_cluster",
	"google_compute_instance_group_manager",
	"google_compute_region_instance_group_manager",
	"azurerm_kubernetes_cluster_node_pool",
	"azurerm_kubernetes_cluster",
	"azurerm_linux_virtual_machine_scale_set",
	"azurerm_windows_virtual_machine_scale_set",
	"azurerm_machine_learning_compute_cluster",
]

pool_types := {t | some t in object.get(cfg, "pool_types", default_pool_types)}

workload_tags := {lower(t) | some t in object.get(cfg, "workload_tags", ["workload", "purpose"])}

workload_values := {lower(v) | some v in object.get(cfg, "workload_values", ["training", "batch"])}

assumed_discount := object.get(cfg, "assumed_discount", true)

# Exempt types, matched once per distinct type (nothing to do when none are configured).
exempt := {t |
	some p in object.get(cfg, "exempt_types", [])
	some t in {r.type | some r in input.resources}
	glob.match(p, [], t)
}

candidates := [r |
	some r in input.resources
	is_object(r.savings)
	is_number(r.savings.spot_monthly_cents)
	r.savings.spot_monthly_cents >= min_saving
	r.action in actions
	not r.type in exempt
	not object.get(object.get(r, "idle", {}), "interactive", false)
]

batch_work(r) if r.type in pool_types

batch_work(r) if {
	some k, v in r.tags
	lower(k) in workload_tags
	lower(v) in workload_values
}

basis_ok(r) if r.savings.spot_basis == "catalog"

basis_ok(r) if assumed_discount

basis_text(s) := "at the catalog's spot price" if s.spot_basis == "catalog"

basis_text(s) := sprintf("assuming the usage file's spot discount of %s%%: the catalog has no spot price", [s.spot_discount_pct]) if {
	s.spot_basis == "assumed-discount"
	s.spot_discount_from == "usage-file"
}

basis_text(s) := sprintf("assuming a %s%% spot discount, costgate's default (set spot_discount in a usage file): the catalog has no spot price", [object.get(s, "spot_discount_pct", "60")]) if {
	s.spot_basis == "assumed-discount"
	object.get(s, "spot_discount_from", "default") != "usage-file"
}

info contains f if {
	some r in candidates
	batch_work(r)
	basis_ok(r)
	saving := r.savings.spot_monthly_cents
	f := {
		"policy": "savings-spot",
		"address": r.address,
		"monthly_saving_cents": saving,
		"msg": sprintf(
			"%s runs %v %s GPU(s) on demand; on spot capacity it would cost %s/month less (%s); use spot for interruptible training and batch work",
			[r.address, r.gpu.count, r.gpu.model, budget.money(saving), basis_text(r.savings)],
		),
	}
}
