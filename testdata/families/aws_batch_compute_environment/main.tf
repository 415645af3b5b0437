# aws_batch_compute_environment family fixture, written from the resources of the testdata plans
# (aws-gpu-create, aws-ml-platform-create, aws-ml-extras, aws-savings, aws-hcl-fidelity, aws-policy-cases); read in HCL mode.

provider "aws" {
  region = "us-east-1"
}

resource "aws_batch_compute_environment" "train" {
  compute_environment_name = "train"
  type = "MANAGED"
  compute_resources {
    type = "EC2"
    instance_type = ["p3.2xlarge"]
    min_vcpus = 16
    max_vcpus = 64
  }
  tags = { "team" = "ml-research", "env" = "dev" }
}

resource "aws_batch_compute_environment" "families" {
  compute_environment_name = "families"
  type = "MANAGED"
  compute_resources {
    type = "SPOT"
    instance_type = ["p3", "g5"]
    min_vcpus = 0
    max_vcpus = 256
  }
  tags = { "team" = "ml-research", "env" = "dev" }
}
