# GCP ML platform: GPU training VMs (for_each), an A3 spot VM, a GKE L4 spot pool,
# a Workbench notebook, a dataset disk and an artifacts bucket.
terraform {
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.0"
    }
  }
}

provider "google" {
  project = var.project
  region  = var.region

  default_labels = {
    team = "ml-platform"
    env  = var.env
  }
}

locals {
  labels = {
    owner       = "alice"
    cost_center = "cc-42"
  }
  zone = "${var.region}-a"
}

# Two GPU trainers: an A100 (a2 with built-in GPUs) and an N1 with attached T4s.
resource "google_compute_instance" "trainer" {
  for_each     = var.trainers
  name         = "trainer-${each.key}"
  machine_type = each.value.machine_type
  zone         = local.zone

  boot_disk {
    initialize_params {
      image = "deeplearning-platform-release/common-cu121"
      size  = 200
      type  = "pd-ssd"
    }
  }

  dynamic "guest_accelerator" {
    for_each = each.value.gpu_count > 0 ? [1] : []
    content {
      type  = each.value.gpu_type
      count = each.value.gpu_count
    }
  }

  scheduling {
    on_host_maintenance = "TERMINATE"
    automatic_restart   = true
    provisioning_model  = "STANDARD"
  }

  network_interface {
    network = "default"
  }

  labels = merge(local.labels, { role = "trainer-${each.key}" })
}

# 8 x H100 on spot, in another region.
resource "google_compute_instance" "a3" {
  name         = "a3-spot"
  machine_type = "a3-highgpu-8g"
  zone         = "us-east4-a"

  boot_disk {
    initialize_params {
      size = 500
      type = "pd-balanced"
    }
  }

  scheduling {
    provisioning_model          = "SPOT"
    preemptible                 = true
    automatic_restart           = false
    instance_termination_action = "STOP"
  }

  network_interface {
    network = "default"
  }

  labels = local.labels
}

resource "google_container_cluster" "ml" {
  name                     = "ml-${var.env}"
  location                 = var.region
  remove_default_node_pool = true
  initial_node_count       = 1
}

# L4 spot pool: 1 node (0..4), 1 GPU each.
resource "google_container_node_pool" "l4" {
  name           = "l4-spot"
  cluster        = google_container_cluster.ml.id
  location       = var.region
  node_locations = [local.zone]
  node_count     = 1

  autoscaling {
    min_node_count = 0
    max_node_count = 4
  }

  node_config {
    machine_type = "g2-standard-8"
    spot         = true
    disk_size_gb = 100
    disk_type    = "pd-balanced"

    guest_accelerator {
      type  = "nvidia-l4"
      count = 1
    }

    labels = local.labels
  }
}

resource "google_workbench_instance" "notebook" {
  name     = "nb-research"
  location = local.zone

  gce_setup {
    machine_type = "n1-standard-8"

    accelerator_configs {
      type       = "NVIDIA_TESLA_T4"
      core_count = 1
    }

    metadata = {
      idle-timeout-seconds = "10800"
    }
  }

  labels = local.labels
}

resource "google_compute_disk" "datasets" {
  name   = "datasets"
  type   = "pd-ssd"
  size   = 2000
  zone   = local.zone
  labels = local.labels
}

resource "google_storage_bucket" "artifacts" {
  name          = "${var.project}-ml-artifacts"
  location      = "US"
  storage_class = "STANDARD"
  labels        = local.labels
}
