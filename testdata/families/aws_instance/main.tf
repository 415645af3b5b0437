# aws_instance family fixture, written from the resources of the testdata plans
# (aws-gpu-create, aws-ml-platform-create, aws-ml-extras, aws-savings, aws-hcl-fidelity, aws-policy-cases); read in HCL mode.

provider "aws" {
  region = "us-east-1"
}

resource "aws_instance" "dev" {
  ami = "ami-0123456789abcdef0"
  get_password_data = false
  instance_type = "t3.micro"
  source_dest_check = true
  tags = { "Name" = "dev-a", "owner" = "dave@example.com" }
  user_data_replace_on_change = false
}

resource "aws_instance" "dev" {
  ami = "ami-0123456789abcdef0"
  get_password_data = false
  instance_type = "t3.micro"
  source_dest_check = true
  tags = { "Name" = "dev-b", "owner" = "dave@example.com" }
  user_data_replace_on_change = false
}

resource "aws_instance" "g5" {
  ami = "ami-0123456789abcdef0"
  ebs_block_device {
    delete_on_termination = true
    device_name = "/dev/sdf"
    iops = 8000
    volume_size = 500
    volume_type = "io2"
  }
  get_password_data = false
  instance_type = "g5.xlarge"
  root_block_device {
    delete_on_termination = true
    volume_size = 200
    volume_type = "gp3"
  }
  source_dest_check = true
  tags = { "Name" = "g5-inference", "owner" = "bob@example.com" }
  user_data_replace_on_change = false
}

resource "aws_instance" "g6e" {
  ami = "ami-0123456789abcdef0"
  get_password_data = false
  instance_type = "g6e.12xlarge"
  source_dest_check = true
  tags = { "Name" = "g6e-finetune", "owner" = "carol@example.com" }
  user_data_replace_on_change = false
}

resource "aws_instance" "p4d" {
  ami = "ami-0123456789abcdef0"
  get_password_data = false
  instance_type = "p4d.24xlarge"
  source_dest_check = true
  tags = { "Name" = "p4d-trainer", "owner" = "alice@example.com" }
  user_data_replace_on_change = false
}

resource "aws_instance" "p5" {
  ami = "ami-0123456789abcdef0"
  get_password_data = false
  instance_type = "p5.48xlarge"
  source_dest_check = true
  tags = { "Name" = "p5-trainer" }
  user_data_replace_on_change = false
}

resource "aws_spot_instance_request" "worker" {
  instance_type = "g4dn.xlarge"
  ami = "ami-0123456789abcdef0"
  spot_type = "one-time"
  availability_zone = "us-east-1a"
  root_block_device {
    volume_size = 100
    volume_type = "gp3"
  }
  tags = { "team" = "ml-research", "env" = "dev" }
}
