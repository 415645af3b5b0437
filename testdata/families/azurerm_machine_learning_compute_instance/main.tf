# azurerm_machine_learning_compute_instance family fixture, written from the resources of the testdata plans
# (azure-ml); read in HCL mode.

provider "azurerm" {
  features {}
}

resource "azurerm_machine_learning_compute_instance" "dev" {
  name = "dev"
  virtual_machine_size = "Standard_NC4as_T4_v3"
  tags = { "team" = "ml-research", "env" = "dev" }
}
