package costgate.savings_gp3_test

import rego.v1

import data.costgate.savings_gp3

vol(over) := object.union(
	{"address": "aws_ebs_volume.data", "type": "aws_ebs_volume", "action": "create", "tags": {}, "savings": {"gp3_monthly_cents": 2500}},
	over,
)

test_gp2_volume_gets_gp3_advice if {
	fs := savings_gp3.info with input as {"resources": [vol({})]}
	count(fs) == 1
	some f in fs
	f.monthly_saving_cents == 2500
	contains(f.msg, "gp3 with the same baseline IOPS would cost $25.00/month less")
}

test_no_gp2_or_below_threshold_no_advice if {
	rs := [vol({"savings": null}), vol({"address": "a.b", "savings": {"gp3_monthly_cents": null}})]
	count(savings_gp3.info) == 0 with input as {"resources": rs}
	cfg := {"policies": {"savings-gp3": {"min_monthly_saving": 30}}}
	count(savings_gp3.info) == 0 with input as {"resources": [vol({})], "config": cfg}
	exempt := {"policies": {"savings-gp3": {"exempt_types": ["aws_ebs_*"]}}}
	count(savings_gp3.info) == 0 with input as {"resources": [vol({})], "config": exempt}
}

test_node_groups_are_told_about_launch_templates if {
	some f in savings_gp3.info with input as {"resources": [vol({"type": "aws_eks_node_group", "address": "aws_eks_node_group.g"})]}
	contains(f.msg, "launch template")
	contains(f.msg, "aws_eks_node_group has no volume_type")
	some g in savings_gp3.info with input as {"resources": [vol({})]}
	contains(g.msg, "set `volume_type = \"gp3\"`")
}
