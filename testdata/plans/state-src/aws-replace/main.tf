# BEFORE configuration for case aws-replace (source of ../../aws-replace/terraform.tfstate).
resource "aws_instance" "trainer" {
  ami               = "ami-0123456789abcdef0"
  instance_type     = "g5.12xlarge"
  availability_zone = "us-east-1a"

  tags = {
    Name  = "trainer"
    owner = "alice@example.com"
  }
}

resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  type              = "gp2"
  size              = 100

  tags = {
    Name  = "trainer-data"
    owner = "alice@example.com"
  }
}

resource "aws_instance" "inference" {
  ami               = "ami-0123456789abcdef0"
  instance_type     = "g6.xlarge"
  availability_zone = "us-east-1a"

  lifecycle {
    create_before_destroy = true
  }

  tags = {
    Name  = "inference"
    owner = "bob@example.com"
  }
}
