# google_compute_instance_group_manager family fixture, written from the resources of the testdata plans
# (gcp-ml); read in HCL mode.

provider "google" {
  project = "fixture-project"
  region  = "us-central1"
}

resource "google_compute_instance_group_manager" "l4" {
  name = "l4-mig"
  zone = "us-central1-a"
  base_instance_name = "l4"
  target_size = 2
  version {
    name = "primary"
    instance_template = google_compute_instance_template.l4.self_link
  }
}

resource "google_compute_instance_template" "l4" {
  name_prefix = "l4-"
  machine_type = "g2-standard-4"
  region = "us-central1"
  disk {
    boot = true
    disk_size_gb = 100
    disk_type = "pd-balanced"
    source_image = "debian-cloud/debian-12"
  }
  scheduling {
    preemptible = false
    provisioning_model = "STANDARD"
  }
  labels = { "team" = "ml-research", "env" = "dev" }
}

# Hand-written: a regional group of the same template.
resource "google_compute_region_instance_group_manager" "l4_regional" {
  name               = "l4-regional"
  region             = "us-central1"
  base_instance_name = "l4r"
  target_size        = 3
  version {
    instance_template = google_compute_instance_template.l4.self_link
  }
}
