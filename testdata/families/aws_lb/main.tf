# aws_lb family fixture: an ALB in us-east-1, eu-west-1 and ap-south-1 (own rows), an NLB, a
# gateway load balancer, an aws_alb alias and a classic aws_elb. Capacity units come from
# usage (none given here: the lines say so). Regenerate plan.json with
#   CASES_DIR=testdata/families testdata/plans/generate.sh aws_lb

resource "aws_lb" "alb" {
  name               = "web"
  load_balancer_type = "application"
  subnets            = ["subnet-00000001", "subnet-00000002"]
}

resource "aws_lb" "alb_eu" {
  provider           = aws.eu
  name               = "web-eu"
  load_balancer_type = "application"
  subnets            = ["subnet-00000001", "subnet-00000002"]
}

resource "aws_lb" "alb_mumbai" {
  provider           = aws.mumbai
  name               = "web-mumbai"
  load_balancer_type = "application"
  subnets            = ["subnet-00000001", "subnet-00000002"]
}

resource "aws_lb" "nlb" {
  name               = "tcp"
  load_balancer_type = "network"
  subnets            = ["subnet-00000001"]
}

resource "aws_lb" "gwlb" {
  name               = "inspect"
  load_balancer_type = "gateway"
  subnets            = ["subnet-00000001"]
}

resource "aws_alb" "legacy_name" {
  name    = "legacy"
  subnets = ["subnet-00000001", "subnet-00000002"]
}

resource "aws_elb" "classic" {
  name               = "classic"
  availability_zones = ["us-east-1a"]
  listener {
    instance_port     = 80
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }
}
