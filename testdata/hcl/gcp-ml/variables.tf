variable "project" {
  type    = string
  default = "ml-prod-123456"
}

variable "region" {
  type    = string
  default = "us-central1"
}

variable "env" {
  type    = string
  default = "dev"
}

variable "trainers" {
  type = map(object({
    machine_type = string
    gpu_type     = string
    gpu_count    = number
  }))
  default = {
    a100 = { machine_type = "a2-highgpu-1g", gpu_type = "", gpu_count = 0 }
    t4   = { machine_type = "n1-standard-16", gpu_type = "nvidia-tesla-t4", gpu_count = 2 }
  }
}
