# METADATA
# title: Savings advice — GPU pools that never scale to zero
# description: |
#   Advises (info, never blocks) letting GPU node pools, groups and clusters whose minimum size
#   is above 0 scale to zero when idle, with the monthly cost of the nodes held at the minimum
#   (`savings.min_zero_monthly_cents` = min × node hourly × 730, from catalog prices): what
#   idle hours at the floor cost.
#   Configure under [policies.savings-min-zero]: min_monthly_saving, pool_types, gpu (globs on
#   the GPU model or family that count; default every GPU), actions, exempt_types.
# custom:
#   id: savings-min-zero
#   severity: info
#   resources_with: [savings]
package costgate.savings_min_zero

import data.costgate.budget
import data.costgate.savings_spot
import rego.v1

cfg := object.get(input, ["config", "policies", "savings-min-zero"], {})

min_saving := round(object.get(cfg, "min_monthly_saving", 10) * 100)

actions := {a | some a in object.get(cfg, "actions", ["create", "update", "replace"])}

pool_types := {t | some t in object.get(cfg, "pool_types", savings_spot.default_pool_types)}

gpu_globs := object.get(cfg, "gpu", ["*"])

# Exempt types, matched once per distinct type (nothing to do when none are configured).
exempt := {t |
	some p in object.get(cfg, "exempt_types", [])
	some t in {r.type | some r in input.resources}
	glob.match(p, [], t)
}

# GPU models and families in the plan ...
gpu_names := {g |
	some r in input.resources
	is_object(r.gpu)
	some g in [r.gpu.model, object.get(r.gpu, "family", null)]
	is_string(g)
}

# ... and those that count, matched once per distinct value (glob.match compiles its pattern
# on every call).
counted := {g |
	some g in gpu_names
	some p in gpu_globs
	glob.match(p, [], g)
}

counts(r) if r.gpu.model in counted

counts(r) if object.get(r.gpu, "family", null) in counted

info contains f if {
	some r in input.resources
	is_object(r.savings)
	is_number(r.savings.min_zero_monthly_cents)
	r.savings.min_zero_monthly_cents >= min_saving
	r.type in pool_types
	r.action in actions
	not r.type in exempt
	counts(r)
	saving := r.savings.min_zero_monthly_cents
	f := {
		"policy": "savings-min-zero",
		"address": r.address,
		"monthly_saving_cents": saving,
		"msg": sprintf(
			"%s keeps at least %d %s GPU node(s) running even when idle; a minimum of 0 would save up to %s/month of idle capacity",
			[r.address, r.gpu.nodes.min, r.gpu.model, budget.money(saving)],
		),
	}
}
