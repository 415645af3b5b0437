package costgate.savings_schedule_test

import rego.v1

import data.costgate.savings_schedule

gpu := {"model": "A10G", "count": 1, "per_node": 1, "nodes": {"min": 1, "desired": 1, "max": 1}, "spot": false, "potential": false}

savings := {"scheduled_monthly_cents": 78313, "scheduled_hours": "173.8"}

res(over) := object.union(
	{"address": "aws_sagemaker_notebook_instance.nb", "type": "aws_sagemaker_notebook_instance", "action": "create", "tags": {}, "gpu": gpu,
	 "idle": {"interactive": true, "autopause": "missing", "detail": "d"}, "savings": savings},
	over,
)

test_notebook_without_autostop_gets_schedule_advice if {
	fs := savings_schedule.info with input as {"resources": [res({})]}
	count(fs) == 1
	some f in fs
	f.monthly_saving_cents == 78313
	contains(f.msg, "no idle auto-stop")
	contains(f.msg, "173.8 hours a month")
	contains(f.msg, "$783.13/month less")
}

test_dev_gpu_machine_gets_schedule_advice if {
	r := res({"type": "aws_instance", "address": "aws_instance.dev", "tags": {"env": "dev"}, "idle": null})
	some f in savings_schedule.info with input as {"resources": [r]}
	contains(f.msg, "dev environment")
}

test_autostop_schedule_tag_or_prod_pass if {
	rs := [
		res({"idle": {"interactive": true, "autopause": "configured", "detail": "d"}}),
		res({"address": "a.tagged", "tags": {"schedule": "office-hours"}}),
		res({"address": "a.prod", "type": "aws_instance", "tags": {"env": "prod"}, "idle": null}),
		res({"address": "a.cpu", "gpu": null}),
	]
	count(savings_schedule.info) == 0 with input as {"resources": rs}
}
