# BEFORE configuration for case aws-delete (source of ../../aws-delete/terraform.tfstate).
resource "aws_instance" "old_trainer" {
  ami               = "ami-0123456789abcdef0"
  instance_type     = "p4d.24xlarge"
  availability_zone = "us-east-1a"

  tags = {
    Name  = "old-trainer"
    owner = "alice@example.com"
  }
}

resource "aws_ebs_volume" "old_scratch" {
  availability_zone = "us-east-1a"
  type              = "gp3"
  size              = 2000
  iops              = 6000
  throughput        = 500

  tags = {
    Name  = "old-scratch"
    owner = "alice@example.com"
  }
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "old" {
  allocation_id = aws_eip.nat.id
  subnet_id     = "subnet-0123456789abcdef0"
}

resource "aws_instance" "legacy" {
  ami               = "ami-0123456789abcdef0"
  instance_type     = "g4dn.xlarge"
  availability_zone = "us-east-1a"

  tags = {
    Name  = "legacy-handed-over"
    owner = "bob@example.com"
  }
}

resource "aws_ebs_volume" "keep" {
  availability_zone = "us-east-1a"
  type              = "gp3"
  size              = 100

  tags = {
    Name  = "keep"
    owner = "alice@example.com"
  }
}
