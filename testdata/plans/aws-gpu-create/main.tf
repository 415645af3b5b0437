# ---------------------------------------------------------------------------
# GPU instances
# ---------------------------------------------------------------------------

# 8x A100 40GB. Has the `owner` tag.
resource "aws_instance" "p4d" {
  ami           = var.ami_id
  instance_type = "p4d.24xlarge"

  tags = {
    Name  = "p4d-trainer"
    owner = "alice@example.com"
  }
}

# 8x H100 80GB. Deliberately MISSING the `owner` tag.
resource "aws_instance" "p5" {
  ami           = var.ami_id
  instance_type = "p5.48xlarge"

  tags = {
    Name = "p5-trainer"
  }
}

# 1x A10G with root gp3 200 GB and an attached io2 500 GB / 8000 IOPS volume.
# user_data interpolates a sensitive variable.
resource "aws_instance" "g5" {
  ami           = var.ami_id
  instance_type = "g5.xlarge"
  user_data     = "#!/bin/bash\nexport HF_TOKEN=${var.hf_token}\n"

  root_block_device {
    volume_type = "gp3"
    volume_size = 200
  }

  ebs_block_device {
    device_name = "/dev/sdf"
    volume_type = "io2"
    volume_size = 500
    iops        = 8000
  }

  tags = {
    Name  = "g5-inference"
    owner = "bob@example.com"
  }
}

# 4x L40S.
resource "aws_instance" "g6e" {
  ami           = var.ami_id
  instance_type = "g6e.12xlarge"

  tags = {
    Name  = "g6e-finetune"
    owner = "carol@example.com"
  }
}

# ---------------------------------------------------------------------------
# count / for_each
# ---------------------------------------------------------------------------

resource "aws_instance" "workers" {
  count         = 2
  ami           = var.ami_id
  instance_type = "m5.xlarge"

  tags = {
    Name  = "worker-${count.index}"
    owner = "alice@example.com"
  }
}

resource "aws_instance" "dev" {
  for_each      = toset(["a", "b"])
  ami           = var.ami_id
  instance_type = "t3.micro"

  tags = {
    Name  = "dev-${each.key}"
    owner = "dave@example.com"
  }
}

# ---------------------------------------------------------------------------
# EBS volumes: one per volume type
# ---------------------------------------------------------------------------

resource "aws_ebs_volume" "gp2" {
  availability_zone = "us-east-1a"
  type              = "gp2"
  size              = 100
}

resource "aws_ebs_volume" "gp3" {
  availability_zone = "us-east-1a"
  type              = "gp3"
  size              = 1000
  iops              = 6000
  throughput        = 250
}

resource "aws_ebs_volume" "io1" {
  availability_zone = "us-east-1a"
  type              = "io1"
  size              = 200
  iops              = 4000
}

resource "aws_ebs_volume" "io2" {
  availability_zone = "us-east-1a"
  type              = "io2"
  size              = 300
  iops              = 10000
}

resource "aws_ebs_volume" "st1" {
  availability_zone = "us-east-1a"
  type              = "st1"
  size              = 2000
}

resource "aws_ebs_volume" "sc1" {
  availability_zone = "us-east-1a"
  type              = "sc1"
  size              = 5000
}

# ---------------------------------------------------------------------------
# Sensitive value in an attribute
# ---------------------------------------------------------------------------

resource "aws_ssm_parameter" "hf_token" {
  name  = "/ml/hf-token"
  type  = "SecureString"
  value = var.hf_token
}
