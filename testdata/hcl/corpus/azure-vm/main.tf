# Modelled on an Azure VM module: an object variable with optional attributes.
provider "azurerm" {
  features {}
}

module "trainer" {
  source   = "./modules/vm"
  name     = "trainer"
  location = "East US"
  vm = {
    count = 2
  }
}
