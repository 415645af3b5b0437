package costgate.coverage_test

import rego.v1

import data.costgate.coverage

res(addr, typ, priced) := {"address": addr, "type": typ, "priced": priced, "free": false, "unknown_instances": null, "partially_priced": false, "unpriced_parts": [], "nearest_region": null}

inp(cfg, resources, gaps) := {
	"config": {"policies": {"coverage": cfg}},
	"resources": resources,
	"coverage": {"gaps": gaps},
}

gap := {"kind": "module-not-loaded", "address": "module.gpu", "source": "acme/gpu/aws", "reason": "cannot connect", "location": {"file": "main.tf", "line": 3}}

test_nothing_when_everything_is_seen if {
	i := inp({}, [res("aws_instance.a", "aws_instance", true)], [])
	count(coverage.warn) == 0 with input as i
	count(coverage.deny) == 0 with input as i
}

test_module_not_loaded_names_module_and_source if {
	w := coverage.warn with input as inp({}, [], [gap])
	some f in w
	f.address == "module.gpu"
	f.msg == "module.gpu (source `acme/gpu/aws`) could not be loaded: cannot connect; its resources are not in the estimate"
	f._loc.line == 3
}

test_levels_per_reason if {
	i := inp({"levels": {"module-not-loaded": "deny", "unpriced": "off"}}, [res("x_thing.a", "x_thing", false)], [gap])
	count(coverage.deny) == 1 with input as i
	count(coverage.warn) == 0 with input as i
}

test_unpriced_summary_with_nearest_region if {
	r := object.union(res("aws_instance.trainer_fra", "aws_instance", false), {"nearest_region": {"region": "eu-central-1", "monthly_cost": "22978.85", "monthly_cost_cents": 2297885}})
	w := coverage.warn with input as inp({}, [r, res("aws_bedrock_x.b", "aws_bedrock_x", false)], [])
	some f in w
	f.msg == "2 resources are not priced and not in the totals (aws_bedrock_x, aws_instance): aws_instance.trainer_fra, aws_bedrock_x.b; aws_instance.trainer_fra could be about $22,978.85 a month (priced in eu-central-1)"
}

test_partly_priced_summary if {
	r := object.union(res("aws_instance.a", "aws_instance", true), {"partially_priced": true, "unpriced_parts": ["root volume size comes from the AMI; not priced"]})
	w := coverage.info with input as inp({}, [r], [])
	some f in w
	f.msg == "1 resource is only partly priced (aws_instance): aws_instance.a; left out: root volume size comes from the AMI; not priced"
}

test_unknown_count_per_resource if {
	r := object.union(res("aws_instance.n", "aws_instance", false), {"unknown_instances": "count is unknown until apply"})
	w := coverage.warn with input as inp({}, [r], [])
	count(w) == 1
	some f in w
	f.address == "aws_instance.n"
}
