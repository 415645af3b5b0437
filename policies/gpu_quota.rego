# METADATA
# title: GPU quota per model and scope
# description: |
#   Caps how many GPUs of a model or family may exist after the change, per scope (the value
#   of a tag such as `env` or `team`, or the whole plan). What exists and is kept (no-op,
#   update) counts, plus what the plan adds, minus what it deletes. Node pools and groups count
#   at their maximum size by default (`count_at = "max"`), or at desired size
#   (`count_at = "desired"`). Denies when a plan raises a scope over its limit; warns when a
#   scope is already over and the plan does not make it worse.
#   Configure under [policies.gpu-quota]: count_at, scope_tag, limits = [{gpu, scope, max}],
#   actions (the changes whose per-resource lines are judged; default create, update, replace);
#   `gpu` is a model or family glob, or a list of them counted together.
#   scope = "project" (monorepo) makes each project a scope (limit `scope` = project name).
# custom:
#   id: gpu-quota
#   severity: deny
#   resources_with: [gpu, gpu_before]
package costgate.gpu_quota

import rego.v1

cfg := object.get(input, ["config", "policies", "gpu-quota"], {})

count_at := object.get(cfg, "count_at", "max")

scope_tag := object.get(cfg, "scope_tag", "")

limits := object.get(cfg, "limits", [])

# The GPU count field: at maximum or at desired size.
count_key := "max_count" if count_at == "max" else := "count"

per_project if object.get(cfg, "scope", "tag") == "project"

scope_of(r) := "all" if {
	not per_project
	scope_tag == ""
}

scope_of(r) := object.get(r.tags, scope_tag, "(untagged)") if {
	not per_project
	scope_tag != ""
}

scope_of(r) := p if {
	per_project
	p := object.get(r, "project", null)
	is_string(p)
}

scope_of(r) := "(no project)" if {
	per_project
	not is_string(object.get(r, "project", null))
}

scope_label(s) := "the plan" if {
	not per_project
	scope_tag == ""
}

scope_label(s) := sprintf("%s=%s", [scope_tag, s]) if {
	not per_project
	scope_tag != ""
}

scope_label(s) := sprintf("project %s", [s]) if per_project

# Plain names compare directly; glob.match (which compiles its pattern on every call) is only
# used for patterns with wildcards.
is_pattern(p) if {
	some c in ["*", "?", "[", "{"]
	contains(p, c)
}

# A limit's `gpu`: one glob, or several counted together (`gpu = ["H100*", "A100*"]`).
globs(limit) := [limit.gpu] if is_string(limit.gpu)

globs(limit) := limit.gpu if is_array(limit.gpu)

gpu_label(limit) := concat(" + ", globs(limit))

# A GPU kind is [model, family] (family may be null).
gpu_matches(limit, k) if {
	some p in globs(limit)
	glob_matches(p, k)
}

glob_matches(p, k) if p == "*"

glob_matches(p, k) if lower(p) == lower(k[0])

glob_matches(p, k) if {
	is_string(k[1])
	lower(p) == lower(k[1])
}

glob_matches(p, k) if {
	p != "*"
	is_pattern(p)
	glob.match(lower(p), [], lower(k[0]))
}

glob_matches(p, k) if {
	p != "*"
	is_pattern(p)
	is_string(k[1])
	glob.match(lower(p), [], lower(k[1]))
}

scope_matches(limit, s) if object.get(limit, "scope", "*") == "*"

scope_matches(limit, s) if limit.scope == s

scope_matches(limit, s) if {
	limit.scope != "*"
	is_pattern(limit.scope)
	glob.match(limit.scope, [], s)
}

# Performance: a 50k-resource plan must stay fast. Rules are memoised, functions are not, so
# the resources are filtered once, inline, into the few that run GPUs; GPU kinds are matched
# against a limit once per kind; and everything per limit is computed once.

# [index, gpu facts] of every resource that runs GPUs after the change (not deleted, and not a
# template that merely could start GPUs) ...
gpus_after := [[i, r.gpu] |
	some i, r in input.resources
	is_object(r.gpu)
	not r.action in {"delete", "read"}
	not object.get(r.gpu, "potential", false)
]

# ... and before the change (not new).
gpus_before := [[i, r.gpu_before] |
	some i, r in input.resources
	is_object(r.gpu_before)
	not r.action in {"create", "read"}
	not object.get(r.gpu_before, "potential", false)
]

kind(g) := [g.model, object.get(g, "family", null)]

# Distinct GPU kinds in the plan.
kinds := {kind(g) | some [_, g] in array.concat(gpus_after, gpus_before)}

# Limit index → the GPU kinds it covers.
covered[l] := {k | some k in kinds; gpu_matches(limit, k)} if some l, limit in limits

# Limit index → resource index → GPUs counted after (before) the change.
after_counts[l] := {i: g[count_key] | some [i, g] in gpus_after; kind(g) in covered[l]} if some l, _ in limits

before_counts[l] := {i: g[count_key] | some [i, g] in gpus_before; kind(g) in covered[l]} if some l, _ in limits

# Limit index → indexes of the resources with covered GPUs before or after the change.
counted[l] := object.keys(after_counts[l]) | object.keys(before_counts[l]) if some l, _ in limits

# One row per resource with covered GPUs before or after the change.
rows[l] := [row |
	some i in counted[l]
	a := object.get(after_counts[l], i, 0)
	b := object.get(before_counts[l], i, 0)
	a + b > 0
	r := input.resources[i]
	row := {"scope": scope_of(r), "after": a, "before": b, "address": r.address, "action": r.action}
] if {
	some l, _ in limits
}

# Limit index → scope → row index → [after, before]: the rows grouped by scope in one pass
# (summing per scope over all rows would cost scopes × rows).
by_scope[l][s][j] := [x.after, x.before] if {
	some l, _ in limits
	some j, x in rows[l]
	s := x.scope
}

# scope → totals after and before the change.
totals[l] := {s: t |
	some s, per in by_scope[l]
	scope_matches(limits[l], s)
	t := {
		"after": sum([v[0] | some v in per]),
		"before": sum([v[1] | some v in per]),
	}
} if {
	some l, _ in limits
}

# What could add GPUs the counts do not show: modules not loaded, count/for_each unknown.
unseen := array.concat([g.address | some g in object.get(input, ["coverage", "gaps"], [])], object.get(input, ["coverage", "unknown_instances"], []))

could_add := sprintf(" (%d not counted: %s could add GPUs)", [count(unseen), names(unseen)]) if count(unseen) > 0

could_add := "" if count(unseen) == 0

names(xs) := concat(", ", xs) if count(xs) <= 3

names(xs) := sprintf("%s and %d more", [concat(", ", array.slice(xs, 0, 3)), count(xs) - 3]) if count(xs) > 3

# The changes whose per-resource lines are judged (default create, update, replace); every
# resource still counts in the totals.
actions := {a | some a in object.get(cfg, "actions", ["create", "update", "replace"]); a != "read"}

deny contains f if {
	some l, limit in limits
	some x in rows[l]
	x.action in actions
	added := x.after - x.before
	added > 0
	t := totals[l][x.scope]
	t.after > limit.max
	t.after > t.before
	f := {
		"policy": "gpu-quota",
		"address": x.address,
		"msg": sprintf(
			"%s GPUs in %s would be %v (was %v, counted at %s size), over the limit of %v; this resource adds %v%s",
			[gpu_label(limit), scope_label(x.scope), t.after, t.before, count_at, limit.max, added, could_add],
		),
	}
}

warn contains f if {
	some l, limit in limits
	some s, t in totals[l]
	t.after > limit.max
	t.after <= t.before
	f := {
		"policy": "gpu-quota",
		"address": "",
		"msg": sprintf(
			"%s GPUs in %s are already over the limit of %v (%v after this change, %v before)%s",
			[gpu_label(limit), scope_label(s), limit.max, t.after, t.before, could_add],
		),
	}
}
