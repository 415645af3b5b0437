# Base of the --compare-to acceptance fixture: a training box, a web server and a 500 GB
# scratch volume. head/ changes the trainer's type, adds a g5.xlarge and drops the volume.
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { team = "ml", owner = "ana@example.com" }
  }
}

resource "aws_instance" "trainer" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "g5.12xlarge"
}

resource "aws_instance" "web" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "us-east-1a"
  size              = 500
  type              = "gp3"
}
