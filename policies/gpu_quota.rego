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

# Plain names compare directly; glob.match (which compiles its pattern on every call) is only
# used for patterns with wildcards.
is_pattern(p) if {
	some c in ["*", "?", "[", "{"]
	contains(p, c)
}

gpu_matches(limit, g) if limit.gpu == "*"

gpu_matches(limit, g) if lower(limit.gpu) == lower(g.model)

gpu_matches(limit, g) if {
	is_string(g.family)
	lower(limit.gpu) == lower(g.family)
}

gpu_matches(limit, g) if {
	limit.gpu != "*"
	is_pattern(limit.gpu)
	glob.match(lower(limit.gpu), [], lower(g.model))
}

gpu_matches(limit, g) if {
	limit.gpu != "*"
	is_pattern(limit.gpu)
	is_string(g.family)
	glob.match(lower(limit.gpu), [], lower(g.family))
}

scope_matches(limit, s) if object.get(limit, "scope", "*") == "*"

scope_matches(limit, s) if limit.scope == s

scope_matches(limit, s) if {
	limit.scope != "*"
	is_pattern(limit.scope)
	glob.match(limit.scope, [], s)
}

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

# Everything below is computed once per limit (rules are memoised; functions are not), and
# only over the resources that run matching GPUs, so a 50k-resource plan stays fast.

# One row per resource with matching GPUs before or after the change.
rows[i] := [row |
	some r in input.resources
	a := after_gpus(limit, r)
	b := before_gpus(limit, r)
	a + b > 0
	row := {"scope": scope_of(r), "after": a, "before": b, "address": r.address}
] if {
	some i, limit in limits
}

# scope → totals after and before the change.
totals[i] := {s: t |
	some s in {x.scope | some x in rows[i]}
	scope_matches(limits[i], s)
	t := {
		"after": sum([x.after | some x in rows[i]; x.scope == s]),
		"before": sum([x.before | some x in rows[i]; x.scope == s]),
	}
} if {
	some i, _ in limits
}

deny contains f if {
	some i, limit in limits
	some x in rows[i]
	added := x.after - x.before
	added > 0
	t := totals[i][x.scope]
	t.after > limit.max
	t.after > t.before
	f := {
		"policy": "gpu-quota",
		"address": x.address,
		"msg": sprintf(
			"%s GPUs in %s would be %v (was %v, counted at %s size), over the limit of %v; this resource adds %v",
			[limit.gpu, scope_label(x.scope), t.after, t.before, count_at, limit.max, added],
		),
	}
}

warn contains f if {
	some i, limit in limits
	some s, t in totals[i]
	t.after > limit.max
	t.after <= t.before
	f := {
		"policy": "gpu-quota",
		"address": "",
		"msg": sprintf(
			"%s GPUs in %s are already over the limit of %v (%v after this change, %v before)",
			[limit.gpu, scope_label(s), limit.max, t.after, t.before],
		),
	}
}
