variable "region" {
  type    = string
  default = "us-east-1"
}

variable "env" {
  description = "dev | staging | prod (terraform.tfvars sets staging)"
  type        = string
  default     = "dev"
}

variable "team" {
  type    = string
  default = "ml-platform"
}

variable "owner" {
  type    = string
  default = "unknown@example.com"
}

variable "instance_types_by_env" {
  description = "GPU training node type per environment (looked up with lookup())"
  type        = map(string)
  default = {
    dev     = "g5.2xlarge"
    staging = "g6e.12xlarge"
    prod    = "p4d.24xlarge"
  }
}

variable "clusters" {
  description = "Training clusters: node count and per-node scratch size"
  type = map(object({
    node_count      = number
    scratch_size_gb = number
  }))
  default = {
    default = {
      node_count      = 1
      scratch_size_gb = 200
    }
  }
}

variable "shared_volumes" {
  description = "Shared EBS volumes (name -> size GB); not set in tfvars, default applies"
  type        = map(number)
  default = {
    datasets    = 2000
    checkpoints = 500
  }
}

variable "notebook_users" {
  type    = list(string)
  default = []
}

variable "extra_tags" {
  type    = map(string)
  default = {}
}

variable "sagemaker_role_arn" {
  type    = string
  default = "arn:aws:iam::123456789012:role/sagemaker-execution"
}
