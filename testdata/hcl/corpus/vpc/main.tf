# Modelled on a VPC module: NAT gateways per AZ unless single, nested conditionals.
provider "aws" {
  region = "us-west-2"
}

module "vpc" {
  source             = "./modules/network"
  azs                = ["us-west-2a", "us-west-2b", "us-west-2c"]
  enable_nat_gateway = true
  single_nat_gateway = false
}
