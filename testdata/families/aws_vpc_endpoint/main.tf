# aws_vpc_endpoint family fixture: an interface endpoint in two subnets (2 AZ-hours per hour)
# and a free S3 gateway endpoint. Regenerate plan.json with
#   CASES_DIR=testdata/families testdata/plans/generate.sh aws_vpc_endpoint

resource "aws_vpc_endpoint" "ecr_api" {
  vpc_id              = "vpc-00000001"
  service_name        = "com.amazonaws.us-east-1.ecr.api"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = ["subnet-00000001", "subnet-00000002"]
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-00000001"
  service_name = "com.amazonaws.us-east-1.s3"
}
