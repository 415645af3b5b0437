# google_container_cluster family fixture, written from the resources of the testdata plans
# (gcp-ml); read in HCL mode.

provider "google" {
  project = "fixture-project"
  region  = "us-central1"
}

resource "google_container_cluster" "ml" {
  name = "ml-cluster"
  location = "us-central1"
  node_locations = ["us-central1-a", "us-central1-b"]
  remove_default_node_pool = true
  initial_node_count = 1
  resource_labels = { "team" = "ml-research", "env" = "dev" }
  terraform_labels = { "team" = "ml-research", "env" = "dev" }
}

resource "google_container_cluster" "dev_default" {
  name = "dev-default"
  location = "us-central1-a"
  node_locations = ["us-central1-b"]
  initial_node_count = 2
  node_config {
    disk_size_gb = 50
    disk_type = "pd-standard"
    resource_labels = { "team" = "ml-research", "env" = "dev" }
  }
  resource_labels = { "team" = "ml-research", "env" = "dev" }
  terraform_labels = { "team" = "ml-research", "env" = "dev" }
}

resource "google_container_cluster" "gpu_inline" {
  name = "gpu-inline"
  location = "us-central1-b"
  node_pool {
    name = "cpu"
    node_count = 1
    initial_node_count = 1
    node_config {
      machine_type = "n1-standard-4"
      disk_size_gb = 100
      disk_type = "pd-balanced"
    }
  }
  node_pool {
    name = "t4"
    node_count = 2
    initial_node_count = 2
    node_locations = ["us-central1-b"]
    autoscaling {
      min_node_count = 0
      max_node_count = 4
    }
    node_config {
      machine_type = "n1-standard-8"
      disk_size_gb = 100
      disk_type = "pd-balanced"
      guest_accelerator {
        type = "nvidia-tesla-t4"
        count = 1
      }
    }
  }
  resource_labels = { "team" = "ml-research", "env" = "dev" }
  terraform_labels = { "team" = "ml-research", "env" = "dev" }
}

resource "google_container_cluster" "autopilot" {
  name = "ap"
  location = "us-central1"
  enable_autopilot = true
  resource_labels = { "team" = "ml-research", "env" = "dev" }
  terraform_labels = { "team" = "ml-research", "env" = "dev" }
}

resource "google_container_cluster" "legacy" {
  name = "legacy"
  location = "us-central1-c"
  initial_node_count = 1
  node_pool {
    name = "batch"
    node_count = 3
    initial_node_count = 3
    node_locations = ["us-central1-c"]
    node_config {
      machine_type = "n1-standard-8"
      disk_size_gb = 100
      disk_type = "pd-standard"
    }
  }
  node_pool {
    name = "default-pool"
    node_count = 1
    initial_node_count = 1
    node_locations = ["us-central1-c"]
    node_config {
      machine_type = "e2-standard-4"
      disk_size_gb = 100
      disk_type = "pd-standard"
    }
  }
  resource_labels = { "team" = "ml-research", "env" = "dev" }
  terraform_labels = { "team" = "ml-research", "env" = "dev" }
}
