terraform {
  required_version = ">= 1.5.0"
  required_providers {
    # A local name other than the type: resources using it are still AWS.
    awsv5 = {
      source  = "hashicorp/aws"
      version = "= 5.100.0"
    }
  }
}

locals {
  home_region = "eu-west-1"
}

# Offline provider: dummy credentials, no API calls during plan.
provider "awsv5" {
  region                      = local.home_region
  access_key                  = "AKIAFAKEFAKEFAKEFAKE"
  secret_key                  = "fake-secret-key-for-offline-plans"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  max_retries                 = 1
}
