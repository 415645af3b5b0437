# Cloud TPU slices: on-demand, spot, accelerator_config, legacy node, queued resource.
provider "google" {
  project = "ml"
  region  = "us-central1"
}

resource "google_tpu_v2_vm" "v5e" {
  name             = "train-v5e"
  zone             = "us-central1-a"
  runtime_version  = "v2-alpha-tpuv5-lite"
  accelerator_type = "v5litepod-8"
  labels           = { team = "research" }
}

resource "google_tpu_v2_vm" "v6e_spot" {
  name            = "sweep-v6e"
  zone            = "us-central1-b"
  runtime_version = "v2-alpha-tpuv6e"
  accelerator_config {
    type     = "V6E"
    topology = "2x2"
  }
  scheduling_config {
    spot = true
  }
  labels = { team = "research" }
}

resource "google_tpu_node" "legacy" {
  name               = "legacy-v3"
  zone               = "us-central1-b"
  accelerator_type   = "v3-8"
  tensorflow_version = "2.12.0"
  scheduling_config {
    preemptible = true
  }
}

resource "google_tpu_v2_queued_resource" "v5p" {
  name = "qr-v5p"
  zone = "us-east5-a"
  tpu {
    node_spec {
      parent  = "projects/ml/locations/us-east5-a"
      node_id = "v5p-node"
      node {
        runtime_version  = "v2-alpha-tpuv5"
        accelerator_type = "v5p-16"
      }
    }
  }
}
