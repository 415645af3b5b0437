package costgate.custom.broken

import rego.v1

deny contains msg if {
  some r in input.resources
  msg := sprintf("%s is bad", [r.address]
}
