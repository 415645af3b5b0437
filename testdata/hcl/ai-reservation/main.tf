# GCE reservations holding GPUs: one nothing uses, one an instance targets.
provider "google" {
  project = "ml"
  region  = "us-central1"
}

resource "google_compute_reservation" "a3" {
  name = "a3-training"
  zone = "us-central1-a"
  specific_reservation {
    count = 2
    instance_properties {
      machine_type = "a3-highgpu-8g"
    }
  }
}

resource "google_compute_reservation" "t4" {
  name                          = "t4-serving"
  zone                          = "us-central1-b"
  specific_reservation_required = true
  specific_reservation {
    count = 1
    instance_properties {
      machine_type = "n1-standard-8"
      guest_accelerators {
        accelerator_type  = "nvidia-tesla-t4"
        accelerator_count = 2
      }
    }
  }
}

resource "google_compute_instance" "serving" {
  name         = "serving"
  zone         = "us-central1-b"
  machine_type = "n1-standard-8"
  guest_accelerator {
    type  = "nvidia-tesla-t4"
    count = 2
  }
  scheduling {
    on_host_maintenance = "TERMINATE"
  }
  reservation_affinity {
    type = "SPECIFIC_RESERVATION"
    specific_reservation {
      key    = "compute.googleapis.com/reservation-name"
      values = [google_compute_reservation.t4.name]
    }
  }
  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
  network_interface {
    network = "default"
  }
}
