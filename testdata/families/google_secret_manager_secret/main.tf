# google_secret_manager_secret family fixture (HCL mode), written for costgate from spec.json; plan.json beside it is made from the same spec by testdata/handmade_plan.py and must price the same.

provider "google" {
  region = "us-central1"
}

resource "google_secret_manager_secret" "api_key" {
  secret_id = "api-key"
  replication {
    auto {
    }
  }
}

resource "google_secret_manager_secret_version" "api_key" {
  enabled = true
  secret = google_secret_manager_secret.api_key.id
}

resource "google_secret_manager_secret" "regional" {
  secret_id = "db-pass"
  replication {
    user_managed {
      replicas {
        location = "us-central1"
      }
      replicas {
        location = "us-east1"
      }
    }
  }
}

resource "google_secret_manager_secret_version" "regional" {
  enabled = true
  secret = google_secret_manager_secret.regional.id
}
