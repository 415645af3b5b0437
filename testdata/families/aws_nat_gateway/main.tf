# aws_nat_gateway family fixture, written from the resources of the testdata plans
# (aws-gpu-create, aws-ml-platform-create, aws-ml-extras, aws-savings, aws-hcl-fidelity, aws-policy-cases); read in HCL mode.

provider "aws" {
  region = "us-east-1"
}

resource "aws_nat_gateway" "main" {
  connectivity_type = "public"
  subnet_id = "subnet-0123456789abcdef0"
  allocation_id = aws_eip.nat.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}
