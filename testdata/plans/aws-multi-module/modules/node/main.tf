resource "aws_instance" "this" {
  ami               = var.ami_id
  instance_type     = var.instance_type
  availability_zone = var.availability_zone

  root_block_device {
    volume_type = "gp3"
    volume_size = var.root_volume_gb
  }

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = var.availability_zone
  type              = var.scratch_type
  size              = var.scratch_size_gb
  iops              = var.scratch_iops

  tags = merge(var.tags, { Name = "${var.name}-scratch" })
}

resource "aws_volume_attachment" "scratch" {
  device_name = "/dev/sdh"
  volume_id   = aws_ebs_volume.scratch.id
  instance_id = aws_instance.this.id
}
