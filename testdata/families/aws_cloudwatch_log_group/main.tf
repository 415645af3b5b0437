# aws_cloudwatch_log_group family fixture, written from the resources of the testdata plans
# (aws-gpu-create, aws-ml-platform-create, aws-ml-extras, aws-savings, aws-hcl-fidelity, aws-policy-cases); read in HCL mode.

provider "aws" {
  region = "us-east-1"
}

resource "aws_cloudwatch_log_group" "training" {
  name = "/ml/training"
  retention_in_days = 30
  log_group_class = "STANDARD"
  tags = { "team" = "ml-research", "env" = "dev" }
}
