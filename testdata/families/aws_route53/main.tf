# aws_route53 family fixture: a public hosted zone (one global rate; queries from usage), a
# zone planned through the eu-west-1 provider (same rate), an HTTPS health check with string
# matching and latency measurement, and a calculated health check.
# Regenerate plan.json with
#   CASES_DIR=testdata/families testdata/plans/generate.sh aws_route53

resource "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_route53_zone" "eu" {
  provider = aws.eu
  name     = "example.eu"
}

resource "aws_route53_health_check" "site" {
  fqdn              = "www.example.com"
  port              = 443
  type              = "HTTPS_STR_MATCH"
  resource_path     = "/health"
  search_string     = "ok"
  failure_threshold = 3
  request_interval  = 30
  measure_latency   = true
}

resource "aws_route53_health_check" "calculated" {
  type                   = "CALCULATED"
  child_health_threshold = 1
  child_healthchecks     = [aws_route53_health_check.site.id]
}
