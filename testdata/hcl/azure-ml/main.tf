# Azure ML platform: two A100 VMs (count), an AKS cluster with a spot V100 pool, a managed
# data disk, a storage account and an Azure ML compute instance.
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

provider "azurerm" {
  features {}
}

variable "location" {
  type    = string
  default = "East US"
}

variable "gpu_vm_count" {
  type    = number
  default = 2
}

variable "subnet_id" {
  type    = string
  default = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/ml"
}

variable "workspace_id" {
  type    = string
  default = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/ws"
}

locals {
  tags = {
    team  = "ml-platform"
    owner = "bob@example.com"
  }
}

resource "azurerm_resource_group" "ml" {
  name     = "rg-ml"
  location = var.location
  tags     = local.tags
}

resource "azurerm_network_interface" "gpu" {
  count               = var.gpu_vm_count
  name                = "nic-gpu-${count.index}"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name

  ip_configuration {
    name                          = "internal"
    subnet_id                     = var.subnet_id
    private_ip_address_allocation = "Dynamic"
  }
}

resource "azurerm_linux_virtual_machine" "gpu" {
  count                 = var.gpu_vm_count
  name                  = "vm-a100-${count.index}"
  resource_group_name   = azurerm_resource_group.ml.name
  location              = azurerm_resource_group.ml.location
  size                  = "Standard_NC24ads_A100_v4"
  admin_username        = "azureuser"
  network_interface_ids = [azurerm_network_interface.gpu[count.index].id]
  custom_data           = base64encode(file("${path.module}/cloud-init.yaml"))

  admin_ssh_key {
    username   = "azureuser"
    public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE test"
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
    disk_size_gb         = 256
  }

  source_image_reference {
    publisher = "microsoft-dsvm"
    offer     = "ubuntu-hpc"
    sku       = "2204"
    version   = "latest"
  }

  tags = merge(local.tags, { role = "trainer" })
}

resource "azurerm_kubernetes_cluster" "aks" {
  name                = "aks-ml"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name
  dns_prefix          = "aksml"

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 2
  }

  identity {
    type = "SystemAssigned"
  }

  tags = local.tags
}

# Spot V100 pool: 1 node (0..3).
resource "azurerm_kubernetes_cluster_node_pool" "gpu" {
  name                  = "gpuspot"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id
  vm_size               = "Standard_NC6s_v3"
  auto_scaling_enabled  = true
  min_count             = 0
  max_count             = 3
  node_count            = 1
  priority              = "Spot"
  eviction_policy       = "Delete"
  spot_max_price        = -1

  tags = local.tags
}

resource "azurerm_managed_disk" "data" {
  name                 = "disk-datasets"
  location             = azurerm_resource_group.ml.location
  resource_group_name  = azurerm_resource_group.ml.name
  storage_account_type = "Premium_LRS"
  create_option        = "Empty"
  disk_size_gb         = 1024
  tags                 = local.tags
}

resource "azurerm_storage_account" "ml" {
  name                     = "stmlartifacts001"
  resource_group_name      = azurerm_resource_group.ml.name
  location                 = azurerm_resource_group.ml.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
  tags                     = local.tags
}

resource "azurerm_machine_learning_compute_instance" "nb" {
  name                          = "ci-research"
  machine_learning_workspace_id = var.workspace_id
  virtual_machine_size          = "STANDARD_NC6S_V3"
  tags                          = local.tags
}
