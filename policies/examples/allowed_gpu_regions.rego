# METADATA
# title: GPUs only in approved regions
# description: |
#   Example of a custom policy: GPU resources may only be created in regions where the
#   company has committed capacity. Regions come from `input.config.allowed_gpu_regions`
#   (a --data file or costgate.toml), defaulting to us-east-1 and us-west-2.
# custom:
#   id: allowed-gpu-regions
#   severity: deny
package costgate.examples.allowed_gpu_regions

import rego.v1

regions := object.get(input, ["config", "allowed_gpu_regions"], ["us-east-1", "us-west-2"])

deny contains f if {
	some r in input.resources
	r.action in {"create", "update", "replace"}
	is_object(r.gpu)
	not r.region in regions
	f := {
		"address": r.address,
		"msg": sprintf("%s puts %v %s GPU(s) in %s; approved GPU regions: %s", [r.address, r.gpu.count, r.gpu.model, r.region, concat(", ", regions)]),
	}
}

# Plain strings work too: a warning for spot-less big GPU machines.
warn contains msg if {
	some r in input.resources
	r.action == "create"
	is_object(r.gpu)
	r.gpu.count >= 8
	not r.gpu.spot
	msg := sprintf("%s runs %v GPUs on demand; consider spot or a capacity reservation", [r.address, r.gpu.count])
}
