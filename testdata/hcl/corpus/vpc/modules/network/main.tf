variable "azs" { type = list(string) }
variable "enable_nat_gateway" {
  type    = bool
  default = false
}
variable "single_nat_gateway" {
  type    = bool
  default = false
}
variable "one_nat_gateway_per_az" {
  type    = bool
  default = false
}

locals {
  nat_gateway_count = var.single_nat_gateway ? 1 : var.one_nat_gateway_per_az ? length(var.azs) : length(var.azs)
  create_nat        = var.enable_nat_gateway && length(var.azs) > 0 ? true : false
}

resource "aws_vpc" "this" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "public" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.this.id
  availability_zone = element(var.azs, count.index)
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index)
}

resource "aws_eip" "nat" {
  count  = local.create_nat ? local.nat_gateway_count : 0
  domain = "vpc"
}

resource "aws_nat_gateway" "this" {
  count         = local.create_nat ? local.nat_gateway_count : 0
  allocation_id = element(aws_eip.nat[*].id, var.single_nat_gateway ? 0 : count.index)
  subnet_id     = element(aws_subnet.public[*].id, var.single_nat_gateway ? 0 : count.index)
}
