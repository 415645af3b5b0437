package costgate.unknown_fn

import rego.v1

deny contains msg if {
	some r in input.resources
	msg := rego.metadata.rule().title
}
