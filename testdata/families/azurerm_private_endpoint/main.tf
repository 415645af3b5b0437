# azurerm_private_endpoint family fixture (HCL mode), written for costgate from spec.json; plan.json beside it is made from the same spec by testdata/handmade_plan.py and must price the same.

provider "azurerm" {
  features {}
}

resource "azurerm_subnet" "pe" {
  name = "snet-pe"
  resource_group_name = "rg-ml"
  virtual_network_name = "vnet-ml"
  address_prefixes = ["10.0.1.0/24"]
}

resource "azurerm_private_endpoint" "kv" {
  name = "pe-kv"
  location = "swedencentral"
  private_service_connection {
    name = "kv"
    is_manual_connection = false
    subresource_names = ["vault"]
  }
  subnet_id = azurerm_subnet.pe.id
}
