# aws_eip family fixture, written from the resources of the testdata plans
# (aws-gpu-create, aws-ml-platform-create, aws-ml-extras, aws-savings, aws-hcl-fidelity, aws-policy-cases); read in HCL mode.

provider "aws" {
  region = "us-east-1"
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_eip" "byoip" {
  domain = "vpc"
  public_ipv4_pool = "ipv4pool-ec2-0123456789abcdef0"
  tags = { "team" = "ml-research", "env" = "dev" }
}
