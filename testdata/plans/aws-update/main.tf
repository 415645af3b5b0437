# Case aws-update: state (terraform.tfstate) has dev=p3.2xlarge and 3 workers.
resource "aws_instance" "dev" {
  ami               = "ami-0123456789abcdef0"
  instance_type     = "p4d.24xlarge" # was p3.2xlarge in state -> in-place update
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
  count             = 2 # was 3 in state -> workers[2] deleted
  ami               = "ami-0123456789abcdef0"
  instance_type     = "g5.xlarge"
  availability_zone = "us-east-1a"

  tags = {
    Name  = "worker-${count.index}"
    owner = "alice@example.com"
  }
}
