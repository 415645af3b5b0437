# Shapes public modules use that HCL mode must evaluate as terraform does.

variable "node_groups" {
  type = map(object({
    instance_types = optional(list(string), ["m5.large"])
    capacity_type  = optional(string, "ON_DEMAND")
    desired_size   = optional(number, 1)
    disk_size      = optional(number)
  }))
  default = {
    gpu = { instance_types = ["p4d.24xlarge"], desired_size = 2, disk_size = "200" }
    cpu = {}
  }
}

resource "aws_iam_role" "nodes" {
  provider           = awsv5
  name               = "fidelity-nodes"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "ebs" {
  provider = awsv5
}

# for_each over a map whose keys are known and whose values hold unknowns (the role ARN).
locals {
  groups = {
    for k, g in var.node_groups : k => merge(g, { role_arn = aws_iam_role.nodes.arn })
  }
  # A nested conditional after a binary operator, and one inside parentheses over lines.
  group_count = length(local.groups) == 0 ? 0 : length(local.groups) > 5 ? 5 : length(local.groups)
  lt_name = (
    local.group_count > 1
    ? "fidelity-${terraform.workspace}"
    : "single"
  )
}

resource "aws_eks_node_group" "this" {
  provider        = awsv5
  for_each        = local.groups
  cluster_name    = "fidelity"
  node_group_name = each.key
  node_role_arn   = each.value.role_arn
  subnet_ids      = ["subnet-0123456789abcdef0"]
  instance_types  = each.value.instance_types
  capacity_type   = each.value.capacity_type
  disk_size       = each.value.disk_size

  scaling_config {
    desired_size = each.value.desired_size
    min_size     = 0
    max_size     = 4
  }
}

resource "aws_launch_template" "gpu" {
  provider      = awsv5
  name          = local.lt_name
  instance_type = "g5.2xlarge"
  user_data = base64encode(<<-EOT
  EOT
  )

  placement {
    tenancy = "dedicated"
  }

  # Elements with an attribute unknown until apply (the KMS key) are kept.
  dynamic "block_device_mappings" {
    for_each = [
      { device = "/dev/xvda", size = "100", kms = null },
      { device = "/dev/xvdb", size = 500, kms = aws_kms_key.ebs.arn },
    ]
    content {
      device_name = block_device_mappings.value.device
      ebs {
        volume_size = block_device_mappings.value.size
        volume_type = "gp3"
        kms_key_id  = block_device_mappings.value.kms
      }
    }
  }
}

locals {
  template_id = aws_launch_template.gpu.id
}

# Linked through a local.
resource "aws_autoscaling_group" "gpu" {
  provider         = awsv5
  name             = "fidelity-gpu"
  min_size         = 1
  max_size         = 3
  desired_capacity = 2
  availability_zones = ["eu-west-1a"]

  launch_template {
    id      = local.template_id
    version = "$Latest"
  }
}

resource "aws_launch_configuration" "legacy" {
  provider      = awsv5
  name          = "fidelity-legacy"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "g4dn.xlarge"

  root_block_device {
    volume_size = 80
    volume_type = "gp3"
  }
}

resource "aws_autoscaling_group" "legacy" {
  provider             = awsv5
  name                 = "fidelity-legacy"
  min_size             = 3
  max_size             = 3
  availability_zones   = ["eu-west-1b"]
  launch_configuration = resource.aws_launch_configuration.legacy.name
}

# Launched from the template: its instance type, block devices and tenancy apply.
resource "aws_instance" "from_template" {
  provider = awsv5
  ami      = "ami-0123456789abcdef0"

  launch_template {
    id = aws_launch_template.gpu.id
  }
}

resource "aws_cloudwatch_metric_alarm" "fast" {
  provider            = awsv5
  alarm_name          = "fidelity-fast"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  threshold           = 1

  metric_query {
    id          = "m1"
    return_data = true
    metric {
      metric_name = "CPUUtilization"
      namespace   = "AWS/EC2"
      period      = "10"
      stat        = "Average"
    }
  }
}

moved {
  from = aws_instance.old_name
  to   = aws_instance.from_template
}

check "template_named" {
  assert {
    condition     = length(local.lt_name) > 0
    error_message = "the launch template needs a name"
  }
}
