# aws_eks_cluster family fixture, written from the resources of the testdata plans
# (aws-gpu-create, aws-ml-platform-create, aws-ml-extras, aws-savings, aws-hcl-fidelity, aws-policy-cases); read in HCL mode.

provider "aws" {
  region = "us-east-1"
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
