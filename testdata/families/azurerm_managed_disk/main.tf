# azurerm_managed_disk family fixture, written from the resources of the testdata plans
# (azure-ml); read in HCL mode.

provider "azurerm" {
  features {}
}

resource "azurerm_managed_disk" "data" {
  name = "data"
  location = "eastus"
  storage_account_type = "Premium_LRS"
  create_option = "Empty"
  disk_size_gb = 600
  tags = { "team" = "ml-research", "env" = "dev" }
}

resource "azurerm_managed_disk" "small" {
  name = "small"
  location = "eastus"
  storage_account_type = "Standard_LRS"
  create_option = "Empty"
  disk_size_gb = 10
  tags = { "team" = "ml-research", "env" = "dev" }
}
