# azurerm_machine_learning_compute_cluster family fixture, written from the resources of the testdata plans
# (azure-ml); read in HCL mode.

provider "azurerm" {
  features {}
}

resource "azurerm_machine_learning_compute_cluster" "train" {
  name = "train"
  location = "eastus"
  vm_size = "STANDARD_NC24ADS_A100_V4"
  vm_priority = "LowPriority"
  scale_settings {
    min_node_count = 2
    max_node_count = 8
    scale_down_nodes_after_idle_duration = "PT15M"
  }
  tags = { "team" = "ml-research", "env" = "dev" }
}
