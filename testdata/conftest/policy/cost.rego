# Rego v0 in another namespace: conftest `violation` results (objects with msg and details),
# reading costgate's enrichment next to the plan's own fields.
package terraform.cost

violation[{"msg": msg, "details": {"address": r.address, "monthly": r.monthly_cost}}] {
	r := input.resources[_]
	r.monthly_cost_cents > 1000000
	msg := sprintf("costs %s a month", [r.monthly_cost])
}

violation[{"msg": msg, "details": {}}] {
	input.format_version
	not startswith(input.terraform_version, "1.")
	msg := "the plan was made by Terraform before 1.0"
}
