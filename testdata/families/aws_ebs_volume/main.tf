# aws_ebs_volume family fixture, written from the resources of the testdata plans
# (aws-gpu-create, aws-ml-platform-create, aws-ml-extras, aws-savings, aws-hcl-fidelity, aws-policy-cases); read in HCL mode.

provider "aws" {
  region = "us-east-1"
}

resource "aws_ebs_volume" "gp2" {
  availability_zone = "us-east-1a"
  final_snapshot = false
  size = 100
  type = "gp2"
}

resource "aws_ebs_volume" "gp3" {
  availability_zone = "us-east-1a"
  final_snapshot = false
  iops = 6000
  size = 1000
  throughput = 250
  type = "gp3"
}

resource "aws_ebs_volume" "io1" {
  availability_zone = "us-east-1a"
  final_snapshot = false
  iops = 4000
  size = 200
  type = "io1"
}

resource "aws_ebs_volume" "io2" {
  availability_zone = "us-east-1a"
  final_snapshot = false
  iops = 10000
  size = 300
  type = "io2"
}

resource "aws_ebs_volume" "sc1" {
  availability_zone = "us-east-1a"
  final_snapshot = false
  size = 5000
  type = "sc1"
}

resource "aws_ebs_volume" "st1" {
  availability_zone = "us-east-1a"
  final_snapshot = false
  size = 2000
  type = "st1"
}
