# Azure OpenAI deployments: Data Zone provisioned (PTU) and Global Standard (tokens).
provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "ai" {
  name     = "rg-ai"
  location = "eastus"
}

resource "azurerm_cognitive_account" "openai" {
  name                = "oai-prod"
  location            = azurerm_resource_group.ai.location
  resource_group_name = azurerm_resource_group.ai.name
  kind                = "OpenAI"
  sku_name            = "S0"
}

resource "azurerm_cognitive_deployment" "ptu" {
  name                 = "gpt4o-ptu"
  cognitive_account_id = azurerm_cognitive_account.openai.id
  model {
    format  = "OpenAI"
    name    = "gpt-4o"
    version = "2024-11-20"
  }
  sku {
    name     = "DataZoneProvisionedManaged"
    capacity = 15
  }
}

resource "azurerm_cognitive_deployment" "chat" {
  name                 = "gpt4o-chat"
  cognitive_account_id = azurerm_cognitive_account.openai.id
  model {
    format  = "OpenAI"
    name    = "gpt-4o"
    version = "2024-11-20"
  }
  sku {
    name     = "GlobalStandard"
    capacity = 100
  }
}

# GPU capacity held in an Azure capacity reservation group that no VM names.
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
