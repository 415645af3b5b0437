# aws_messaging family fixture: a standard queue, a FIFO queue and an SNS topic (all priced per
# million requests from usage). Regenerate plan.json with
#   CASES_DIR=testdata/families testdata/plans/generate.sh aws_messaging

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_sqs_queue" "ordered" {
  name       = "ordered.fifo"
  fifo_queue = true
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}
