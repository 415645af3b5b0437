# aws_s3_bucket family fixture, written from the resources of the testdata plans
# (aws-gpu-create, aws-ml-platform-create, aws-ml-extras, aws-savings, aws-hcl-fidelity, aws-policy-cases); read in HCL mode.

provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "ml-platform-artifacts-123456789012"
  force_destroy = false
}

resource "aws_s3_bucket" "training_data" {
  bucket = "ml-platform-training-data-123456789012"
  force_destroy = false
  tags = { "dataclass" = "training", "owner" = "data@example.com" }
}
