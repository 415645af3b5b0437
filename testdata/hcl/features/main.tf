# HCL-mode features in one place: provider aliases and default_tags, dynamic blocks, a
# launch template referenced by an ASG, values only known after apply (data sources,
# resource ids, unknown count), a sensitive variable, and a local module with a provider map.
provider "aws" {
  region = "us-east-1"

  default_tags {
    tags = {
      team = "ml-platform"
    }
  }
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"

  default_tags {
    tags = {
      team = "ml-west"
    }
  }
}

variable "hf_token" {
  type      = string
  sensitive = true
  default   = "hf_FAKE"
}

variable "volumes" {
  type = list(object({ device = string, size = number }))
  default = [
    { device = "/dev/sdf", size = 100 },
    { device = "/dev/sdg", size = 300 },
  ]
}

variable "gpu_type" {
  type    = string
  default = "g5.2xlarge"
}

locals {
  subnets      = [for i in range(2) : cidrsubnet("10.0.0.0/16", 8, i)]
  name_by_size = { for v in var.volumes : v.device => format("vol-%04d", v.size) }
}

data "aws_ami" "dl" {
  most_recent = true
  owners      = ["amazon"]
}

data "aws_subnets" "private" {}

resource "aws_instance" "west" {
  provider      = aws.west
  ami           = data.aws_ami.dl.id
  instance_type = "g6.xlarge"
  user_data     = "export HF_TOKEN=${var.hf_token}"

  dynamic "ebs_block_device" {
    for_each = var.volumes
    iterator = vol
    content {
      device_name = vol.value.device
      volume_size = vol.value.size
      volume_type = "gp3"
      tags        = { Name = local.name_by_size[vol.value.device] }
    }
  }

  tags = {
    subnet = local.subnets[1]
  }
}

resource "aws_launch_template" "gpu" {
  name          = "gpu"
  image_id      = data.aws_ami.dl.id
  instance_type = var.gpu_type
}

resource "aws_autoscaling_group" "gpu" {
  min_size         = 0
  max_size         = 3
  desired_capacity = 1

  launch_template {
    id      = aws_launch_template.gpu.id
    version = "$Latest"
  }

  tag {
    key                 = "copied_type"
    value               = aws_launch_template.gpu.instance_type
    propagate_at_launch = true
  }
}

# The number of subnets is only known after the data source is read.
resource "aws_instance" "per_subnet" {
  count         = length(data.aws_subnets.private.ids)
  ami           = "ami-0123456789abcdef0"
  instance_type = "p4d.24xlarge"
}

module "west_volumes" {
  source = "./modules/tagged_volume"
  providers = {
    aws = aws.west
  }
  size = 50
}
