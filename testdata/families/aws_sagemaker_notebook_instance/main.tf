# aws_sagemaker_notebook_instance family fixture, written from the resources of the testdata plans
# (aws-gpu-create, aws-ml-platform-create, aws-ml-extras, aws-savings, aws-hcl-fidelity, aws-policy-cases); read in HCL mode.

provider "aws" {
  region = "us-east-1"
}

resource "aws_sagemaker_notebook_instance" "research" {
  direct_internet_access = "Enabled"
  instance_type = "ml.g5.xlarge"
  lifecycle_config_name = aws_sagemaker_notebook_instance_lifecycle_configuration.autostop.name
  name = "research-g5"
  role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"
  root_access = "Enabled"
  tags = { "owner" = "alice@example.com" }
  volume_size = 50
}

resource "aws_sagemaker_notebook_instance" "scratch" {
  direct_internet_access = "Enabled"
  instance_type = "ml.g4dn.xlarge"
  name = "scratch-g4dn"
  role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"
  root_access = "Enabled"
  tags = { "owner" = "bob@example.com" }
  volume_size = 5
}

resource "aws_sagemaker_notebook_instance" "explore" {
  direct_internet_access = "Enabled"
  instance_type = "ml.g5.xlarge"
  name = "explore-g5"
  role_arn = "arn:aws:iam::123456789012:role/sagemaker"
  root_access = "Enabled"
  tags = { "env" = "dev" }
  volume_size = 50
}

resource "aws_sagemaker_notebook_instance" "no_autostop" {
  direct_internet_access = "Enabled"
  instance_type = "ml.g4dn.xlarge"
  name = "nb-no-autostop"
  role_arn = "arn:aws:iam::123456789012:role/sagemaker-execution"
  root_access = "Enabled"
  tags = { "owner" = "bob@example.com", "team" = "ml-platform" }
  volume_size = 5
}

resource "aws_sagemaker_notebook_instance_lifecycle_configuration" "autostop" {
  name = "autostop-idle"
  on_start = "IyEvYmluL2Jhc2gKc2V0IC1lCiMgU3RvcCB0aGUgbm90ZWJvb2sgYWZ0ZXIgSURMRV9USU1FIHNlY29uZHMgd2l0aG91dCBrZXJuZWwgYWN0aXZpdHkuCklETEVfVElNRT0zNjAwCndnZXQgLXEgaHR0cHM6Ly9yYXcuZ2l0aHVidXNlcmNvbnRlbnQuY29tL2F3cy1zYW1wbGVzL2FtYXpvbi1zYWdlbWFrZXItbm90ZWJvb2staW5zdGFuY2UtbGlmZWN5Y2xlLWNvbmZpZy1zYW1wbGVzL21hc3Rlci9zY3JpcHRzL2F1dG8tc3RvcC1pZGxlL2F1dG9zdG9wLnB5IC1PIC9ob21lL2VjMi11c2VyL2F1dG9zdG9wLnB5Cihjcm9udGFiIC1sIDI+L2Rldi9udWxsOyBlY2hvICIqLzUgKiAqICogKiAvdXNyL2Jpbi9weXRob24zIC9ob21lL2VjMi11c2VyL2F1dG9zdG9wLnB5IC0tdGltZSAkSURMRV9USU1FIC0taWdub3JlLWNvbm5lY3Rpb25zIikgfCBjcm9udGFiIC0K"
}
