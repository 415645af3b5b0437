# azurerm_virtual_machine family fixture, written from the resources of the testdata plans
# (azure-ml); read in HCL mode.

provider "azurerm" {
  features {}
}

resource "azurerm_linux_virtual_machine" "a100" {
  name = "a100"
  location = "eastus"
  size = "Standard_NC24ads_A100_v4"
  priority = "Regular"
  os_disk {
    caching = "ReadWrite"
    storage_account_type = "Premium_LRS"
    disk_size_gb = 128
  }
  tags = { "team" = "ml-research", "env" = "dev" }
}

resource "azurerm_linux_virtual_machine" "a100_spot" {
  name = "a100-spot"
  location = "eastus"
  size = "Standard_NC24ads_A100_v4"
  priority = "Spot"
  eviction_policy = "Deallocate"
  max_bid_price = -1
  os_disk {
    caching = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }
  tags = { "team" = "ml-research", "env" = "dev" }
}

resource "azurerm_windows_virtual_machine" "t4" {
  name = "t4win"
  location = "East US"
  size = "Standard_NC4as_T4_v3"
  priority = "Regular"
  os_disk {
    caching = "ReadWrite"
    storage_account_type = "StandardSSD_LRS"
    disk_size_gb = 127
  }
  tags = { "team" = "ml-research", "env" = "dev" }
}

resource "azurerm_linux_virtual_machine" "mystery" {
  name = "mystery"
  location = "eastus"
  size = "Standard_NX99_v9"
  os_disk {
    storage_account_type = "Standard_LRS"
    disk_size_gb = 30
  }
  tags = { "team" = "ml-research", "env" = "dev" }
}
