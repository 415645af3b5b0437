# A pull request that tries to read the runner's secrets. Every read must be refused
# (the value is unknown, with a warning naming the path) and nothing of the files reach
# any output. The test adds symlinks beside this file: env.tf -> /proc/self/environ,
# passwd-link.txt -> /etc/passwd, zero.txt -> /dev/zero, outside/ -> the parent dir.

provider "aws" {
  region = "us-east-1"
}

variable "db_password" {
  type      = list(string)
  sensitive = true
  default   = ["SENSITIVE-KEY-1", "SENSITIVE-KEY-2"]
}

variable "secret_type" {
  type      = string
  sensitive = true
  default   = "SENSITIVE-TYPE"
}

resource "aws_instance" "environ" {
  for_each      = toset(split("\u0000", file("/proc/self/environ")))
  ami           = "ami-123"
  instance_type = "t3.micro"
}

resource "aws_instance" "environ_try" {
  for_each      = toset(try(split("\u0000", file("/proc/self/environ")), ["fallback"]))
  ami           = "ami-123"
  instance_type = "t3.micro"
}

resource "aws_instance" "via_symlink" {
  ami           = "ami-123"
  instance_type = file("${path.module}/passwd-link.txt")
}

resource "aws_instance" "dotdot" {
  ami           = "ami-123"
  instance_type = file("${path.module}/../../../../../../../../etc/hostname")
}

resource "aws_instance" "zero" {
  ami           = "ami-123"
  instance_type = filebase64("${path.module}/zero.txt")
}

resource "aws_instance" "glob" {
  for_each      = fileset("/", "etc/*")
  ami           = "ami-123"
  instance_type = "t3.micro"
}

resource "aws_instance" "sensitive_keys" {
  for_each      = toset(var.db_password)
  ami           = "ami-123"
  instance_type = "t3.micro"
}

resource "aws_instance" "sensitive_type" {
  ami           = "ami-123"
  instance_type = var.secret_type
}

# Content inside the repository may be read, but is never quoted in an error.
resource "aws_ebs_volume" "size_from_file" {
  availability_zone = "us-east-1a"
  size              = file("${path.module}/inner/notes.txt")
}

resource "aws_ebs_volume" "size_arith" {
  availability_zone = "us-east-1a"
  size              = file("${path.module}/inner/notes.txt") + 1
}

resource "aws_instance" "recursive_template" {
  ami           = "ami-123"
  instance_type = templatefile("${path.module}/tpl/loop.tpl", {})
}

resource "aws_instance" "template_ok" {
  ami           = "ami-123"
  instance_type = templatefile("${path.module}/tpl/type.tpl", { size = "micro" })
}

module "outside" {
  source = "./outside"
}

# Sensitivity follows the attribute read, not the whole resource.
resource "aws_launch_template" "lt" {
  instance_type = "t3.small"
  user_data     = var.secret_type
}

resource "aws_instance" "from_template" {
  ami           = "ami-123"
  instance_type = aws_launch_template.lt.instance_type
}

resource "aws_instance" "from_template_secret" {
  ami           = "ami-123"
  instance_type = aws_launch_template.lt.user_data
}
