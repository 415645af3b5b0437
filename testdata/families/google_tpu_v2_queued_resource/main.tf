# A Cloud TPU queued resource (a v5p slice requested through the queue).
provider "google" {
  project = "ml"
  region  = "us-central1"
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
