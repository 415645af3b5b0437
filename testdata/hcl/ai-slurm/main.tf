# GPU instance templates that a scheduler starts (Slurm nodesets): nothing in the
# configuration launches them, the node counts live in the nodeset configuration.
provider "google" {
  project = "hpc"
  region  = "us-central1"
}

# A2 Ultra bundles 8 × A100-80GB; its nodeset allows 2 static + 14 dynamic nodes.
resource "google_compute_instance_template" "a2_ultra" {
  name_prefix  = "hpc-compute-a2u-"
  machine_type = "a2-ultragpu-8g"
  labels = {
    slurm_nodeset = "a2ultra"
  }
  disk {
    source_image = "projects/schedmd-slurm-public/global/images/family/slurm-gcp-6-8"
    disk_size_gb = 100
    disk_type    = "pd-ssd"
  }
  network_interface {
    subnetwork = "projects/hpc/regions/us-central1/subnetworks/compute"
  }
}

resource "google_storage_bucket_object" "a2_ultra_nodeset" {
  bucket  = "hpc-slurm-files"
  name    = "nodeset_configs/a2ultra.yaml"
  content = <<-YAML
    "machine_type": "a2-ultragpu-8g"
    "node_count_dynamic_max": 14
    "node_count_static": 2
    "nodeset_name": "a2ultra"
  YAML
}

# N1 with 4 attached T4s: its node count is not in the configuration (usage file sets it).
resource "google_compute_instance_template" "t4" {
  name_prefix  = "hpc-compute-t4-"
  machine_type = "n1-standard-16"
  guest_accelerator {
    type  = "nvidia-tesla-t4"
    count = 4
  }
  scheduling {
    on_host_maintenance = "TERMINATE"
  }
  disk {
    source_image = "debian-cloud/debian-12"
  }
  network_interface {
    network = "default"
  }
}

# A GPU template used by a group: the group prices it, the template reports nothing.
resource "google_compute_instance_template" "grouped" {
  name_prefix  = "svc-l4-"
  machine_type = "g2-standard-8"
  disk {
    source_image = "debian-cloud/debian-12"
  }
  network_interface {
    network = "default"
  }
}

resource "google_compute_instance_group_manager" "svc" {
  name               = "svc"
  zone               = "us-central1-a"
  base_instance_name = "svc"
  target_size        = 2
  version {
    instance_template = google_compute_instance_template.grouped.self_link
  }
}
