# google_container_node_pool family fixture, written from the resources of the testdata plans
# (gcp-ml); read in HCL mode.

provider "google" {
  project = "fixture-project"
  region  = "us-central1"
}

resource "google_container_node_pool" "v100" {
  name = "v100"
  cluster = "ml-cluster"
  location = "us-central1"
  node_locations = ["us-central1-a", "us-central1-b"]
  node_count = 2
  autoscaling {
    min_node_count = 0
    max_node_count = 4
    location_policy = "BALANCED"
  }
  node_config {
    machine_type = "n1-standard-4"
    disk_size_gb = 100
    disk_type = "pd-standard"
    guest_accelerator {
      type = "nvidia-tesla-v100"
      count = 1
    }
    spot = false
    preemptible = false
    resource_labels = { "team" = "ml-research", "env" = "dev" }
  }
}

resource "google_container_node_pool" "l4_spot" {
  name = "l4-spot"
  cluster = "ml-cluster"
  location = "us-central1-a"
  autoscaling {
    total_min_node_count = 1
    total_max_node_count = 3
  }
  node_config {
    machine_type = "g2-standard-8"
    spot = true
    resource_labels = { "team" = "ml-research", "env" = "dev" }
  }
}

resource "google_container_node_pool" "batch" {
  name = "batch"
  cluster = "legacy"
  location = "us-central1-c"
  node_count = 3
  initial_node_count = 3
  node_locations = ["us-central1-c"]
  node_config {
    machine_type = "n1-standard-8"
    disk_size_gb = 100
    disk_type = "pd-standard"
  }
}
