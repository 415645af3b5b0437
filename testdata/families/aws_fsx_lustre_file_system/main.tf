# aws_fsx_lustre_file_system family fixture, written from the resources of the testdata plans
# (aws-gpu-create, aws-ml-platform-create, aws-ml-extras, aws-savings, aws-hcl-fidelity, aws-policy-cases); read in HCL mode.

provider "aws" {
  region = "us-east-1"
}

resource "aws_fsx_lustre_file_system" "scratch" {
  storage_capacity = 2400
  deployment_type = "PERSISTENT_2"
  per_unit_storage_throughput = 125
  storage_type = "SSD"
  subnet_ids = ["subnet-0abc"]
  tags = { "team" = "ml-research", "env" = "dev" }
}
