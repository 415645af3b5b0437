# azurerm_nat_gateway family fixture (HCL mode), written for costgate from spec.json; plan.json beside it is made from the same spec by testdata/handmade_plan.py and must price the same.

provider "azurerm" {
  features {}
}

resource "azurerm_nat_gateway" "egress" {
  name = "nat-egress"
  location = "westeurope"
  sku_name = "Standard"
  idle_timeout_in_minutes = 4
}
