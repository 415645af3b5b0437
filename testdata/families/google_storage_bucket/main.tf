# google_storage_bucket family fixture, written from the resources of the testdata plans
# (gcp-ml); read in HCL mode.

provider "google" {
  project = "fixture-project"
  region  = "us-central1"
}

resource "google_storage_bucket" "datasets" {
  name = "acme-datasets"
  location = "US-CENTRAL1"
  storage_class = "STANDARD"
  labels = { "team" = "ml-research", "env" = "dev" }
}
