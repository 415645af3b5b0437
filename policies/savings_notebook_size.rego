# METADATA
# title: Savings advice — over-sized GPU notebooks
# description: |
#   Advises (info, never blocks) a smaller type for notebooks and other interactive resources
#   with more GPUs than `max_gpus` or a high-end GPU model, with the monthly saving computed by
#   costgate from catalog prices against the cheapest GPU type of the same family (or one
#   attached GPU instead of several) (`savings.smallest_notebook_monthly_cents`,
#   `savings.smallest_notebook_type`).
#   Configure under [policies.savings-notebook-size]: max_gpus, high_end_models (globs on the
#   GPU model), allowed_types (globs on the instance/machine/VM type that are always fine),
#   min_monthly_saving, actions, exempt_types.
# custom:
#   id: savings-notebook-size
#   severity: info
#   resources_with: [savings]
package costgate.savings_notebook_size

import data.costgate.budget
import rego.v1

cfg := object.get(input, ["config", "policies", "savings-notebook-size"], {})

min_saving := round(object.get(cfg, "min_monthly_saving", 10) * 100)

actions := {a | some a in object.get(cfg, "actions", ["create", "update", "replace"])}

max_gpus := object.get(cfg, "max_gpus", 1)

high_end := object.get(cfg, "high_end_models", ["H100*", "H200*", "A100*", "B200*", "GB200*"])

allowed_types := object.get(cfg, "allowed_types", [])

# Exempt types, matched once per distinct type (nothing to do when none are configured).
exempt := {t |
	some p in object.get(cfg, "exempt_types", [])
	some t in {r.type | some r in input.resources}
	glob.match(p, [], t)
}

candidates := [r |
	some r in input.resources
	is_object(r.savings)
	is_number(r.savings.smallest_notebook_monthly_cents)
	r.savings.smallest_notebook_monthly_cents >= min_saving
	r.action in actions
	not r.type in exempt
	is_object(r.idle)
	r.idle.interactive
	is_object(r.gpu)
	not allowed(r)
]

allowed(r) if {
	t := r.savings.notebook_type
	is_string(t)
	some p in allowed_types
	glob.match(p, [], t)
}

why(r) := sprintf("%v GPUs, more than %v", [r.gpu.per_node, max_gpus]) if r.gpu.per_node > max_gpus

why(r) := sprintf("a high-end %s GPU", [r.gpu.model]) if {
	r.gpu.per_node <= max_gpus
	some p in high_end
	glob.match(p, [], r.gpu.model)
}

info contains f if {
	some r in candidates
	reason := why(r)
	saving := r.savings.smallest_notebook_monthly_cents
	f := {
		"policy": "savings-notebook-size",
		"address": r.address,
		"monthly_saving_cents": saving,
		"msg": sprintf(
			"%s is a notebook with %s; %s would cost %s/month less",
			[r.address, reason, r.savings.smallest_notebook_type, budget.money(saving)],
		),
	}
}
