variable "name" { type = string }
variable "location" { type = string }
variable "node_pools" {
  type = list(object({
    name              = string
    machine_type      = optional(string, "a3-highgpu-8g")
    node_count        = optional(number, 1)
    disk_size_gb      = optional(number, 100)
    accelerator_type  = optional(string)
    accelerator_count = optional(number, 0)
    spot              = optional(bool, false)
  }))
}

locals {
  pools = { for p in var.node_pools : p.name => p }
}

resource "google_container_cluster" "this" {
  provider                 = google-beta
  name                     = var.name
  location                 = var.location
  remove_default_node_pool = true
  initial_node_count       = 1
}

resource "google_container_node_pool" "pools" {
  provider   = google-beta
  for_each   = local.pools
  name       = each.key
  cluster    = google_container_cluster.this.id
  location   = var.location
  node_count = each.value.node_count
  node_locations = ["us-central1-a"]

  node_config {
    machine_type = each.value.machine_type
    disk_size_gb = each.value.disk_size_gb
    spot         = each.value.spot

    dynamic "guest_accelerator" {
      for_each = each.value.accelerator_count > 0 ? [each.value] : []
      content {
        type  = guest_accelerator.value.accelerator_type
        count = guest_accelerator.value.accelerator_count
      }
    }
  }
}
