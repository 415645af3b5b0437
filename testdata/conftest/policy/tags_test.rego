package main

import rego.v1

plan_with(after) := {"resource_changes": [{
	"address": "aws_instance.a", "mode": "managed", "type": "aws_instance",
	"change": {"actions": ["create"], "after": after},
}]}

test_missing_cost_center_denied if {
	deny["aws_instance.a is missing required tags: cost-center"] with input as plan_with({"tags": {"team": "x"}})
}

test_tagged_passes if {
	count(deny) == 0 with input as plan_with({"tags": {"cost-center": "42"}})
}

test_null_tags_count_as_none if {
	count(deny) == 1 with input as plan_with({"tags": null})
}

test_gpu_without_owner_v0_rule if {
	count(deny_gpu_without_owner) == 1 with input as plan_with({"instance_type": "g5.xlarge", "tags": {}})
}

test_plan_excerpt_from_a_file if {
	plan := parse_config_file("fixtures/excerpt.json")
	count(deny) == 1 with input as plan
}

test_hcl_parses_like_conftest if {
	cfg := parse_config("hcl2", `
resource "aws_instance" "web" {
  instance_type = "p5.48xlarge"
  tags = { team = "ml" }
}
`)
	cfg.resource.aws_instance.web[0].instance_type == "p5.48xlarge"
}

todo_test_exceptions if {
	false
}
