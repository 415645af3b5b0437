# google_compute_disk family fixture, written from the resources of the testdata plans
# (gcp-ml); read in HCL mode.

provider "google" {
  project = "fixture-project"
  region  = "us-central1"
}

resource "google_compute_disk" "scratch" {
  name = "scratch"
  type = "pd-ssd"
  size = 500
  zone = "us-central1-a"
  labels = { "team" = "ml-research", "env" = "dev" }
}

resource "google_compute_disk" "hyper" {
  name = "hyper"
  type = "hyperdisk-balanced"
  size = 100
  zone = "us-central1-a"
  labels = { "team" = "ml-research", "env" = "dev" }
}

# Hand-written: a regional (replicated) disk.
resource "google_compute_region_disk" "replicated" {
  name          = "replicated"
  type          = "pd-balanced"
  size          = 200
  region        = "us-central1"
  replica_zones = ["us-central1-a", "us-central1-b"]
}
