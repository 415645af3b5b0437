# Override file: merged into the scratch volume of extra.tf.json.
resource "aws_ebs_volume" "scratch" {
  type = "io2"
  iops = 4000
}
