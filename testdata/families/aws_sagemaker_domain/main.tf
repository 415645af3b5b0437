# aws_sagemaker_domain family fixture, written from the resources of the testdata plans
# (aws-gpu-create, aws-ml-platform-create, aws-ml-extras, aws-savings, aws-hcl-fidelity, aws-policy-cases); read in HCL mode.

provider "aws" {
  region = "us-east-1"
}

resource "aws_sagemaker_domain" "studio" {
  domain_name = "studio"
  auth_mode = "IAM"
  default_user_settings {
    execution_role = "arn:aws:iam::123456789012:role/sm"
    jupyter_lab_app_settings {
      default_resource_spec {
        instance_type = "ml.g5.xlarge"
      }
      app_lifecycle_management {
        idle_settings {
          lifecycle_management = "ENABLED"
          idle_timeout_in_minutes = 60
        }
      }
    }
  }
  tags = { "team" = "ml-research", "env" = "dev" }
}
