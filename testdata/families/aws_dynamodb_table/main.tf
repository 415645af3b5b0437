# aws_dynamodb_table family fixture: a provisioned table with a GSI (capacities add up), and an
# on-demand table (requests from usage). Regenerate plan.json with
#   CASES_DIR=testdata/families testdata/plans/generate.sh aws_dynamodb_table

resource "aws_dynamodb_table" "orders" {
  name           = "orders"
  billing_mode   = "PROVISIONED"
  read_capacity  = 10
  write_capacity = 5
  hash_key       = "id"

  attribute {
    name = "id"
    type = "S"
  }
  attribute {
    name = "customer"
    type = "S"
  }

  global_secondary_index {
    name            = "by-customer"
    hash_key        = "customer"
    read_capacity   = 5
    write_capacity  = 5
    projection_type = "ALL"
  }
}

resource "aws_dynamodb_table" "events" {
  name         = "events"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}
