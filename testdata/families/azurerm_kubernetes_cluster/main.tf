# azurerm_kubernetes_cluster family fixture, written from the resources of the testdata plans
# (azure-ml); read in HCL mode.

provider "azurerm" {
  features {}
}

resource "azurerm_kubernetes_cluster" "aks" {
  name = "aks"
  location = "eastus"
  dns_prefix = "aks"
  default_node_pool {
    name = "system"
    vm_size = "Standard_D4s_v5"
    node_count = 3
    auto_scaling_enabled = false
  }
  tags = { "team" = "ml-research", "env" = "dev" }
}

resource "azurerm_kubernetes_cluster" "aks_standard" {
  name = "aks-standard"
  location = "eastus"
  dns_prefix = "aks-std"
  sku_tier = "Standard"
  default_node_pool {
    name = "system"
    vm_size = "Standard_D4s_v5"
    node_count = 1
    auto_scaling_enabled = false
    os_disk_type = "Ephemeral"
  }
  tags = { "team" = "ml-research", "env" = "dev" }
}

resource "azurerm_kubernetes_cluster" "aks_premium" {
  name = "aks-premium"
  location = "eastus"
  dns_prefix = "aks-prem"
  sku_tier = "Premium"
  default_node_pool {
    name = "system"
    vm_size = "Standard_D4s_v5"
    node_count = 1
    auto_scaling_enabled = false
    os_disk_type = "Ephemeral"
  }
  tags = { "team" = "ml-research", "env" = "dev" }
}
