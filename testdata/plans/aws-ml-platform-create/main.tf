# ---------------------------------------------------------------------------
# Launch template + ASG (GPU count lives in the template, capacity in the ASG)
# ---------------------------------------------------------------------------

resource "aws_launch_template" "gpu" {
  name          = "gpu-batch"
  image_id      = var.ami_id
  instance_type = "g5.2xlarge"

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_type = "gp3"
      volume_size = 100
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags = {
      owner = "ml-batch@example.com"
    }
  }
}

resource "aws_autoscaling_group" "gpu" {
  name                = "gpu-batch"
  min_size            = 0
  max_size            = 4
  desired_capacity    = 2
  vpc_zone_identifier = var.subnet_ids

  launch_template {
    id      = aws_launch_template.gpu.id
    version = "$Latest"
  }

  tag {
    key                 = "owner"
    value               = "ml-batch@example.com"
    propagate_at_launch = true
  }
}

# ---------------------------------------------------------------------------
# EKS cluster + two GPU node groups
# ---------------------------------------------------------------------------

resource "aws_iam_role" "eks_cluster" {
  name = "ml-eks-cluster"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "eks.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role" "eks_nodes" {
  name = "ml-eks-nodes"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}

resource "aws_eks_cluster" "ml" {
  name     = "ml-platform"
  role_arn = aws_iam_role.eks_cluster.arn

  vpc_config {
    subnet_ids = var.subnet_ids
  }
}

# Spot L4 pool: 3 nodes desired (1..6), each 1 GPU.
resource "aws_eks_node_group" "gpu_spot" {
  cluster_name    = aws_eks_cluster.ml.name
  node_group_name = "gpu-spot"
  node_role_arn   = aws_iam_role.eks_nodes.arn
  subnet_ids      = var.subnet_ids
  instance_types  = ["g6.xlarge", "g6.2xlarge"]
  capacity_type   = "SPOT"
  ami_type        = "AL2_x86_64_GPU"
  disk_size       = 100

  scaling_config {
    desired_size = 3
    min_size     = 1
    max_size     = 6
  }

  tags = {
    owner = "ml-infra@example.com"
  }
}

# On-demand A100 pool: 1 node desired (0..2), each 8 GPUs.
resource "aws_eks_node_group" "a100" {
  cluster_name    = aws_eks_cluster.ml.name
  node_group_name = "a100-ondemand"
  node_role_arn   = aws_iam_role.eks_nodes.arn
  subnet_ids      = var.subnet_ids
  instance_types  = ["p4d.24xlarge"]
  capacity_type   = "ON_DEMAND"
  ami_type        = "AL2_x86_64_GPU"

  scaling_config {
    desired_size = 1
    min_size     = 0
    max_size     = 2
  }

  tags = {
    owner = "ml-infra@example.com"
  }
}

# ---------------------------------------------------------------------------
# SageMaker notebooks
# ---------------------------------------------------------------------------

resource "aws_sagemaker_notebook_instance_lifecycle_configuration" "autostop" {
  name = "autostop-idle"
  on_start = base64encode(<<-EOT
    #!/bin/bash
    set -e
    # Stop the notebook after IDLE_TIME seconds without kernel activity.
    IDLE_TIME=3600
    wget -q https://raw.githubusercontent.com/aws-samples/amazon-sagemaker-notebook-instance-lifecycle-config-samples/master/scripts/auto-stop-idle/autostop.py -O /home/ec2-user/autostop.py
    (crontab -l 2>/dev/null; echo "*/5 * * * * /usr/bin/python3 /home/ec2-user/autostop.py --time $IDLE_TIME --ignore-connections") | crontab -
  EOT
  )
}

# Has an idle auto-stop lifecycle config.
resource "aws_sagemaker_notebook_instance" "research" {
  name                  = "research-g5"
  role_arn              = var.sagemaker_role_arn
  instance_type         = "ml.g5.xlarge"
  volume_size           = 50
  lifecycle_config_name = aws_sagemaker_notebook_instance_lifecycle_configuration.autostop.name

  tags = {
    owner = "alice@example.com"
  }
}

# No lifecycle config -> no idle auto-stop.
resource "aws_sagemaker_notebook_instance" "scratch" {
  name          = "scratch-g4dn"
  role_arn      = var.sagemaker_role_arn
  instance_type = "ml.g4dn.xlarge"

  tags = {
    owner = "bob@example.com"
  }
}

# ---------------------------------------------------------------------------
# SageMaker real-time endpoint: 2 x ml.g5.2xlarge
# ---------------------------------------------------------------------------

resource "aws_sagemaker_model" "llm" {
  name               = "llm-7b"
  execution_role_arn = var.sagemaker_role_arn

  primary_container {
    image = "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.1.1-tgi1.4.0-gpu-py310-cu121-ubuntu22.04"
  }
}

resource "aws_sagemaker_endpoint_configuration" "llm" {
  name = "llm-7b"

  production_variants {
    variant_name           = "primary"
    model_name             = aws_sagemaker_model.llm.name
    instance_type          = "ml.g5.2xlarge"
    initial_instance_count = 2
  }
}

resource "aws_sagemaker_endpoint" "llm" {
  name                 = "llm-7b"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.llm.name

  tags = {
    owner = "serving@example.com"
  }
}

# ---------------------------------------------------------------------------
# Storage + egress
# ---------------------------------------------------------------------------

resource "aws_s3_bucket" "artifacts" {
  bucket = "ml-platform-artifacts-123456789012"
}

resource "aws_s3_bucket" "training_data" {
  bucket = "ml-platform-training-data-123456789012"

  tags = {
    owner     = "data@example.com"
    dataclass = "training"
  }
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "main" {
  allocation_id = aws_eip.nat.id
  subnet_id     = "subnet-0123456789abcdef0"
}

# ---------------------------------------------------------------------------
# Local module with for_each: one GPU instance + one scratch volume per key
# ---------------------------------------------------------------------------

module "gpu_pool" {
  source   = "./modules/gpu_pool"
  for_each = { a = "g5.xlarge", b = "g6e.xlarge" }

  name          = "pool-${each.key}"
  instance_type = each.value
  ami_id        = var.ami_id
}
