# Resources whose region is that of the resource they refer to (issue 24): priced there, not
# in the provider's region.

provider "azurerm" {
  features {}
}

provider "google" {
  project = "demo"
  region  = "us-central1"
}

resource "azurerm_resource_group" "ml" {
  name     = "ml"
  location = "westeurope"
}

resource "azurerm_kubernetes_cluster" "aks" {
  name                = "aks"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name
  dns_prefix          = "aks"
  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 1
  }
  identity {
    type = "SystemAssigned"
  }
}

# No location of its own: the cluster's (westeurope), not the provider's assumed eastus.
resource "azurerm_kubernetes_cluster_node_pool" "gpu" {
  name                  = "gpu"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id
  vm_size               = "Standard_NC24ads_A100_v4"
  node_count            = 1
}

resource "google_container_cluster" "gke" {
  name               = "gke"
  location           = "europe-west4"
  initial_node_count = 1
}

# No location: the cluster's (europe-west4), not the provider's us-central1.
resource "google_container_node_pool" "gpu" {
  name       = "gpu"
  cluster    = google_container_cluster.gke.name
  node_count = 2
  node_config {
    machine_type = "n1-standard-4"
  }
}

resource "google_compute_instance" "vm" {
  name         = "vm"
  zone         = "europe-west4-a"
  machine_type = "n1-standard-4"
  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
  network_interface {
    network = "default"
  }
}

# No zone: attached to the instance, so in its zone.
resource "google_compute_disk" "data" {
  name = "data"
  type = "pd-ssd"
  size = 500
}

resource "google_compute_attached_disk" "data" {
  disk     = google_compute_disk.data.id
  instance = google_compute_instance.vm.id
}
