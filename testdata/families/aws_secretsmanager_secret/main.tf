# aws_secretsmanager_secret family fixture: one secret per region (one rate everywhere) and a
# secret with a replica (two secrets billed). Regenerate plan.json with
#   CASES_DIR=testdata/families testdata/plans/generate.sh aws_secretsmanager_secret

resource "aws_secretsmanager_secret" "db" {
  name = "db-password"
}

resource "aws_secretsmanager_secret" "eu" {
  provider = aws.eu
  name     = "db-password-eu"
}

resource "aws_secretsmanager_secret" "mumbai" {
  provider = aws.mumbai
  name     = "db-password-mumbai"
}

resource "aws_secretsmanager_secret" "replicated" {
  name = "api-key"
  replica {
    region = "eu-west-1"
  }
}
