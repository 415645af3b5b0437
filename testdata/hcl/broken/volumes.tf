resource "aws_ebs_volume" "data" {
  size = 100 +
}
