# aws_ssm_parameter family fixture, written from the resources of the testdata plans
# (aws-gpu-create, aws-ml-platform-create, aws-ml-extras, aws-savings, aws-hcl-fidelity, aws-policy-cases); read in HCL mode.

provider "aws" {
  region = "us-east-1"
}

resource "aws_ssm_parameter" "hf_token" {
  name = "/ml/hf-token"
  type = "SecureString"
}

resource "aws_ssm_parameter" "big_config" {
  name = "/ml/config"
  type = "String"
  tier = "Advanced"
  tags = { "team" = "ml-research", "env" = "dev" }
}
