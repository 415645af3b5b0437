variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
}

variable "ami_id" {
  type    = string
  default = "ami-0123456789abcdef0"
}

variable "sagemaker_role_arn" {
  type    = string
  default = "arn:aws:iam::123456789012:role/sagemaker-execution"
}
