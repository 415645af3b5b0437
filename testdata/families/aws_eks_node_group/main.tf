# aws_eks_node_group family fixture, written from the resources of the testdata plans
# (aws-gpu-create, aws-ml-platform-create, aws-ml-extras, aws-savings, aws-hcl-fidelity, aws-policy-cases); read in HCL mode.

provider "aws" {
  region = "us-east-1"
}

resource "aws_eks_node_group" "a100" {
  ami_type = "AL2_x86_64_GPU"
  capacity_type = "ON_DEMAND"
  cluster_name = aws_eks_cluster.ml.name
  instance_types = ["p4d.24xlarge"]
  node_group_name = "a100-ondemand"
  scaling_config {
    desired_size = 1
    max_size = 2
    min_size = 0
  }
  subnet_ids = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  tags = { "owner" = "ml-infra@example.com" }
  node_role_arn = aws_iam_role.eks_nodes.arn
}

resource "aws_eks_node_group" "gpu_spot" {
  ami_type = "AL2_x86_64_GPU"
  capacity_type = "SPOT"
  cluster_name = aws_eks_cluster.ml.name
  disk_size = 100
  instance_types = ["g6.xlarge", "g6.2xlarge"]
  node_group_name = "gpu-spot"
  scaling_config {
    desired_size = 3
    max_size = 6
    min_size = 1
  }
  subnet_ids = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  tags = { "owner" = "ml-infra@example.com" }
  node_role_arn = aws_iam_role.eks_nodes.arn
}

resource "aws_eks_node_group" "infer_spot" {
  ami_type = "AL2_x86_64_GPU"
  capacity_type = "SPOT"
  cluster_name = aws_eks_cluster.train.name
  instance_types = ["g6.xlarge"]
  node_group_name = "infer-spot"
  node_role_arn = "arn:aws:iam::123456789012:role/eks-nodes"
  scaling_config {
    desired_size = 1
    max_size = 3
    min_size = 0
  }
  subnet_ids = ["subnet-0aaa1111", "subnet-0bbb2222"]
  tags = { "env" = "prod" }
}

resource "aws_eks_node_group" "train_g5" {
  ami_type = "AL2_x86_64_GPU"
  capacity_type = "ON_DEMAND"
  cluster_name = aws_eks_cluster.train.name
  disk_size = 500
  instance_types = ["g5.12xlarge"]
  node_group_name = "train-g5"
  node_role_arn = "arn:aws:iam::123456789012:role/eks-nodes"
  scaling_config {
    desired_size = 2
    max_size = 4
    min_size = 1
  }
  subnet_ids = ["subnet-0aaa1111", "subnet-0bbb2222"]
  tags = { "env" = "prod", "workload" = "training" }
}

resource "aws_eks_node_group" "this" {
  capacity_type = "ON_DEMAND"
  cluster_name = "fidelity"
  instance_types = ["m5.large"]
  node_group_name = "cpu"
  scaling_config {
    desired_size = 1
    max_size = 4
    min_size = 0
  }
  subnet_ids = ["subnet-0123456789abcdef0"]
}

resource "aws_eks_node_group" "this" {
  capacity_type = "ON_DEMAND"
  cluster_name = "fidelity"
  disk_size = 200
  instance_types = ["p4d.24xlarge"]
  node_group_name = "gpu"
  scaling_config {
    desired_size = 2
    max_size = 4
    min_size = 0
  }
  subnet_ids = ["subnet-0123456789abcdef0"]
}

resource "aws_eks_cluster" "ml" {
  bootstrap_self_managed_addons = true
  name = "ml-platform"
  vpc_config {
    endpoint_private_access = false
    endpoint_public_access = true
    subnet_ids = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  }
  role_arn = aws_iam_role.eks_cluster.arn
}

resource "aws_iam_role" "eks_nodes" {
  assume_role_policy = "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"}}],\"Version\":\"2012-10-17\"}"
  force_detach_policies = false
  max_session_duration = 3600
  name = "ml-eks-nodes"
  path = "/"
}

resource "aws_eks_cluster" "train" {
  bootstrap_self_managed_addons = true
  name = "train"
  role_arn = "arn:aws:iam::123456789012:role/eks-cluster"
  vpc_config {
    endpoint_private_access = false
    endpoint_public_access = true
    subnet_ids = ["subnet-0aaa1111", "subnet-0bbb2222"]
  }
}

resource "aws_iam_role" "eks_cluster" {
  assume_role_policy = "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"eks.amazonaws.com\"}}],\"Version\":\"2012-10-17\"}"
  force_detach_policies = false
  max_session_duration = 3600
  name = "ml-eks-cluster"
  path = "/"
}
