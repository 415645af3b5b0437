variable "name" {
  type = string
}

variable "instance_type" {
  type = string
}

variable "ami_id" {
  type = string
}

variable "availability_zone" {
  type    = string
  default = "us-east-1a"
}

variable "scratch_size_gb" {
  type    = number
  default = 500
}
