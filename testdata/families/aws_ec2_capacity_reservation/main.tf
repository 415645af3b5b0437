# aws_ec2_capacity_reservation family fixture: On-Demand Capacity Reservations (one idle,
# one an instance launches into) and EC2 Capacity Blocks for ML (one new, whose type and
# dates come from its offering; one that exists in terraform.tfstate: 1 × p5.48xlarge for
# 7 days). Regenerate plan.json with
#   CASES_DIR=testdata/families testdata/plans/generate.sh aws_ec2_capacity_reservation

resource "aws_ec2_capacity_reservation" "h100" {
  instance_type     = "p5.48xlarge"
  instance_platform = "Linux/UNIX"
  availability_zone = "us-east-2a"
  instance_count    = 2
}

resource "aws_ec2_capacity_reservation" "inference" {
  instance_type           = "g5.xlarge"
  instance_platform       = "Linux/UNIX"
  availability_zone       = "us-east-2b"
  instance_count          = 1
  instance_match_criteria = "targeted"
  end_date_type           = "limited"
  end_date                = "2027-03-01T00:00:00Z"
}

resource "aws_instance" "inference" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "g5.xlarge"
  capacity_reservation_specification {
    capacity_reservation_target {
      capacity_reservation_id = aws_ec2_capacity_reservation.inference.id
    }
  }
}

resource "aws_ec2_capacity_block_reservation" "next_run" {
  capacity_block_offering_id = "cb-0123456789abcdef0"
  instance_platform          = "Linux/UNIX"
}

resource "aws_ec2_capacity_block_reservation" "week" {
  capacity_block_offering_id = "cb-0fedcba9876543210"
  instance_platform          = "Linux/UNIX"
}
