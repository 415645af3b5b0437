# METADATA
# title: Required tags
# description: |
#   Every resource that costs money and can carry tags (AWS tags, GCP labels, Azure tags,
#   Databricks custom tags) must carry the tag keys the platform requires, with allowed values.
#   Provider default tags count (they are part of the effective tags). Key matching ignores
#   case, `-` and `_` unless `exact_keys = true` (GCP keys must be lowercase, so `CostCenter`
#   and `cost_center` are the same requirement).
#   Configure under [policies.required-tags]: rules = [{types, exclude_types, keys, allowed, patterns}],
#   include_free, actions (default create, update, replace: a resource the change leaves alone
#   is not judged).
# custom:
#   id: required-tags
#   severity: deny
#   resources_with: [taggable]
package costgate.required_tags

import rego.v1

cfg := object.get(input, ["config", "policies", "required-tags"], {})

rules := object.get(cfg, "rules", [])

exact_keys := object.get(cfg, "exact_keys", false)

include_free := object.get(cfg, "include_free", false)

# The changes judged: by default what the change creates, updates or replaces; a resource it
# leaves alone (`no-op`) is not this change's doing, and a data source (`read`) never is.
actions := {a | some a in object.get(cfg, "actions", ["create", "update", "replace"]); a != "read"}

norm(k) := k if exact_keys

norm(k) := lower(replace(replace(k, "-", ""), "_", "")) if not exact_keys

noun(r) := "label" if r.provider == "google"

noun(r) := "tag" if r.provider != "google"

# "*" and exact names are matched directly: glob.match compiles its pattern on every call.
type_matches(patterns, t) if "*" in patterns

type_matches(patterns, t) if t in patterns

type_matches(patterns, t) if {
	some p in patterns
	p != "*"
	p != t
	glob.match(p, [], t)
}

applies(rule, t) if {
	type_matches(object.get(rule, "types", ["*"]), t)
	not type_matches(object.get(rule, "exclude_types", []), t)
}

# Performance: rules are memoised, functions are not. Type patterns are matched once per
# resource type and tag keys normalised once per distinct key; the per-resource checks below
# are inline.

# Resource type → indexes of the rules that apply to it.
type_rules := {t: js |
	some t in {r.type | some r in input.resources}
	js := {j | some j, rule in rules; applies(rule, t)}
	count(js) > 0
}

# `free` values judged: free resources only with include_free.
judged_free := {false, true} if include_free else := {false}

# Resources judged: a rule applies to their type, the change touches them (`actions`) and they
# exist after it, can carry tags
# whose values are known, and cost something (unless include_free).
judged := [r |
	some r in input.resources
	type_rules[r.type]
	r.action in actions
	r.action != "delete"
	r.taggable
	r.tags_known
	r.free in judged_free
]

# Normalised form of every tag key on a judged resource.
norm_key := {k: norm(k) | some k in {t | some r in judged; some t, _ in r.tags}}

# Rule index → its required keys (as written → normalised).
required := {j: {k: norm(k) | some k in object.get(rule, "keys", [])} | some j, rule in rules}

# A resource's shape for this policy: its type and tag keys. Many resources share one, so
# missing keys are worked out once per shape (rules are memoised), not once per resource.
shape(r) := [r.type, object.keys(r.tags)]

shapes := {shape(r) | some r in judged}

missing_by_shape := {sh: missing |
	some sh in shapes
	present := {norm_key[t] | some t in sh[1]}
	missing := sort([k |
		some j in type_rules[sh[0]]
		some k, nk in required[j]
		not nk in present
	])
}

missing_keys(r) := missing_by_shape[shape(r)]

tag_values(r, key) := {v | nk := norm(key); some k, v in r.tags; norm_key[k] == nk}

# How many rules set `allowed` values / `patterns`: without any, the value checks below do not
# walk the resources at all.
value_rules(field) := count([j | some j, rule in rules; count(object.get(rule, field, {})) > 0])

deny contains f if {
	some r in judged
	missing := missing_keys(r)
	count(missing) > 0
	f := {
		"policy": "required-tags",
		"address": r.address,
		"msg": sprintf("%s is missing required %s(s): %s", [r.address, noun(r), concat(", ", missing)]),
	}
}

# A present tag whose value is not in the allowed list.
deny contains f if {
	value_rules("allowed") > 0
	some r in judged
	some j in type_rules[r.type]
	some key, allowed in object.get(rules[j], "allowed", {})
	some v in tag_values(r, key)
	not v in allowed
	f := {
		"policy": "required-tags",
		"address": r.address,
		"msg": sprintf("%s has %s %s = %q, allowed: %s", [r.address, noun(r), key, v, concat(", ", allowed)]),
	}
}

# A present tag whose value does not match the required pattern.
deny contains f if {
	value_rules("patterns") > 0
	some r in judged
	some j in type_rules[r.type]
	some key, pattern in object.get(rules[j], "patterns", {})
	some v in tag_values(r, key)
	not regex.match(pattern, v)
	f := {
		"policy": "required-tags",
		"address": r.address,
		"msg": sprintf("%s has %s %s = %q, which does not match %s", [r.address, noun(r), key, v, pattern]),
	}
}
