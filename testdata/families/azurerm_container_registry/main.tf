# azurerm_container_registry family fixture (HCL mode), written for costgate from spec.json; plan.json beside it is made from the same spec by testdata/handmade_plan.py and must price the same.

provider "azurerm" {
  features {}
}

resource "azurerm_container_registry" "basic" {
  name = "acrbasic"
  location = "eastus"
  sku = "Basic"
  admin_enabled = false
}

resource "azurerm_container_registry" "standard" {
  name = "acrstd"
  location = "westeurope"
  sku = "Standard"
  admin_enabled = false
}

resource "azurerm_container_registry" "premium" {
  name = "acrprem"
  location = "westeurope"
  sku = "Premium"
  admin_enabled = false
  georeplications {
    location = "northeurope"
    zone_redundancy_enabled = false
  }
}
