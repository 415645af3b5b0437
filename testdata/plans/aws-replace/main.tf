# Case aws-replace. State (terraform.tfstate) holds the "before" objects:
#   trainer   g5.12xlarge in us-east-1a
#   data      gp2 100 GB
#   inference g6.xlarge, ami-0123456789abcdef0

# instance_type g5.12xlarge -> p5.48xlarge AND availability_zone us-east-1a -> us-east-1b.
# The AZ change is ForceNew -> replace, actions ["delete","create"].
resource "aws_instance" "trainer" {
  ami               = "ami-0123456789abcdef0"
  instance_type     = "p5.48xlarge"
  availability_zone = "us-east-1b"

  tags = {
    Name  = "trainer"
    owner = "alice@example.com"
  }
}

# gp2 100 GB -> gp3 500 GB: modifiable in place -> update.
resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  type              = "gp3"
  size              = 500

  tags = {
    Name  = "trainer-data"
    owner = "alice@example.com"
  }
}

# New AMI (ForceNew) with create_before_destroy -> replace, actions ["create","delete"].
resource "aws_instance" "inference" {
  ami               = "ami-0fedcba9876543210"
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
