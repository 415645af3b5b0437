# google_workbench_instance family fixture, written from the resources of the testdata plans
# (gcp-ml); read in HCL mode.

provider "google" {
  project = "fixture-project"
  region  = "us-central1"
}

resource "google_workbench_instance" "notebook" {
  name = "notebook"
  location = "us-central1-a"
  gce_setup {
    machine_type = "n1-standard-8"
    accelerator_configs {
      type = "NVIDIA_TESLA_T4"
      core_count = "1"
    }
    boot_disk {
      disk_size_gb = "150"
      disk_type = "PD_BALANCED"
    }
    data_disks {
      disk_size_gb = "200"
      disk_type = "PD_SSD"
    }
    metadata = { "install-nvidia-driver" = "true" }
  }
  labels = { "team" = "ml-research", "env" = "dev" }
}

resource "google_workbench_instance" "always_on" {
  name = "always-on"
  location = "us-central1-a"
  gce_setup {
    machine_type = "n1-standard-4"
    metadata = { "idle-timeout-seconds" = "0" }
  }
  labels = { "team" = "ml-research", "env" = "dev" }
}
