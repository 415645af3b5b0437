variable "size" {
  type = number
}

resource "aws_ebs_volume" "this" {
  availability_zone = "us-west-2a"
  size              = var.size
  type              = "gp3"
}

output "id" {
  value = aws_ebs_volume.this.id
}
