# GPU capacity held in an Azure capacity reservation group that no VM names.
provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "ai" {
  name     = "rg-ai"
  location = "eastus"
}

resource "azurerm_capacity_reservation_group" "gpu" {
  name                = "crg-gpu"
  resource_group_name = azurerm_resource_group.ai.name
  location            = azurerm_resource_group.ai.location
}

resource "azurerm_capacity_reservation" "h100" {
  name                          = "cr-h100"
  capacity_reservation_group_id = azurerm_capacity_reservation_group.gpu.id
  sku {
    name     = "Standard_ND96isr_H100_v5"
    capacity = 2
  }
}
