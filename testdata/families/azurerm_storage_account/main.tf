# azurerm_storage_account family fixture, written from the resources of the testdata plans
# (azure-ml); read in HCL mode.

provider "azurerm" {
  features {}
}

resource "azurerm_storage_account" "lake" {
  name = "acmelake"
  location = "westus"
  account_tier = "Standard"
  account_replication_type = "LRS"
  access_tier = "Hot"
  account_kind = "StorageV2"
  tags = { "team" = "ml-research", "env" = "dev" }
}
