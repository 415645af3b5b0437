# METADATA
# title: Required tags
# description: |
#   Every resource that costs money and can carry tags (AWS tags, GCP labels, Azure tags,
#   Databricks custom tags) must carry the tag keys the platform requires, with allowed values.
#   Provider default tags count (they are part of the effective tags). Key matching ignores
#   case, `-` and `_` unless `exact_keys = true` (GCP keys must be lowercase, so `CostCenter`
#   and `cost_center` are the same requirement).
#   Configure under [policies.required-tags]: rules = [{types, exclude_types, keys, allowed, patterns}],
#   include_free.
# custom:
#   id: required-tags
#   severity: deny
package costgate.required_tags

import rego.v1

cfg := object.get(input, ["config", "policies", "required-tags"], {})

rules := object.get(cfg, "rules", [])

exact_keys := object.get(cfg, "exact_keys", false)

include_free := object.get(cfg, "include_free", false)

norm(k) := k if exact_keys

norm(k) := lower(replace(replace(k, "-", ""), "_", "")) if not exact_keys

noun(r) := "label" if r.provider == "google"

noun(r) := "tag" if r.provider != "google"

# Resources judged: they exist after the change, can carry tags whose values are known, and
# cost something (unless include_free).
candidate(r) if {
	not r.action in {"delete", "read"}
	r.taggable
	r.tags_known
	counts_for_cost(r)
}

counts_for_cost(r) if include_free

counts_for_cost(r) if not r.free

# "*" and exact names are matched directly: glob.match compiles its pattern on every call.
type_matches(patterns, t) if "*" in patterns

type_matches(patterns, t) if t in patterns

type_matches(patterns, t) if {
	some p in patterns
	p != "*"
	p != t
	glob.match(p, [], t)
}

applies(rule, r) if {
	type_matches(object.get(rule, "types", ["*"]), r.type)
	not type_matches(object.get(rule, "exclude_types", []), r.type)
}

tag_values(r, key) := {v | some k, v in r.tags; norm(k) == norm(key)}

missing_keys(r) := {k |
	present := {norm(t) | some t, _ in r.tags}
	some rule in rules
	applies(rule, r)
	some k in object.get(rule, "keys", [])
	not norm(k) in present
}

deny contains f if {
	some r in input.resources
	candidate(r)
	missing := sort([k | some k in missing_keys(r)])
	count(missing) > 0
	f := {
		"policy": "required-tags",
		"address": r.address,
		"msg": sprintf("%s is missing required %s(s): %s", [r.address, noun(r), concat(", ", missing)]),
	}
}

# A present tag whose value is not in the allowed list.
deny contains f if {
	some r in input.resources
	candidate(r)
	some rule in rules
	applies(rule, r)
	some key, allowed in object.get(rule, "allowed", {})
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
	some r in input.resources
	candidate(r)
	some rule in rules
	applies(rule, r)
	some key, pattern in object.get(rule, "patterns", {})
	some v in tag_values(r, key)
	not regex.match(pattern, v)
	f := {
		"policy": "required-tags",
		"address": r.address,
		"msg": sprintf("%s has %s %s = %q, which does not match %s", [r.address, noun(r), key, v, pattern]),
	}
}
