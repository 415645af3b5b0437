# Modelled on an EKS root module: managed node groups from a map, defaults merged in, one
# GPU group, role ARNs unknown until apply.
provider "aws" {
  region = "us-east-1"
}

variable "node_groups" {
  type = map(object({
    instance_types = optional(list(string))
    desired_size   = optional(number, 1)
    max_size       = optional(number, 3)
    labels         = optional(map(string), {})
  }))
  default = {
    system = {}
    gpu = {
      instance_types = ["p5.48xlarge"]
      desired_size   = 2
      max_size       = 4
      labels         = { "nvidia.com/gpu" = "true" }
    }
  }
}

resource "aws_iam_role" "node" {
  name               = "corpus-eks-node"
  assume_role_policy = "{}"
}

resource "aws_eks_cluster" "this" {
  name     = "corpus"
  role_arn = aws_iam_role.node.arn
  vpc_config {
    subnet_ids = ["subnet-a", "subnet-b"]
  }
}

module "node_group" {
  source   = "./modules/managed-node-group"
  for_each = var.node_groups

  cluster_name   = aws_eks_cluster.this.name
  name           = each.key
  role_arn       = aws_iam_role.node.arn
  instance_types = each.value.instance_types
  desired_size   = each.value.desired_size
  max_size       = each.value.max_size
  labels         = each.value.labels
}
