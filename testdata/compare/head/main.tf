# Head of the --compare-to acceptance fixture (see base/main.tf).
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { team = "ml", owner = "ana@example.com" }
  }
}

resource "aws_instance" "trainer" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "p5.48xlarge"
}

resource "aws_instance" "web" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"
}

resource "aws_instance" "inference" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "g5.xlarge"
}
