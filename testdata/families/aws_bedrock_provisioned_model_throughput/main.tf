# aws_bedrock_provisioned_model_throughput family fixture: a model with a published
# six-month rate, the same model without a commitment, and a current model whose rate the
# catalog does not have. Regenerate plan.json with
#   CASES_DIR=testdata/families testdata/plans/generate.sh aws_bedrock_provisioned_model_throughput

resource "aws_bedrock_provisioned_model_throughput" "claude_v2" {
  provisioned_model_name = "claude-v2-prod"
  model_arn              = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1:18k"
  model_units            = 2
  commitment_duration    = "SixMonths"
}

resource "aws_bedrock_provisioned_model_throughput" "no_commitment" {
  provisioned_model_name = "claude-v2-burst"
  model_arn              = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1:18k"
  model_units            = 1
}

resource "aws_bedrock_provisioned_model_throughput" "nova" {
  provisioned_model_name = "nova-pro"
  model_arn              = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0:300k"
  model_units            = 1
  commitment_duration    = "OneMonth"
}
