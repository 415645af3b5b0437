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
