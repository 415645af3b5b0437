# The dev environment: a root module (it has a provider and calls ../../modules/gpu).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

module "gpu" {
  source        = "../../modules/gpu"
  instance_type = "g5.xlarge"
  nodes         = 1
}
