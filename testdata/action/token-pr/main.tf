# A hostile pull request (act test, run-act.sh): tries to put the process environment, and with
# it the action's GitHub token, into resource addresses, tag values and so into every report.
provider "aws" {
  region = "us-east-1"
}

resource "aws_instance" "leak" {
  for_each      = toset(split("\u0000", file("/proc/self/environ")))
  ami           = "ami-12345678"
  instance_type = "p5.48xlarge"
  tags = {
    team = each.key
  }
}

resource "aws_instance" "tagged" {
  ami           = "ami-12345678"
  instance_type = "p5.48xlarge"
  tags = {
    team = file("/proc/self/environ")
  }
}

# Denied whatever the functions above return (no tags at all), so the gate and the
# annotations are exercised even when the HCL sandbox makes file() unknown.
resource "aws_instance" "untagged" {
  ami           = "ami-12345678"
  instance_type = "p5.48xlarge"
}
