# Modelled on a GKE module: node pools from a list of objects with optional attributes,
# google-beta resources with their own location.
terraform {
  required_providers {
    google-beta = {
      source = "hashicorp/google-beta"
    }
  }
}

provider "google-beta" {
  region = "us-east1"
}

module "gke" {
  source   = "./modules/cluster"
  name     = "corpus"
  location = "us-central1"
  node_pools = [
    { name = "default", machine_type = "e2-standard-4", node_count = 2 },
    # H100 pool: the machine type comes from the optional() default; 8 nodes × 8 GPUs.
    { name = "h100", node_count = 8, accelerator_type = "nvidia-h100-80gb", accelerator_count = 8 },
  ]
}
