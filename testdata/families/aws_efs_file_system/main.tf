# aws_efs_file_system family fixture, written from the resources of the testdata plans
# (aws-gpu-create, aws-ml-platform-create, aws-ml-extras, aws-savings, aws-hcl-fidelity, aws-policy-cases); read in HCL mode.

provider "aws" {
  region = "us-east-1"
}

resource "aws_efs_file_system" "shared" {
  creation_token = "shared"
  throughput_mode = "provisioned"
  provisioned_throughput_in_mibps = 100
  performance_mode = "generalPurpose"
  tags = { "team" = "ml-research", "env" = "dev" }
}
