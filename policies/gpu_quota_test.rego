package costgate.gpu_quota_test

import rego.v1

import data.costgate.gpu_quota

gpu(model, count, max) := {"model": model, "family": null, "count": count, "max_count": max, "potential": false}

res(addr, action, after, before, env) := {
	"address": addr, "action": action, "tags": {"env": env},
	"gpu": after, "gpu_before": before,
}

cfg(count_at, limits) := {"policies": {"gpu-quota": {"count_at": count_at, "scope_tag": "env", "limits": limits}}}

test_new_gpus_over_limit_denied if {
	rs := [
		res("aws_instance.a[0]", "create", gpu("H100", 8, 8), null, "prod"),
		res("aws_instance.a[1]", "create", gpu("H100", 8, 8), null, "prod"),
		res("aws_instance.kept", "no-op", gpu("H100", 8, 8), gpu("H100", 8, 8), "prod"),
	]
	d := gpu_quota.deny with input as {"config": cfg("max", [{"gpu": "H100", "max": 16}]), "resources": rs}
	count(d) == 2
	some f in d
	f.address == "aws_instance.a[0]"
	contains(f.msg, "H100 GPUs in env=prod would be 24 (was 8")
}

test_scopes_are_separate if {
	rs := [
		res("aws_instance.a", "create", gpu("H100", 8, 8), null, "prod"),
		res("aws_instance.b", "create", gpu("H100", 8, 8), null, "dev"),
	]
	count(gpu_quota.deny) == 0 with input as {"config": cfg("max", [{"gpu": "H100", "max": 8}]), "resources": rs}
}

test_deletes_make_room if {
	rs := [
		res("aws_instance.new", "create", gpu("H100", 8, 8), null, "prod"),
		res("aws_instance.old", "delete", null, gpu("H100", 8, 8), "prod"),
		res("aws_instance.kept", "update", gpu("H100", 8, 8), gpu("H100", 8, 8), "prod"),
	]
	count(gpu_quota.deny) == 0 with input as {"config": cfg("max", [{"gpu": "H100", "max": 16}]), "resources": rs}
}

test_node_pools_count_at_max_or_desired if {
	rs := [res("aws_eks_node_group.g", "create", gpu("A10G", 2, 10), null, "prod")]
	count(gpu_quota.deny) == 1 with input as {"config": cfg("max", [{"gpu": "a10*", "max": 4}]), "resources": rs}
	count(gpu_quota.deny) == 0 with input as {"config": cfg("desired", [{"gpu": "a10*", "max": 4}]), "resources": rs}
}

test_already_over_warns if {
	rs := [res("aws_instance.kept", "no-op", gpu("H100", 24, 24), gpu("H100", 24, 24), "prod")]
	inp := {"config": cfg("max", [{"gpu": "H100", "max": 16}]), "resources": rs}
	count(gpu_quota.deny) == 0 with input as inp
	count(gpu_quota.warn) == 1 with input as inp
}

test_family_and_scope_globs if {
	g := object.union(gpu("H100", 8, 8), {"family": "hopper"})
	rs := [res("aws_instance.a", "create", g, null, "prod")]
	count(gpu_quota.deny) == 1 with input as {"config": cfg("max", [{"gpu": "hopper", "scope": "prod", "max": 4}]), "resources": rs}
	count(gpu_quota.deny) == 0 with input as {"config": cfg("max", [{"gpu": "hopper", "scope": "dev", "max": 4}]), "resources": rs}
}

test_templates_do_not_count if {
	g := object.union(gpu("H100", 8, 8), {"potential": true})
	rs := [res("aws_launch_template.t", "create", g, null, "prod")]
	count(gpu_quota.deny) == 0 with input as {"config": cfg("max", [{"gpu": "H100", "max": 1}]), "resources": rs}
}

test_several_globs_count_together if {
	rs := [
		res("aws_instance.h", "create", gpu("H100", 8, 8), null, "prod"),
		res("aws_instance.a", "create", gpu("A100", 8, 8), null, "prod"),
		res("aws_instance.l", "create", gpu("L4", 8, 8), null, "prod"),
	]
	inp := {"config": cfg("max", [{"gpu": ["H100*", "A100*"], "max": 12}]), "resources": rs}
	d := gpu_quota.deny with input as inp
	count(d) == 2
	some f in d
	f.address == "aws_instance.a"
	contains(f.msg, "H100* + A100* GPUs in env=prod would be 16")
	count(gpu_quota.deny) == 0 with input as {"config": cfg("max", [{"gpu": ["H100*", "A100*"], "max": 16}]), "resources": rs}
}

# Documented pitfall: a family glob counts every model of the family (ampere: A100 and A10G).
test_family_counts_every_model_of_it if {
	a10g := object.union(gpu("A10G", 4, 4), {"family": "ampere"})
	a100 := object.union(gpu("A100-80GB", 8, 8), {"family": "ampere"})
	rs := [res("aws_instance.g5", "create", a10g, null, "dev"), res("aws_instance.p4", "create", a100, null, "dev")]
	count(gpu_quota.deny) == 2 with input as {"config": cfg("max", [{"gpu": "ampere", "max": 8}]), "resources": rs}
	count(gpu_quota.deny) == 0 with input as {"config": cfg("max", [{"gpu": ["A100*"], "max": 8}]), "resources": rs}
}

test_project_scope_counts_each_project if {
	rs := [
		object.union(res("dev:aws_instance.a", "create", gpu("A10G", 4, 4), null, "x"), {"project": "dev"}),
		object.union(res("prod:aws_instance.a", "create", gpu("A10G", 4, 4), null, "x"), {"project": "prod"}),
		object.union(res("prod:aws_instance.b", "create", gpu("A10G", 4, 4), null, "x"), {"project": "prod"}),
	]
	c := {"policies": {"gpu-quota": {"count_at": "max", "scope": "project", "limits": [{"gpu": "A10G", "max": 4}]}}}
	d := gpu_quota.deny with input as {"config": c, "resources": rs}
	count(d) == 2
	every f in d {
		startswith(f.address, "prod:")
		contains(f.msg, "A10G GPUs in project prod would be 8")
	}
}

test_message_says_what_could_add_gpus if {
	rs := [res("aws_instance.a", "create", gpu("H100", 24, 24), null, "prod")]
	i := {"config": cfg("max", [{"gpu": "H100", "max": 16}]), "resources": rs, "coverage": {"gaps": [{"address": "module.train"}], "unknown_instances": []}}
	d := gpu_quota.deny with input as i
	some f in d
	endswith(f.msg, "this resource adds 24 (1 not counted: module.train could add GPUs)")
}

# `actions` scopes the per-resource lines; every resource still counts in the totals.
test_actions_scope_per_resource_lines if {
	rs := [
		res("aws_instance.grown", "update", gpu("H100", 16, 16), gpu("H100", 8, 8), "prod"),
		res("aws_instance.new", "create", gpu("H100", 8, 8), null, "prod"),
	]
	d := gpu_quota.deny with input as {"config": cfg("max", [{"gpu": "H100", "max": 16}]), "resources": rs}
	{f.address | some f in d} == {"aws_instance.grown", "aws_instance.new"}
	c := {"policies": {"gpu-quota": {"count_at": "max", "scope_tag": "env", "actions": ["create"], "limits": [{"gpu": "H100", "max": 16}]}}}
	only := gpu_quota.deny with input as {"config": c, "resources": rs}
	{f.address | some f in only} == {"aws_instance.new"}
	some f in only
	contains(f.msg, "would be 24 (was 8")
}

# Cloud TPU chips are accelerator facts of family "TPU" (model "TPU v5e", ...): a limit on the
# family or a model glob counts them, and `*` counts GPUs and TPUs together.
test_tpu_chips_count_as_accelerators if {
	tpu := object.union(gpu("TPU v5e", 8, 8), {"family": "TPU"})
	rs := [
		res("google_tpu_v2_vm.a", "create", tpu, null, "prod"),
		res("aws_instance.h", "create", gpu("H100", 8, 8), null, "prod"),
	]
	count(gpu_quota.deny) == 1 with input as {"config": cfg("max", [{"gpu": "TPU", "max": 4}]), "resources": rs}
	count(gpu_quota.deny) == 0 with input as {"config": cfg("max", [{"gpu": "TPU v5*", "max": 8}]), "resources": rs}
	count(gpu_quota.deny) == 2 with input as {"config": cfg("max", [{"gpu": "*", "max": 12}]), "resources": rs}
}
