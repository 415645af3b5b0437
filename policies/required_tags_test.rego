package costgate.required_tags_test

import rego.v1

import data.costgate.required_tags

cfg := {"policies": {"required-tags": {"rules": [
	{"types": ["*"], "keys": ["team", "owner"]},
	{"types": ["aws_instance"], "keys": ["env"], "allowed": {"env": ["dev", "prod"]}, "patterns": {"owner": "^[a-z]+@example\\.com$"}},
]}}}

res(over) := object.union(
	{
		"address": "aws_ebs_volume.v", "type": "aws_ebs_volume", "provider": "aws", "action": "create",
		"tags": {}, "tags_known": true, "taggable": true, "free": false,
	},
	over,
)

test_missing_tags_denied if {
	d := required_tags.deny with input as {"config": cfg, "resources": [res({"tags": {"Team": "x"}})]}
	some f in d
	f.address == "aws_ebs_volume.v"
	f.msg == "aws_ebs_volume.v is missing required tag(s): owner"
}

test_key_variants_match if {
	d := required_tags.deny with input as {"config": cfg, "resources": [res({"tags": {"TEAM": "x", "Owner": "y"}})]}
	count(d) == 0
}

test_gcp_says_label if {
	r := res({"address": "google_compute_disk.d", "type": "google_compute_disk", "provider": "google", "tags": {"team": "a"}})
	d := required_tags.deny with input as {"config": cfg, "resources": [r]}
	some f in d
	contains(f.msg, "missing required label(s): owner")
}

test_free_deleted_and_untaggable_are_skipped if {
	rs := [
		res({"free": true}),
		res({"action": "delete"}),
		res({"taggable": false}),
		res({"tags_known": false}),
	]
	count(required_tags.deny) == 0 with input as {"config": cfg, "resources": rs}
}

test_allowed_values_and_patterns if {
	r := res({"address": "aws_instance.i", "type": "aws_instance", "tags": {"team": "a", "owner": "Bob", "env": "qa"}})
	d := required_tags.deny with input as {"config": cfg, "resources": [r]}
	count(d) == 2
	some a in d
	contains(a.msg, `env = "qa", allowed: dev, prod`)
	some b in d
	contains(b.msg, "does not match")
}

test_exact_keys if {
	c := {"policies": {"required-tags": {"exact_keys": true, "rules": [{"keys": ["team"]}]}}}
	d := required_tags.deny with input as {"config": c, "resources": [res({"tags": {"Team": "x"}})]}
	count(d) == 1
}

test_no_config_no_findings if {
	count(required_tags.deny) == 0 with input as {"resources": [res({})]}
}

# A resource the change leaves alone is not judged by default: one legacy untagged instance
# does not block every pull request. `actions` can widen (an audit) or narrow it; `read` never.
test_actions_scope_the_changes_judged if {
	rs := [
		res({"address": "aws_ebs_volume.legacy", "action": "no-op"}),
		res({"address": "aws_ebs_volume.data", "action": "read"}),
		res({"address": "aws_ebs_volume.new", "action": "create"}),
		res({"address": "aws_ebs_volume.changed", "action": "update"}),
		res({"address": "aws_ebs_volume.rebuilt", "action": "replace"}),
	]
	d := required_tags.deny with input as {"config": cfg, "resources": rs}
	{f.address | some f in d} == {"aws_ebs_volume.new", "aws_ebs_volume.changed", "aws_ebs_volume.rebuilt"}
	audit := {"policies": {"required-tags": object.union(cfg.policies["required-tags"], {"actions": ["no-op", "create", "read"]})}}
	a := required_tags.deny with input as {"config": audit, "resources": rs}
	{f.address | some f in a} == {"aws_ebs_volume.legacy", "aws_ebs_volume.new"}
}
