resource "aws_instance" "x" {
  count         = 1000
  ami           = "ami-123"
  instance_type = "t3.micro"
}
