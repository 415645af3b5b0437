variable "name" {
  type = string
}

variable "instance_type" {
  type = string
}

variable "availability_zone" {
  type = string
}

variable "ami_id" {
  type    = string
  default = "ami-0123456789abcdef0"
}

variable "root_volume_gb" {
  type    = number
  default = 200
}

variable "scratch_size_gb" {
  type = number
}

variable "scratch_type" {
  type    = string
  default = "gp3"
}

variable "scratch_iops" {
  type    = number
  default = null
}

variable "tags" {
  type    = map(string)
  default = {}
}
