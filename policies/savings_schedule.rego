# METADATA
# title: Savings advice — schedules for notebooks and dev GPU machines
# description: |
#   Advises (info, never blocks) a working-hours schedule for interactive resources without
#   an idle auto-stop (notebooks, workstations, dev clusters) and for GPU machines and pools in
#   dev environments that nothing stops off-hours, with the monthly saving computed by
#   costgate from catalog prices: the current cost of their compute less its cost at
#   `hours_per_month` (default 173.8 = 8 h × 21.725 weekdays) (`savings.scheduled_monthly_cents`).
#   Configure under [policies.savings-schedule]: hours_per_month, min_monthly_saving, gpu_only,
#   dev_envs, env_tags, schedule_tags, actions, exempt_types.
# custom:
#   id: savings-schedule
#   severity: info
#   resources_with: [savings]
package costgate.savings_schedule

import data.costgate.budget
import rego.v1

cfg := object.get(input, ["config", "policies", "savings-schedule"], {})

min_saving := round(object.get(cfg, "min_monthly_saving", 10) * 100)

actions := {a | some a in object.get(cfg, "actions", ["create", "update", "replace"])}

gpu_only := object.get(cfg, "gpu_only", true)

dev_envs := {lower(e) | some e in object.get(cfg, "dev_envs", ["dev", "development", "sandbox", "test"])}

env_tags := {lower(t) | some t in object.get(cfg, "env_tags", ["env", "environment", "stage"])}

schedule_tags := {lower(t) | some t in object.get(cfg, "schedule_tags", ["schedule"])}

# Exempt types, matched once per distinct type (nothing to do when none are configured).
exempt := {t |
	some p in object.get(cfg, "exempt_types", [])
	some t in {r.type | some r in input.resources}
	glob.match(p, [], t)
}

candidates := [r |
	some r in input.resources
	is_object(r.savings)
	is_number(r.savings.scheduled_monthly_cents)
	r.savings.scheduled_monthly_cents >= min_saving
	r.action in actions
	not r.type in exempt
	not has_schedule_tag(r)
]

has_schedule_tag(r) if {
	some k, _ in r.tags
	lower(k) in schedule_tags
}

is_dev(r) if {
	some k, v in r.tags
	lower(k) in env_tags
	lower(v) in dev_envs
}

runs_gpus(r) if {
	is_object(r.gpu)
	not object.get(r.gpu, "potential", false)
}

in_scope(r) if not gpu_only

in_scope(r) if runs_gpus(r)

# Interactive and never stops by itself.
always_on(r) := "it has no idle auto-stop" if {
	is_object(r.idle)
	r.idle.interactive
	r.idle.autopause == "missing"
	in_scope(r)
}

# GPUs in a dev environment that nothing stops off-hours.
always_on(r) := "nothing stops it off-hours in a dev environment" if {
	runs_gpus(r)
	not object.get(object.get(r, "idle", {}), "interactive", false)
	is_dev(r)
	not object.get(object.get(r, "idle", {}), "autopause", "missing") in {"configured", "default-on"}
}

info contains f if {
	some r in candidates
	why := always_on(r)
	saving := r.savings.scheduled_monthly_cents
	f := {
		"policy": "savings-schedule",
		"address": r.address,
		"monthly_saving_cents": saving,
		"msg": sprintf(
			"%s runs around the clock (%s); on a schedule of %s hours a month (8 h on weekdays) it would cost %s/month less",
			[r.address, why, r.savings.scheduled_hours, budget.money(saving)],
		),
	}
}
