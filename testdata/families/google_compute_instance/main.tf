# google_compute_instance family fixture, written from the resources of the testdata plans
# (gcp-ml); read in HCL mode.

provider "google" {
  project = "fixture-project"
  region  = "us-central1"
}

resource "google_compute_instance" "a2_trainer" {
  name = "a2-trainer"
  machine_type = "a2-highgpu-1g"
  zone = "us-central1-a"
  boot_disk {
    auto_delete = true
    initialize_params {
      size = 200
      type = "pd-balanced"
      image = "debian-cloud/debian-12"
    }
  }
  scheduling {
    on_host_maintenance = "TERMINATE"
    preemptible = false
    provisioning_model = "STANDARD"
    automatic_restart = true
  }
  labels = { "team" = "ml-research", "env" = "dev" }
  terraform_labels = { "team" = "ml-research", "env" = "dev" }
  network_interface {
    network = "default"
  }
}

resource "google_compute_instance" "t4_spot" {
  name = "t4-spot"
  machine_type = "n1-standard-8"
  zone = "us-central1-b"
  guest_accelerator {
    type = "nvidia-tesla-t4"
    count = 2
  }
  boot_disk {
    initialize_params {
      size = 50
      type = "pd-ssd"
    }
  }
  scheduling {
    preemptible = true
    provisioning_model = "SPOT"
    automatic_restart = false
    on_host_maintenance = "TERMINATE"
    instance_termination_action = "STOP"
  }
  labels = { "team" = "ml-research", "env" = "dev" }
  terraform_labels = { "team" = "ml-research", "env" = "dev" }
  network_interface {
    network = "default"
  }
}

resource "google_compute_instance" "mystery" {
  name = "mystery"
  machine_type = "n9-mega-4"
  zone = "us-central1-a"
  boot_disk {
    initialize_params {
      size = 20
      type = "pd-standard"
    }
  }
  labels = { "team" = "ml-research", "env" = "dev" }
  terraform_labels = { "team" = "ml-research", "env" = "dev" }
}
