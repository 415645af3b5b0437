# Typed variables: values from tfvars, --var, --var-file and TF_VAR_ are converted to the
# declared type as Terraform does, and refused (exit 2, file:line, type) when they do not fit.

provider "aws" {
  region = "us-east-1"
}

variable "desired" {
  type = number
}

variable "groups" {
  type = map(object({
    instance_type = string
    count         = optional(number, 1)
  }))
  default = {
    gpu = { instance_type = "g5.xlarge" }
  }
}

variable "env" {
  type    = string
  default = "dev"
  validation {
    condition     = contains(["dev", "prod"], var.env)
    error_message = "env must be dev or prod, not ${var.env}."
  }
}

variable "token" {
  type      = string
  default   = "ok"
  sensitive = true
  validation {
    condition     = length(var.token) < 10
    error_message = "token too long: ${var.token}"
  }
}

resource "aws_eks_node_group" "gpu" {
  cluster_name    = "typed-${var.env}"
  node_group_name = "gpu"
  node_role_arn   = "arn:aws:iam::123456789012:role/nodes"
  subnet_ids      = ["subnet-0123456789abcdef0"]
  instance_types  = ["g5.2xlarge"]
  scaling_config {
    desired_size = var.desired
    min_size     = var.desired
    max_size     = var.desired + 1
  }
}

resource "aws_instance" "group" {
  for_each      = var.groups
  ami           = "ami-0123456789abcdef0"
  instance_type = each.value.instance_type
}
