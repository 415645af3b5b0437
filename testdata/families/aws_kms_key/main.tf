# aws_kms_key family fixture: a plain key (the monthly fee) and a rotated one (the rotation
# note). Regenerate plan.json with
#   CASES_DIR=testdata/families testdata/plans/generate.sh aws_kms_key

resource "aws_kms_key" "plain" {
  description = "application secrets"
}

resource "aws_kms_key" "rotated" {
  description             = "data at rest"
  enable_key_rotation     = true
  deletion_window_in_days = 7
}
