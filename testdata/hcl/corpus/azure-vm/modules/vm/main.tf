variable "name" { type = string }
variable "location" { type = string }
variable "vm" {
  type = object({
    size  = optional(string, "Standard_NC24ads_A100_v4")
    count = optional(number, 1)
    os_disk = optional(object({
      storage_account_type = optional(string, "Premium_LRS")
      disk_size_gb         = optional(number, 256)
    }), {})
  })
}

resource "azurerm_linux_virtual_machine" "this" {
  count                 = var.vm.count
  name                  = "${var.name}-${count.index}"
  location              = var.location
  resource_group_name   = "rg-corpus"
  size                  = var.vm.size
  admin_username        = "azureuser"
  network_interface_ids = ["nic-${count.index}"]

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = var.vm.os_disk.storage_account_type
    disk_size_gb         = var.vm.os_disk.disk_size_gb
  }

  source_image_reference {
    publisher = "microsoft-dsvm"
    offer     = "ubuntu-hpc"
    sku       = "2204"
    version   = "latest"
  }
}
