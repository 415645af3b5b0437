# Savings advice cases: every resource here prices fine and passes the deny policies that
# matter, but leaves money on the table (see the savings-* policies).

variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0aaa1111", "subnet-0bbb2222"]
}

variable "ami_id" {
  type    = string
  default = "ami-0123456789abcdef0"
}

variable "cluster_role_arn" {
  type    = string
  default = "arn:aws:iam::123456789012:role/eks-cluster"
}

variable "node_role_arn" {
  type    = string
  default = "arn:aws:iam::123456789012:role/eks-nodes"
}

variable "sagemaker_role_arn" {
  type    = string
  default = "arn:aws:iam::123456789012:role/sagemaker"
}

resource "aws_eks_cluster" "train" {
  name     = "train"
  role_arn = var.cluster_role_arn

  vpc_config {
    subnet_ids = var.subnet_ids
  }
}

# On-demand A10G training pool that never scales below 1 node, gp2 node disks:
# spot, min-zero and gp3 advice.
resource "aws_eks_node_group" "train_g5" {
  cluster_name    = aws_eks_cluster.train.name
  node_group_name = "train-g5"
  node_role_arn   = var.node_role_arn
  subnet_ids      = var.subnet_ids
  instance_types  = ["g5.12xlarge"]
  capacity_type   = "ON_DEMAND"
  ami_type        = "AL2_x86_64_GPU"
  disk_size       = 500

  scaling_config {
    desired_size = 2
    min_size     = 1
    max_size     = 4
  }

  tags = {
    env      = "prod"
    workload = "training"
  }
}

# Batch GPU group from a launch template with a 1.5 TB gp2 volume, two nodes held at minimum:
# spot, min-zero and gp3 (with matching IOPS) advice.
resource "aws_launch_template" "batch" {
  name          = "gpu-batch"
  image_id      = var.ami_id
  instance_type = "g6.2xlarge"

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_type = "gp2"
      volume_size = 1500
    }
  }
}

resource "aws_autoscaling_group" "batch" {
  name                = "gpu-batch"
  min_size            = 2
  max_size            = 8
  desired_capacity    = 2
  vpc_zone_identifier = var.subnet_ids

  launch_template {
    id      = aws_launch_template.batch.id
    version = "$Latest"
  }

  tag {
    key                 = "env"
    value               = "prod"
    propagate_at_launch = true
  }
}

# Dev GPU box with a gp2 root volume and nothing that stops it off-hours: schedule and gp3.
resource "aws_instance" "dev_box" {
  ami           = var.ami_id
  instance_type = "g5.xlarge"

  root_block_device {
    volume_type = "gp2"
    volume_size = 300
  }

  tags = {
    env = "dev"
  }
}

# Notebook without a lifecycle configuration (no idle auto-stop): schedule advice.
resource "aws_sagemaker_notebook_instance" "explore" {
  name          = "explore-g5"
  role_arn      = var.sagemaker_role_arn
  instance_type = "ml.g5.xlarge"
  volume_size   = 50

  tags = {
    env = "dev"
  }
}

# A plain gp2 data volume: gp3 advice.
resource "aws_ebs_volume" "features" {
  availability_zone = "us-east-1a"
  size              = 800
  type              = "gp2"

  tags = {
    env = "prod"
  }
}

# Already on spot, may scale to zero; its default 20 GB gp2 disk saves less than the $1
# minimum of savings-gp3 (no advice).
resource "aws_eks_node_group" "infer_spot" {
  cluster_name    = aws_eks_cluster.train.name
  node_group_name = "infer-spot"
  node_role_arn   = var.node_role_arn
  subnet_ids      = var.subnet_ids
  instance_types  = ["g6.xlarge"]
  capacity_type   = "SPOT"
  ami_type        = "AL2_x86_64_GPU"

  scaling_config {
    desired_size = 1
    min_size     = 0
    max_size     = 3
  }

  tags = {
    env = "prod"
  }
}
