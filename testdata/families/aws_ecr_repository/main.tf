# aws_ecr_repository family fixture: a repository (storage from usage).
# Regenerate plan.json with
#   CASES_DIR=testdata/families testdata/plans/generate.sh aws_ecr_repository

resource "aws_ecr_repository" "models" {
  name = "models"
}
