# Case aws-delete. State (terraform.tfstate) additionally holds:
#   aws_instance.old_trainer    p4d.24xlarge          -> delete (no config)
#   aws_ebs_volume.old_scratch  gp3 2000 GB 6000/500  -> delete (no config)
#   aws_eip.nat + aws_nat_gateway.old                 -> delete (no config)
#   aws_instance.legacy         g4dn.xlarge           -> forget (removed block, destroy = false):
#                                                        leaves Terraform state but KEEPS RUNNING.

removed {
  from = aws_instance.legacy

  lifecycle {
    destroy = false
  }
}

# Unchanged -> no-op.
resource "aws_ebs_volume" "keep" {
  availability_zone = "us-east-1a"
  type              = "gp3"
  size              = 100

  tags = {
    Name  = "keep"
    owner = "alice@example.com"
  }
}
