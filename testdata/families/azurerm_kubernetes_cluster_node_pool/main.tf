# azurerm_kubernetes_cluster_node_pool family fixture, written from the resources of the testdata plans
# (azure-ml); read in HCL mode.

provider "azurerm" {
  features {}
}

resource "azurerm_kubernetes_cluster_node_pool" "gpu" {
  name = "gpu"
  vm_size = "Standard_NC6s_v3"
  auto_scaling_enabled = true
  min_count = 0
  max_count = 4
  os_disk_type = "Ephemeral"
  priority = "Regular"
  mode = "User"
  tags = { "team" = "ml-research", "env" = "dev" }
  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id
}

resource "azurerm_kubernetes_cluster_node_pool" "t4_spot" {
  name = "t4spot"
  vm_size = "Standard_NC4as_T4_v3"
  enable_auto_scaling = true
  min_count = 1
  max_count = 3
  node_count = 2
  os_disk_size_gb = 64
  priority = "Spot"
  eviction_policy = "Delete"
  spot_max_price = -1
  tags = { "team" = "ml-research", "env" = "dev" }
  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id
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
