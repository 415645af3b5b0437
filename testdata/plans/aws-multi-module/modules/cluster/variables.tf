variable "name" {
  type = string
}

variable "env" {
  type = string
}

variable "node_count" {
  type = number
}

variable "instance_type" {
  type = string
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

variable "checkpoint_size_gb" {
  type    = number
  default = 4000
}

variable "tags" {
  type    = map(string)
  default = {}
}
