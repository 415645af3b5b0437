# One resource per acceptance price of issue 15 (complete catalogs): each in a region the
# old catalogs did not price.
terraform {
  required_providers {
    aws     = { source = "hashicorp/aws" }
    azurerm = { source = "hashicorp/azurerm" }
    google  = { source = "hashicorp/google" }
  }
}

provider "aws" {
  region = "eu-central-1"
}

provider "aws" {
  alias  = "tokyo"
  region = "ap-northeast-1"
}

provider "aws" {
  alias  = "virginia"
  region = "us-east-1"
}

provider "azurerm" {
  features {}
}

resource "aws_instance" "frankfurt" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"
}

resource "aws_instance" "tokyo_gpu" {
  provider      = aws.tokyo
  ami           = "ami-0123456789abcdef0"
  instance_type = "g5.xlarge"
}

resource "aws_instance" "p5" {
  provider      = aws.virginia
  ami           = "ami-0123456789abcdef0"
  instance_type = "p5.48xlarge"
}

resource "azurerm_linux_virtual_machine" "sweden" {
  name                  = "vm-sweden"
  resource_group_name   = "rg"
  location              = "swedencentral"
  size                  = "Standard_D2s_v5"
  admin_username        = "azureuser"
  network_interface_ids = ["nic-1"]
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }
  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }
}

resource "azurerm_linux_virtual_machine" "a100" {
  name                  = "vm-a100"
  resource_group_name   = "rg"
  location              = "westeurope"
  size                  = "Standard_NC24ads_A100_v4"
  admin_username        = "azureuser"
  network_interface_ids = ["nic-2"]
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }
  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }
}

resource "google_compute_instance" "t4" {
  name         = "t4"
  machine_type = "n1-standard-4"
  zone         = "europe-west4-a"
  boot_disk {
    initialize_params {
      size = 50
      type = "pd-balanced"
    }
  }
  guest_accelerator {
    type  = "nvidia-tesla-t4"
    count = 1
  }
  scheduling {
    on_host_maintenance = "TERMINATE"
  }
  network_interface {
    network = "default"
  }
}

resource "google_compute_instance" "a3" {
  name         = "a3"
  machine_type = "a3-highgpu-8g"
  zone         = "us-east4-a"
  boot_disk {
    initialize_params {
      size = 100
      type = "pd-balanced"
    }
  }
  scheduling {
    on_host_maintenance = "TERMINATE"
  }
  network_interface {
    network = "default"
  }
}
