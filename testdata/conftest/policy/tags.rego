# Written the way platform teams write conftest policies for `terraform show -json`
# (package main, Rego v1): every resource the plan creates must carry a cost-center tag.
package main

import rego.v1

required := {"cost-center"}

creates(rc) if "create" in rc.change.actions

tags(rc) := object.get(rc.change.after, "tags", {}) if is_object(object.get(rc.change.after, "tags", {}))

tags(rc) := {} if not is_object(object.get(rc.change.after, "tags", {}))

# String results: the message names the resource.
deny contains msg if {
	some rc in input.resource_changes
	creates(rc)
	rc.mode == "managed"
	missing := required - {k | some k, _ in tags(rc)}
	count(missing) > 0
	msg := sprintf("%s is missing required tags: %v", [rc.address, concat(", ", sort(missing))])
}

# An object result with the address as a field.
warn_big contains {"msg": msg, "address": rc.address} if {
	some rc in input.resource_changes
	creates(rc)
	startswith(object.get(rc.change.after, "instance_type", ""), "p5.")
	msg := sprintf("instance type %s is the most expensive GPU family", [rc.change.after.instance_type])
}

# A plan-level result: names no resource.
warn contains msg if {
	count([rc | some rc in input.resource_changes; creates(rc)]) > 5
	msg := sprintf("this plan creates %d resources; split it", [count([rc | some rc in input.resource_changes; creates(rc)])])
}

# Reads planned_values and the Terraform version, as plan-wide checks often do.
warn_version contains msg if {
	not startswith(input.terraform_version, "1.11")
	msg := sprintf("plan made by Terraform %s; the platform runs 1.11", [input.terraform_version])
}

deny_planned_public contains {"msg": sprintf("%s is public", [r.address]), "details": {"address": r.address}} if {
	some r in input.planned_values.root_module.resources
	r.values.acl == "public-read"
}
