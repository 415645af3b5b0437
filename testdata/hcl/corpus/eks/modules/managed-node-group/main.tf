variable "cluster_name" { type = string }
variable "name" { type = string }
variable "role_arn" { type = string }
variable "instance_types" {
  type    = list(string)
  default = null
}
variable "desired_size" { type = number }
variable "max_size" { type = number }
variable "labels" { type = map(string) }
variable "use_custom_launch_template" {
  type    = bool
  default = false
}

locals {
  # A nested conditional after a comparison, over several lines.
  capacity = (
    var.desired_size > 1 && length(var.labels) > 0
    ? "ON_DEMAND"
    : var.desired_size == 0 ? "SPOT" : "ON_DEMAND"
  )
}

resource "aws_eks_node_group" "this" {
  cluster_name    = var.cluster_name
  node_group_name = var.name
  node_role_arn   = var.role_arn
  subnet_ids      = ["subnet-a", "subnet-b"]
  instance_types  = var.instance_types
  capacity_type   = local.capacity
  labels          = var.labels

  scaling_config {
    desired_size = var.desired_size
    min_size     = 0
    max_size     = var.max_size
  }
}
