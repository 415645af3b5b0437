# METADATA
# title: Idle auto-pause for interactive and dev GPU resources
# description: |
#   Interactive resources (notebooks, workstations, dev clusters) must stop by themselves when
#   idle, and plain GPU machines or node groups in dev environments must have something that
#   stops them off-hours (a schedule tag, a stop alarm or schedule, or scale-to-zero). Reads
#   the `idle` facts every resource family computes: autopause is `configured`, `default-on`,
#   `missing` or `unknown` (cannot be verified from Terraform: warning).
#   Configure under [policies.idle-autopause]: gpu_only, dev_envs, env_tags, schedule_tags,
#   exempt_types (type globs this policy leaves alone), actions (default create, update,
#   replace: a resource the change leaves alone is not judged).
# custom:
#   id: idle-autopause
#   severity: deny
#   resources_with: [idle, gpu]
package costgate.idle_autopause

import rego.v1

cfg := object.get(input, ["config", "policies", "idle-autopause"], {})

gpu_only := object.get(cfg, "gpu_only", true)

dev_envs := {lower(e) | some e in object.get(cfg, "dev_envs", ["dev", "development", "sandbox", "test"])}

env_tags := {lower(t) | some t in object.get(cfg, "env_tags", ["env", "environment", "stage"])}

schedule_tags := {lower(t) | some t in object.get(cfg, "schedule_tags", ["schedule"])}

exempt_types := object.get(cfg, "exempt_types", [])

# The changes judged (default create, update, replace): a resource the change leaves alone
# (`no-op`) is not this change's doing; a data source (`read`) never is.
actions := {a | some a in object.get(cfg, "actions", ["create", "update", "replace"]); a != "read"}

# Performance: rules are memoised, functions are not. Exempt types are matched once per
# resource type, and the resources judged are filtered once, inline.

exempt := {t |
	some t in {r.type | some r in input.resources}
	some p in exempt_types
	glob.match(p, [], t)
}

# Resources judged: the change touches them (`actions`), they exist after it and their type
# is not exempt.
live := [r |
	some r in input.resources
	r.action in actions
	r.action != "delete"
	not r.type in exempt
]

has_gpu_capability(r) if is_object(r.gpu)

in_scope(r) if not gpu_only

in_scope(r) if has_gpu_capability(r)

has_schedule_tag(r) if {
	some k, _ in r.tags
	lower(k) in schedule_tags
}

env_value(r) := concat(",", sort([v | some k, v in r.tags; lower(k) in env_tags]))

is_dev(r) if {
	some k, v in r.tags
	lower(k) in env_tags
	lower(v) in dev_envs
}

interactive(r) if {
	is_object(r.idle)
	r.idle.interactive
}

# Interactive resources judged (notebooks, workstations, dev clusters).
interactive_live := [r |
	some r in live
	is_object(r.idle)
	r.idle.interactive
	in_scope(r)
]

deny contains f if {
	some r in interactive_live
	r.idle.autopause == "missing"
	not has_schedule_tag(r)
	f := {
		"policy": "idle-autopause",
		"address": r.address,
		"msg": sprintf("%s is interactive and never stops when idle (%s); configure an idle auto-stop", [r.address, r.idle.detail]),
	}
}

warn contains f if {
	some r in interactive_live
	r.idle.autopause == "unknown"
	not has_schedule_tag(r)
	f := {
		"policy": "idle-autopause",
		"address": r.address,
		"msg": sprintf("%s is interactive and its idle auto-stop cannot be verified from Terraform (%s)", [r.address, r.idle.detail]),
	}
}

# Plain GPU machines and node groups in dev environments need an off-hours stop.
deny contains f if {
	some r in live
	is_object(r.gpu) # runs GPUs (not just could start them)
	not object.get(r.gpu, "potential", false)
	not interactive(r)
	is_dev(r)
	not r.idle.autopause in {"configured", "default-on"}
	not has_schedule_tag(r)
	f := {
		"policy": "idle-autopause",
		"address": r.address,
		"msg": sprintf(
			"%s runs %v %s GPU(s) in a dev environment (%s) with nothing that stops it off-hours (%s); add a `schedule` tag, a stop schedule or scale to zero",
			[r.address, r.gpu.count, r.gpu.model, env_value(r), object.get(object.get(r, "idle", {}), "detail", "no idle facts")],
		),
	}
}
