resource "aws_instance" "node" {
  ami               = var.ami_id
  instance_type     = var.instance_type
  availability_zone = var.availability_zone

  tags = {
    Name  = var.name
    owner = "ml-infra@example.com"
  }
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = var.availability_zone
  type              = "gp3"
  size              = var.scratch_size_gb

  tags = {
    Name = "${var.name}-scratch"
  }
}
