# METADATA
# title: Idle commitment
# description: |
#   A commitment of the price book (reserved instances, an Azure reservation, a savings plan
#   or committed-use discount) that the configuration does not use in full is paid for
#   nothing: warns with how much of it is unused and what that costs a month. Commitments are
#   spread over what already runs first, then over the change. Nothing is reported without a
#   price book (`[price_book]` in costgate.toml or --price-book).
# custom:
#   id: idle-commitment
#   severity: warn
package costgate.idle_commitment

import rego.v1

idle := object.get(input, ["price_book", "idle_commitments"], [])

kinds := {"reserved": "reserved", "savings_plan": "savings plan"}

what(c) := "nothing in the configuration uses it" if c.unused

what(c) := c.detail if not c.unused

warn contains f if {
	some c in idle
	f := {
		"policy": "idle-commitment",
		"address": "",
		"msg": sprintf("commitment `%s` (%s, %s) is idle: %s; %s %s a month paid for nothing", [c.id, kinds[c.kind], c.scope, what(c), c.monthly_unused, input.currency]),
	}
}
