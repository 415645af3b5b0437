variable "hf_token" {
  description = "Hugging Face token (fake). Marked sensitive so after_sensitive is exercised."
  type        = string
  sensitive   = true
  default     = "hf_FAKE_TOKEN_FOR_TESTS_ONLY"
}

variable "ami_id" {
  type    = string
  default = "ami-0123456789abcdef0"
}
