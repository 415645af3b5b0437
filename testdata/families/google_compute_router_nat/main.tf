# google_compute_router_nat family fixture (HCL mode), written for costgate from spec.json; plan.json beside it is made from the same spec by testdata/handmade_plan.py and must price the same.

provider "google" {
  region = "us-central1"
}

resource "google_compute_router_nat" "nat" {
  name = "nat"
  region = "us-central1"
  router = "router"
  nat_ip_allocate_option = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"
}

resource "google_compute_router_nat" "small" {
  name = "nat-small"
  region = "europe-west4"
  router = "router-eu"
  nat_ip_allocate_option = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"
}
