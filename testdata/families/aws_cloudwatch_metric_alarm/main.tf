# aws_cloudwatch_metric_alarm family fixture, written from the resources of the testdata plans
# (aws-gpu-create, aws-ml-platform-create, aws-ml-extras, aws-savings, aws-hcl-fidelity, aws-policy-cases); read in HCL mode.

provider "aws" {
  region = "us-east-1"
}

resource "aws_cloudwatch_metric_alarm" "gpu_idle" {
  alarm_name = "gpu-idle"
  comparison_operator = "LessThanThreshold"
  evaluation_periods = 6
  metric_name = "GPUUtilization"
  namespace = "CWAgent"
  period = 300
  statistic = "Average"
  threshold = 5
  tags = { "team" = "ml-research", "env" = "dev" }
}

resource "aws_cloudwatch_metric_alarm" "fast" {
  alarm_name = "fast"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods = 3
  metric_name = "QueueDepth"
  namespace = "Custom"
  period = 10
  statistic = "Maximum"
  threshold = 100
  tags = { "team" = "ml-research", "env" = "dev" }
}

resource "aws_cloudwatch_metric_alarm" "anomaly" {
  alarm_name = "anomaly"
  comparison_operator = "GreaterThanUpperThreshold"
  evaluation_periods = 2
  threshold_metric_id = "ad1"
  metric_query {
    id = "m1"
    return_data = true
    metric {
      metric_name = "CPUUtilization"
      namespace = "AWS/EC2"
      period = 300
      stat = "Average"
    }
  }
  metric_query {
    id = "ad1"
    return_data = true
    expression = "ANOMALY_DETECTION_BAND(m1, 2)"
    label = "band"
  }
  tags = { "team" = "ml-research", "env" = "dev" }
}
