# METADATA
# title: Savings advice — gp3 instead of gp2 EBS volumes
# description: |
#   Advises (info, never blocks) moving gp2 EBS storage (volumes, instance root and block
#   devices, node group and launch template disks) to gp3, with the monthly saving computed by
#   costgate from the region's catalog prices, gp3 IOPS provisioned to match gp2's baseline
#   (`savings.gp3_monthly_cents`).
#   Configure under [policies.savings-gp3]: min_monthly_saving, actions, exempt_types.
# custom:
#   id: savings-gp3
#   severity: info
#   resources_with: [savings]
package costgate.savings_gp3

import data.costgate.budget
import rego.v1

cfg := object.get(input, ["config", "policies", "savings-gp3"], {})

min_saving := round(object.get(cfg, "min_monthly_saving", 1) * 100)

actions := {a | some a in object.get(cfg, "actions", ["create", "update", "replace"])}

# Exempt types, matched once per distinct type (nothing to do when none are configured).
exempt := {t |
	some p in object.get(cfg, "exempt_types", [])
	some t in {r.type | some r in input.resources}
	glob.match(p, [], t)
}

# Where the volume type is set: node groups have no volume_type (their disk comes from
# disk_size or a launch template), launch templates set it per block device mapping.
fix(t) := "give the node group a launch template whose block_device_mappings set `ebs { volume_type = \"gp3\" }` (aws_eks_node_group has no volume_type; disk_size disks are gp2)" if t == "aws_eks_node_group"

fix(t) := "set `volume_type = \"gp3\"` in the `ebs` block of its block_device_mappings" if t == "aws_launch_template"

fix(t) := "set `volume_type = \"gp3\"` in its root_block_device / ebs_block_device" if t == "aws_instance"

fix(t) := "set `volume_type = \"gp3\"`" if not t in {"aws_eks_node_group", "aws_launch_template", "aws_instance"}

info contains f if {
	some r in input.resources
	is_object(r.savings)
	is_number(r.savings.gp3_monthly_cents)
	r.savings.gp3_monthly_cents >= min_saving
	r.action in actions
	not r.type in exempt
	saving := r.savings.gp3_monthly_cents
	f := {
		"policy": "savings-gp3",
		"address": r.address,
		"monthly_saving_cents": saving,
		"msg": sprintf(
			"%s uses gp2 EBS storage; gp3 with the same baseline IOPS would cost %s/month less (%s)",
			[r.address, budget.money(saving), fix(r.type)],
		),
	}
}
