resource "aws_instance" "ok" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "g5.xlarge"
}

resource "aws_instance" "bad" {
  instance_type = "g5.xlarge
}
