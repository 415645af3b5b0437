resource "aws_instance" "a" {
  instance_type = "g5.xlarge"
}

resource "aws_instance" "b" {
  instance_type = ["g5.xlarge"
  ami = "x"
}
