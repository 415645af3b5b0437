# aws_s3_bucket_reports family fixture: a daily and a weekly S3 Inventory and a Storage Class
# Analysis configuration (object counts are usage: none given here, the lines say so).
# Regenerate plan.json with
#   CASES_DIR=testdata/families testdata/plans/generate.sh aws_s3_bucket_reports

resource "aws_s3_bucket" "data" {
  bucket = "costgate-fixture-data"
}

resource "aws_s3_bucket_inventory" "daily" {
  bucket                   = aws_s3_bucket.data.id
  name                     = "daily"
  included_object_versions = "Current"
  schedule {
    frequency = "Daily"
  }
  destination {
    bucket {
      format     = "CSV"
      bucket_arn = "arn:aws:s3:::costgate-fixture-reports"
    }
  }
}

resource "aws_s3_bucket_inventory" "weekly" {
  bucket                   = aws_s3_bucket.data.id
  name                     = "weekly"
  included_object_versions = "All"
  schedule {
    frequency = "Weekly"
  }
  destination {
    bucket {
      format     = "Parquet"
      bucket_arn = "arn:aws:s3:::costgate-fixture-reports"
    }
  }
}

resource "aws_s3_bucket_analytics_configuration" "all" {
  bucket = aws_s3_bucket.data.id
  name   = "all"
}
