# google_compute_instance_from_template family fixture (HCL mode), written for costgate from spec.json; plan.json beside it is made from the same spec by testdata/handmade_plan.py and must price the same.

provider "google" {
  region = "us-central1"
}

resource "google_compute_instance_template" "gpu" {
  name_prefix = "gpu-"
  machine_type = "n1-standard-8"
  guest_accelerator {
    type = "nvidia-tesla-t4"
    count = 1
  }
  scheduling {
    on_host_maintenance = "TERMINATE"
    preemptible = false
    provisioning_model = "STANDARD"
  }
  disk {
    disk_size_gb = 100
    disk_type = "pd-balanced"
    boot = true
  }
}

resource "google_compute_instance_from_template" "from_tpl" {
  name = "trainer"
  zone = "us-central1-a"
  source_instance_template = google_compute_instance_template.gpu.self_link
}

resource "google_compute_instance_from_template" "override" {
  name = "big"
  zone = "us-central1-a"
  machine_type = "n2-standard-16"
  boot_disk {
    initialize_params {
      size = 200
      type = "pd-ssd"
    }
  }
  source_instance_template = google_compute_instance_template.gpu.self_link
}
