# A module that calls itself twice: 2^depth module instances if followed.
module "left" {
  source = "./"
}

module "right" {
  source = "./"
}

resource "aws_instance" "x" {
  ami           = "ami-123"
  instance_type = "t3.micro"
}
