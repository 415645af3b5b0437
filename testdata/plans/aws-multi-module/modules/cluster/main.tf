# Second module level: count over ../node.
module "node" {
  source = "../node"
  count  = var.node_count

  name              = "${var.name}-${count.index}"
  instance_type     = var.instance_type
  availability_zone = "us-east-1a"
  root_volume_gb    = var.env == "prod" ? 500 : 200
  scratch_size_gb   = var.scratch_size_gb
  scratch_type      = var.scratch_type
  scratch_iops      = var.scratch_iops
  tags              = merge(var.tags, { role = "training" })
}

# One throughput-optimised HDD volume per cluster for checkpoints.
resource "aws_ebs_volume" "checkpoints" {
  availability_zone = "us-east-1a"
  type              = "st1"
  size              = var.checkpoint_size_gb

  tags = merge(var.tags, { Name = "${var.name}-checkpoints" })
}
