# BEFORE configuration for case aws-update (source of ../../aws-update/terraform.tfstate).
resource "aws_instance" "dev" {
  ami               = "ami-0123456789abcdef0"
  instance_type     = "p3.2xlarge"
  availability_zone = "us-east-1a"

  tags = {
    Name  = "dev-box"
    owner = "alice@example.com"
  }
}

resource "aws_ebs_volume" "datasets" {
  availability_zone = "us-east-1a"
  type              = "gp3"
  size              = 750

  tags = {
    Name  = "datasets"
    owner = "alice@example.com"
  }
}

resource "aws_instance" "workers" {
  count             = 3
  ami               = "ami-0123456789abcdef0"
  instance_type     = "g5.xlarge"
  availability_zone = "us-east-1a"

  tags = {
    Name  = "worker-${count.index}"
    owner = "alice@example.com"
  }
}
