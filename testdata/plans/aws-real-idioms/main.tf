# Idioms of public modules that HCL mode must evaluate as terraform does (issue 24).

# The kms module's `{ for k, v in toset(var.aliases) : k => ... }`: over a set, both
# symbols are the element, so the instance keys (and each.key) are the values.
variable "gpu_types" {
  type    = list(string)
  default = ["p4d.24xlarge", "g5.xlarge"]
}

resource "aws_instance" "by_type" {
  for_each      = { for k, v in toset(var.gpu_types) : k => { name = v } }
  ami           = "ami-0123456789abcdef0"
  instance_type = each.key
  tags          = { Name = each.value.name }
}

# Over a list the key is the index, over a map the key.
resource "aws_ebs_volume" "by_index" {
  for_each          = { for i, t in var.gpu_types : tostring(i) => t }
  availability_zone = "us-east-1a"
  size              = 10 + length(each.value)
  type              = "gp3"
}

# A number given as a string in terraform.tfvars converts ("2" -> 2).
variable "desired" {
  type = number
}

resource "aws_eks_node_group" "gpu" {
  cluster_name    = "idioms"
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

# Heredocs whose end marker is indented (terraform accepts it for `<<EOT` as well as
# `<<-EOT`) end there: the resources after them are planned.
resource "aws_iam_policy" "indented_plain" {
  name   = "indented-plain"
  policy = <<EOT
  {"Version": "2012-10-17", "Statement": []}
  EOT
}

resource "aws_instance" "after_plain_heredoc" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "g5.xlarge"
  user_data     = <<EOT
#!/bin/sh
echo ready
    EOT
}

resource "aws_iam_policy" "indented_dash" {
  name   = "indented-dash"
  policy = <<-EOT
    {"Version": "2012-10-17", "Statement": []}
      EOT
}

resource "aws_instance" "after_dash_heredoc" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "g5.2xlarge"
}
