# google_kms_crypto_key family fixture (HCL mode), written for costgate from spec.json; plan.json beside it is made from the same spec by testdata/handmade_plan.py and must price the same.

provider "google" {
  region = "us-central1"
}

resource "google_kms_key_ring" "ring" {
  name = "ml-ring"
  location = "us-central1"
}

resource "google_kms_crypto_key" "cmek" {
  name = "cmek"
  purpose = "ENCRYPT_DECRYPT"
  rotation_period = "7776000s"
  skip_initial_version_creation = false
  version_template {
    algorithm = "GOOGLE_SYMMETRIC_ENCRYPTION"
    protection_level = "SOFTWARE"
  }
  key_ring = google_kms_key_ring.ring.id
}

resource "google_kms_crypto_key" "hsm" {
  name = "hsm"
  purpose = "ASYMMETRIC_SIGN"
  skip_initial_version_creation = false
  version_template {
    algorithm = "EC_SIGN_P256_SHA256"
    protection_level = "HSM"
  }
  key_ring = google_kms_key_ring.ring.id
}

resource "google_kms_crypto_key" "later" {
  name = "later"
  purpose = "ENCRYPT_DECRYPT"
  skip_initial_version_creation = true
  key_ring = google_kms_key_ring.ring.id
}

resource "google_kms_crypto_key" "hsm_sym" {
  name = "hsm-sym"
  purpose = "ENCRYPT_DECRYPT"
  skip_initial_version_creation = false
  version_template {
    algorithm = "GOOGLE_SYMMETRIC_ENCRYPTION"
    protection_level = "HSM"
  }
  key_ring = google_kms_key_ring.ring.id
}

resource "google_kms_crypto_key" "ekm" {
  name = "ekm"
  purpose = "ENCRYPT_DECRYPT"
  skip_initial_version_creation = false
  version_template {
    algorithm = "EXTERNAL_SYMMETRIC_ENCRYPTION"
    protection_level = "EXTERNAL"
  }
  key_ring = google_kms_key_ring.ring.id
}
