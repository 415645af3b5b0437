# azurerm_public_ip family fixture (HCL mode), written for costgate from spec.json; plan.json beside it is made from the same spec by testdata/handmade_plan.py and must price the same.

provider "azurerm" {
  features {}
}

resource "azurerm_public_ip" "ingress" {
  name = "pip-ingress"
  location = "westeurope"
  allocation_method = "Static"
  sku = "Standard"
  sku_tier = "Regional"
  ip_version = "IPv4"
}

resource "azurerm_public_ip" "eastus" {
  name = "pip-e"
  location = "eastus"
  allocation_method = "Static"
  sku = "Standard"
  sku_tier = "Regional"
  ip_version = "IPv4"
}

resource "azurerm_public_ip" "legacy" {
  name = "pip-basic"
  location = "eastus"
  allocation_method = "Dynamic"
  sku = "Basic"
  sku_tier = "Regional"
  ip_version = "IPv4"
}

resource "azurerm_public_ip" "global" {
  name = "pip-global"
  location = "eastus2"
  allocation_method = "Static"
  sku = "Standard"
  sku_tier = "Global"
  ip_version = "IPv4"
}

resource "azurerm_public_ip" "v6" {
  name = "pip-v6"
  location = "eastus"
  allocation_method = "Static"
  sku = "Standard"
  sku_tier = "Regional"
  ip_version = "IPv6"
}

resource "azurerm_public_ip" "nosku" {
  name = "pip-nosku"
  location = "westeurope"
  allocation_method = "Static"
}
