# A GPU node group called by every environment (not a project of its own).
variable "instance_type" {
  type = string
}

variable "nodes" {
  type    = number
  default = 1
}

resource "aws_instance" "node" {
  count         = var.nodes
  ami           = "ami-0123456789abcdef0"
  instance_type = var.instance_type
  tags          = { team = "ml", owner = "ana@example.com" }
}
