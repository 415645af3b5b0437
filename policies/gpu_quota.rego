# METADATA
# title: GPU quota per model and scope
# description: |
#   Caps how many GPUs of a model or family may exist after the change, per scope (the value
#   of a tag such as `env` or `team`, or the whole plan). What exists and is kept (no-op,
#   update) counts, plus what the plan adds, minus what it deletes. Node pools and groups count
#   at their maximum size by default (`count_at = "max"`), or at desired size
#   (`count_at = "desired"`). Denies when a plan raises a scope over its limit; warns when a
#   scope is already over and the plan does not make it worse.
#   Configure under [policies.gpu-quota]: count_at, scope_tag, limits = [{gpu, scope, max}].
# custom:
#   id: gpu-quota
#   severity: deny
package costgate.gpu_quota

import rego.v1

cfg := object.get(input, ["config", "policies", "gpu-quota"], {})

count_at := object.get(cfg, "count_at", "max")

scope_tag := object.get(cfg, "scope_tag", "")

limits := object.get(cfg, "limits", [])

gpus(g) := g.max_count if count_at == "max"

gpus(g) := g.count if count_at != "max"

scope_of(r) := "all" if scope_tag == ""

scope_of(r) := object.get(r.tags, scope_tag, "(untagged)") if scope_tag != ""

scope_label(s) := "the plan" if scope_tag == ""

scope_label(s) := sprintf("%s=%s", [scope_tag, s]) if scope_tag != ""

gpu_matches(limit, g) if glob.match(lower(limit.gpu), [], lower(g.model))

gpu_matches(limit, g) if {
	is_string(g.family)
	glob.match(lower(limit.gpu), [], lower(g.family))
}

scope_matches(limit, s) if glob.match(object.get(limit, "scope", "*"), [], s)

# GPUs a resource runs after the change (0 when it is deleted or has none).
after_gpus(limit, r) := gpus(r.gpu) if {
	not r.action in {"delete", "read"}
	is_object(r.gpu)
	not object.get(r.gpu, "potential", false)
	gpu_matches(limit, r.gpu)
} else := 0

# GPUs a resource ran before the change (0 when it is new or had none).
before_gpus(limit, r) := gpus(r.gpu_before) if {
	not r.action in {"create", "read"}
	is_object(r.gpu_before)
	not object.get(r.gpu_before, "potential", false)
	gpu_matches(limit, r.gpu_before)
} else := 0

scopes(limit) := {s |
	some r in input.resources
	s := scope_of(r)
	scope_matches(limit, s)
	after_gpus(limit, r) + before_gpus(limit, r) > 0
}

total_after(limit, s) := sum([after_gpus(limit, r) | some r in input.resources; scope_of(r) == s])

total_before(limit, s) := sum([before_gpus(limit, r) | some r in input.resources; scope_of(r) == s])

deny contains f if {
	some limit in limits
	some s in scopes(limit)
	after := total_after(limit, s)
	before := total_before(limit, s)
	after > limit.max
	after > before
	some r in input.resources
	scope_of(r) == s
	added := after_gpus(limit, r) - before_gpus(limit, r)
	added > 0
	f := {
		"policy": "gpu-quota",
		"address": r.address,
		"msg": sprintf(
			"%s GPUs in %s would be %v (was %v, counted at %s size), over the limit of %v; %s adds %v",
			[limit.gpu, scope_label(s), after, before, count_at, limit.max, r.address, added],
		),
	}
}

warn contains f if {
	some limit in limits
	some s in scopes(limit)
	after := total_after(limit, s)
	before := total_before(limit, s)
	after > limit.max
	after <= before
	f := {
		"policy": "gpu-quota",
		"address": "",
		"msg": sprintf(
			"%s GPUs in %s are already over the limit of %v (%v after this change, %v before)",
			[limit.gpu, scope_label(s), limit.max, after, before],
		),
	}
}
