# aws_lambda_function family fixture: an x86_64 function (128 MB default) and an arm64
# function with 1024 MB. Requests and duration are usage (none given: the lines say so).
# Regenerate plan.json with
#   CASES_DIR=testdata/families testdata/plans/generate.sh aws_lambda_function

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/lambda"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/lambda"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  memory_size   = 1024
  architectures = ["arm64"]
}
