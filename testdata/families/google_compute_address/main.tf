# google_compute_address family fixture (HCL mode), written for costgate from spec.json; plan.json beside it is made from the same spec by testdata/handmade_plan.py and must price the same.

provider "google" {
  region = "us-central1"
}

resource "google_compute_address" "nat_ip" {
  name = "nat-ip"
  region = "us-central1"
  address_type = "EXTERNAL"
  network_tier = "PREMIUM"
}

resource "google_compute_address" "ilb" {
  name = "ilb-ip"
  region = "europe-west4"
  address_type = "INTERNAL"
  purpose = "GCE_ENDPOINT"
}

resource "google_compute_global_address" "lb" {
  name = "lb-ip"
  address_type = "EXTERNAL"
  ip_version = "IPV4"
}

resource "google_compute_address" "attached" {
  name = "vm-ip"
  region = "us-central1"
  address_type = "EXTERNAL"
  network_tier = "PREMIUM"
}

resource "google_compute_global_address" "v6" {
  name = "lb-ip6"
  address_type = "EXTERNAL"
  ip_version = "IPV6"
}

resource "google_compute_address" "far" {
  name = "far-ip"
  region = "europe-north2"
  address_type = "EXTERNAL"
}
