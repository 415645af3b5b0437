# azurerm_virtual_machine_scale_set family fixture, written from the resources of the testdata plans
# (azure-ml, savings-multicloud); read in HCL mode.

provider "azurerm" {
  features {}
}

resource "azurerm_linux_virtual_machine_scale_set" "h100" {
  name = "h100"
  location = "eastus"
  sku = "Standard_ND96isr_H100_v5"
  instances = 2
  priority = "Regular"
  os_disk {
    caching = "ReadWrite"
    storage_account_type = "Premium_LRS"
    disk_size_gb = 256
  }
  tags = { "team" = "ml-research", "env" = "dev" }
}

resource "azurerm_linux_virtual_machine_scale_set" "trainers" {
  name = "trainers"
  location = "eastus"
  sku = "Standard_NC24ads_A100_v4"
  instances = 2
  admin_username = "ml"
  os_disk {
    caching = "ReadWrite"
    storage_account_type = "Premium_LRS"
    disk_size_gb = 128
  }
  priority = "Regular"
  tags = { "team" = "ml-research", "env" = "prod", "workload" = "training" }
}

# Hand-written: the Windows and Flexible orchestration types, priced like the Linux one.
resource "azurerm_windows_virtual_machine_scale_set" "render" {
  name      = "render"
  location  = "westeurope"
  sku       = "Standard_NC4as_T4_v3"
  instances = 3
  priority  = "Spot"
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "StandardSSD_LRS"
    disk_size_gb         = 128
  }
}

resource "azurerm_orchestrated_virtual_machine_scale_set" "flex" {
  name                        = "flex"
  location                    = "eastus"
  sku_name                    = "Standard_NC24ads_A100_v4"
  instances                   = 1
  platform_fault_domain_count = 1
}
