# aws_autoscaling_group family fixture, written from the resources of the testdata plans
# (aws-gpu-create, aws-ml-platform-create, aws-ml-extras, aws-savings, aws-hcl-fidelity, aws-policy-cases); read in HCL mode.

provider "aws" {
  region = "us-east-1"
}

resource "aws_autoscaling_group" "gpu" {
  desired_capacity = 2
  force_delete = false
  force_delete_warm_pool = false
  health_check_grace_period = 300
  ignore_failed_scaling_activities = false
  launch_template {
    version = "$Latest"
    id = aws_launch_template.gpu.id
  }
  max_size = 4
  metrics_granularity = "1Minute"
  min_size = 0
  name = "gpu-batch"
  protect_from_scale_in = false
  tag {
    key = "owner"
    propagate_at_launch = true
    value = "ml-batch@example.com"
  }
  vpc_zone_identifier = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  wait_for_capacity_timeout = "10m"
}

resource "aws_autoscaling_group" "batch" {
  desired_capacity = 2
  force_delete = false
  force_delete_warm_pool = false
  health_check_grace_period = 300
  ignore_failed_scaling_activities = false
  launch_template {
    version = "$Latest"
    id = aws_launch_template.batch.id
  }
  max_size = 8
  metrics_granularity = "1Minute"
  min_size = 2
  name = "gpu-batch"
  protect_from_scale_in = false
  tag {
    key = "env"
    propagate_at_launch = true
    value = "prod"
  }
  vpc_zone_identifier = ["subnet-0aaa1111", "subnet-0bbb2222"]
  wait_for_capacity_timeout = "10m"
}

resource "aws_autoscaling_group" "legacy" {
  availability_zones = ["eu-west-1b"]
  force_delete = false
  force_delete_warm_pool = false
  health_check_grace_period = 300
  ignore_failed_scaling_activities = false
  launch_configuration = aws_launch_configuration.legacy.name
  max_size = 3
  metrics_granularity = "1Minute"
  min_size = 3
  name = "fidelity-legacy"
  protect_from_scale_in = false
  wait_for_capacity_timeout = "10m"
}

resource "aws_launch_template" "gpu" {
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 100
      volume_type = "gp3"
    }
  }
  image_id = "ami-0123456789abcdef0"
  instance_type = "g5.2xlarge"
  name = "gpu-batch"
  tag_specifications {
    resource_type = "instance"
    tags = { "owner" = "ml-batch@example.com" }
  }
}

resource "aws_launch_template" "batch" {
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 1500
      volume_type = "gp2"
    }
  }
  image_id = "ami-0123456789abcdef0"
  instance_type = "g6.2xlarge"
  name = "gpu-batch"
}

resource "aws_launch_configuration" "legacy" {
  enable_monitoring = true
  image_id = "ami-0123456789abcdef0"
  instance_type = "g4dn.xlarge"
  name = "fidelity-legacy"
  root_block_device {
    delete_on_termination = true
    volume_size = 80
    volume_type = "gp3"
  }
}
