# Case aws-policy-cases: each resource is built to trip (or deliberately pass) one policy.
# Provider default_tags only adds env = "dev"; team/owner must come from resource tags.

locals {
  ami = "ami-0123456789abcdef0"
}

# POLICY: GPU in a dev environment without a `schedule` tag (no off-hours stop) -> violation.
resource "aws_instance" "gpu_dev_unscheduled" {
  ami           = local.ami
  instance_type = "g5.xlarge"

  tags = {
    Name  = "gpu-dev-unscheduled"
    team  = "ml-platform"
    owner = "alice@example.com"
  }
}

# Control: same GPU in dev, WITH a schedule tag -> passes the schedule policy.
resource "aws_instance" "gpu_dev_scheduled" {
  ami           = local.ami
  instance_type = "g5.xlarge"

  tags = {
    Name     = "gpu-dev-scheduled"
    team     = "ml-platform"
    owner    = "alice@example.com"
    schedule = "office-hours"
  }
}

# POLICY: SageMaker notebook without a lifecycle config (no idle auto-stop) -> violation.
resource "aws_sagemaker_notebook_instance" "no_autostop" {
  name          = "nb-no-autostop"
  role_arn      = "arn:aws:iam::123456789012:role/sagemaker-execution"
  instance_type = "ml.g4dn.xlarge"

  tags = {
    team  = "ml-platform"
    owner = "bob@example.com"
  }
}

# POLICY: missing required tags (no `team`, no `owner`; only env from default_tags) -> violation.
resource "aws_ebs_volume" "untagged" {
  availability_zone = "us-east-1a"
  type              = "gp3"
  size              = 250
}

# POLICY: 3 x p5.48xlarge = 24 H100 GPUs, exceeding a 16-H100 quota -> violation.
resource "aws_instance" "h100" {
  count         = 3
  ami           = local.ami
  instance_type = "p5.48xlarge"

  tags = {
    Name     = "h100-${count.index}"
    team     = "ml-platform"
    owner    = "carol@example.com"
    schedule = "office-hours"
  }
}

# POLICY (coverage): a billed type costgate does not price yet -> unpriced, a coverage warning.
resource "aws_kinesis_stream" "events" {
  name        = "events"
  shard_count = 1

  tags = {
    team  = "ml-platform"
    owner = "bob@example.com"
  }
}
