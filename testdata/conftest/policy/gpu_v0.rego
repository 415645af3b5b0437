# Rego v0, as many existing conftest policies still are (no `if`, no `contains`).
package main

gpu_types := {"p5.48xlarge", "p4d.24xlarge", "g5.xlarge"}

is_gpu(rc) {
	gpu_types[rc.change.after.instance_type]
}

deny_gpu_without_owner[msg] {
	rc := input.resource_changes[_]
	rc.change.actions[_] == "create"
	is_gpu(rc)
	not rc.change.after.tags.owner
	msg := sprintf("%s runs GPUs without an owner tag", [rc.address])
}

deny_untagged_volume[msg] {
	rc := input.resource_changes[_]
	rc.type == "aws_ebs_volume"
	rc.change.after.tags == null
	msg := sprintf("volume %s has no tags at all", [rc.address])
}

warn_team[msg] {
	rc := input.resource_changes[_]
	is_gpu(rc)
	team := rc.change.after.tags.team
	not data.gpu_teams[team]
	msg := sprintf("%s: team %s is not on the GPU allow list", [rc.address, team])
}

warn_region[msg] {
	region := input.configuration.provider_config.aws.expressions.region.constant_value
	not data.gpu_regions[region]
	rc := input.resource_changes[_]
	is_gpu(rc)
	msg := sprintf("%s runs GPUs in %s, outside the GPU regions", [rc.address, region])
}
