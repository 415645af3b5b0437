# aws_sagemaker_endpoint_configuration family fixture, written from the resources of the testdata plans
# (aws-gpu-create, aws-ml-platform-create, aws-ml-extras, aws-savings, aws-hcl-fidelity, aws-policy-cases); read in HCL mode.

provider "aws" {
  region = "us-east-1"
}

resource "aws_sagemaker_endpoint_configuration" "llm" {
  name = "llm-7b"
  production_variants {
    initial_instance_count = 2
    initial_variant_weight = 1
    instance_type = "ml.g5.2xlarge"
    model_name = aws_sagemaker_model.llm.name
    variant_name = "primary"
  }
}

resource "aws_sagemaker_model" "llm" {
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"
  name = "llm-7b"
  primary_container {
    image = "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.1.1-tgi1.4.0-gpu-py310-cu121-ubuntu22.04"
    mode = "SingleModel"
  }
}
