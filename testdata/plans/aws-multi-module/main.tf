locals {
  common_tags = merge(
    {
      project = "llm-finetune"
      owner   = var.owner
    },
    var.extra_tags,
  )

  # lookup() on a map variable, with a fallback.
  training_instance_type = lookup(var.instance_types_by_env, var.env, "g5.xlarge")

  # Conditionals on the environment.
  scratch_volume_type = var.env == "prod" ? "io2" : "gp3"
  scratch_iops        = var.env == "prod" ? 16000 : null
  bastion_count       = var.env == "prod" ? 2 : 1
}

# for_each over a map -> module.training["nlp"], module.training["vision"]
module "training" {
  source   = "./modules/cluster"
  for_each = var.clusters

  name            = each.key
  env             = var.env
  node_count      = each.value.node_count
  instance_type   = local.training_instance_type
  scratch_size_gb = each.value.scratch_size_gb
  scratch_type    = local.scratch_volume_type
  scratch_iops    = local.scratch_iops
  tags            = merge(local.common_tags, { cluster = each.key })
}

# for_each over a map of numbers.
resource "aws_ebs_volume" "shared" {
  for_each          = var.shared_volumes
  availability_zone = "${var.region}a"
  type              = "gp3"
  size              = each.value

  tags = merge(local.common_tags, { Name = "shared-${each.key}" })
}

# count driven by a conditional.
resource "aws_instance" "bastion" {
  count         = local.bastion_count
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"

  tags = merge(local.common_tags, { Name = "bastion-${count.index}" })
}

# for_each over toset() of a list variable.
resource "aws_sagemaker_notebook_instance" "user" {
  for_each      = toset(var.notebook_users)
  name          = "nb-${each.key}"
  role_arn      = var.sagemaker_role_arn
  instance_type = var.env == "prod" ? "ml.g5.xlarge" : "ml.t3.medium"

  tags = merge(local.common_tags, { user = each.key })
}
