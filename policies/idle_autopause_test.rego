package costgate.idle_autopause_test

import rego.v1

import data.costgate.idle_autopause

gpu := {"model": "A10G", "count": 1, "max_count": 1, "potential": false}

res(over) := object.union(
	{"address": "r.x", "action": "create", "tags": {}, "gpu": gpu, "idle": null},
	over,
)

idle(interactive, autopause) := {"interactive": interactive, "autopause": autopause, "detail": "d"}

test_interactive_without_autostop_denied if {
	d := idle_autopause.deny with input as {"resources": [res({"idle": idle(true, "missing")})]}
	some f in d
	f.policy == "idle-autopause"
	contains(f.msg, "never stops when idle")
}

test_interactive_configured_or_default_on_passes if {
	rs := [res({"idle": idle(true, "configured")}), res({"address": "r.y", "idle": idle(true, "default-on")})]
	count(idle_autopause.deny) == 0 with input as {"resources": rs}
	count(idle_autopause.warn) == 0 with input as {"resources": rs}
}

test_unknown_warns if {
	inp := {"resources": [res({"idle": idle(true, "unknown")})]}
	count(idle_autopause.deny) == 0 with input as inp
	count(idle_autopause.warn) == 1 with input as inp
}

test_cpu_notebook_ignored_unless_configured if {
	r := res({"gpu": null, "idle": idle(true, "missing")})
	count(idle_autopause.deny) == 0 with input as {"resources": [r]}
	count(idle_autopause.deny) == 1 with input as {"resources": [r], "config": {"policies": {"idle-autopause": {"gpu_only": false}}}}
}

test_dev_gpu_vm_needs_schedule if {
	r := res({"tags": {"Env": "Dev"}, "idle": idle(false, "missing")})
	d := idle_autopause.deny with input as {"resources": [r]}
	some f in d
	contains(f.msg, "dev environment (Dev)")
}

test_prod_gpu_vm_and_scheduled_dev_vm_pass if {
	rs := [
		res({"tags": {"env": "prod"}, "idle": idle(false, "missing")}),
		res({"address": "r.y", "tags": {"env": "dev", "Schedule": "office-hours"}, "idle": idle(false, "missing")}),
		res({"address": "r.z", "tags": {"env": "dev"}, "idle": idle(false, "configured")}),
		res({"address": "r.w", "action": "delete", "tags": {"env": "dev"}, "idle": idle(false, "missing")}),
	]
	count(idle_autopause.deny) == 0 with input as {"resources": rs}
}

test_exempt_types if {
	r := res({"type": "aws_sagemaker_notebook_instance", "idle": idle(true, "missing")})
	count(idle_autopause.deny) == 1 with input as {"resources": [r]}
	count(idle_autopause.deny) == 0 with input as {"resources": [r], "config": {"policies": {"idle-autopause": {"exempt_types": ["aws_sagemaker_*"]}}}}
}

# A resource the change leaves alone (`no-op`) is not judged by default; `actions` says which.
test_actions_scope_the_changes_judged if {
	rs := [
		res({"address": "r.legacy", "action": "no-op", "idle": idle(true, "missing")}),
		res({"address": "r.new", "action": "create", "idle": idle(true, "missing")}),
	]
	d := idle_autopause.deny with input as {"resources": rs}
	{f.address | some f in d} == {"r.new"}
	a := idle_autopause.deny with input as {"resources": rs, "config": {"policies": {"idle-autopause": {"actions": ["no-op"]}}}}
	{f.address | some f in a} == {"r.legacy"}
}
