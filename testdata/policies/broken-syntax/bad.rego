package costgate.bad

import rego.v1

deny contains msg if {
	some r in input.resources
	msg := sprintf("%s", [r.address]
}
