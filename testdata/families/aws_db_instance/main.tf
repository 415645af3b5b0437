# aws_db_instance family fixture: PostgreSQL db.r6g.large + 100 GB gp2 in us-east-1,
# eu-west-1 and ap-south-1 (each priced from its own region's rows); a Multi-AZ MySQL with
# io1 IOPS; gp3 above the included baseline; PostgreSQL 12 in extended support; a read
# replica; an Oracle instance (unpriced: licence model). Regenerate plan.json with
#   CASES_DIR=testdata/families testdata/plans/generate.sh aws_db_instance

resource "aws_db_instance" "pg" {
  identifier          = "pg"
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.r6g.large"
  allocated_storage   = 100
  storage_type        = "gp2"
  username            = "app"
  password            = "not-a-real-password"
  skip_final_snapshot = true
}

resource "aws_db_instance" "pg_eu" {
  provider            = aws.eu
  identifier          = "pg-eu"
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.r6g.large"
  allocated_storage   = 100
  storage_type        = "gp2"
  username            = "app"
  password            = "not-a-real-password"
  skip_final_snapshot = true
}

resource "aws_db_instance" "pg_mumbai" {
  provider            = aws.mumbai
  identifier          = "pg-mumbai"
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.r6g.large"
  allocated_storage   = 100
  storage_type        = "gp2"
  username            = "app"
  password            = "not-a-real-password"
  skip_final_snapshot = true
}

resource "aws_db_instance" "mysql_multi_az" {
  identifier          = "mysql-ha"
  engine              = "mysql"
  engine_version      = "8.0.39"
  instance_class      = "db.m5.large"
  multi_az            = true
  allocated_storage   = 200
  storage_type        = "io1"
  iops                = 3000
  username            = "app"
  password            = "not-a-real-password"
  skip_final_snapshot = true
}

resource "aws_db_instance" "gp3_fast" {
  identifier          = "gp3-fast"
  engine              = "mariadb"
  instance_class      = "db.t3.medium"
  allocated_storage   = 50
  storage_type        = "gp3"
  iops                = 4000
  storage_throughput  = 200
  username            = "app"
  password            = "not-a-real-password"
  skip_final_snapshot = true
}

resource "aws_db_instance" "pg12_extended" {
  identifier          = "legacy"
  engine              = "postgres"
  engine_version      = "12.19"
  instance_class      = "db.m5.large"
  allocated_storage   = 20
  username            = "app"
  password            = "not-a-real-password"
  skip_final_snapshot = true
}

resource "aws_db_instance" "replica" {
  identifier          = "pg-replica"
  replicate_source_db = aws_db_instance.pg.identifier
  instance_class      = "db.r6g.large"
  skip_final_snapshot = true
}

resource "aws_db_instance" "oracle" {
  identifier          = "ora"
  engine              = "oracle-se2"
  instance_class      = "db.m5.large"
  license_model       = "license-included"
  allocated_storage   = 100
  username            = "app"
  password            = "not-a-real-password"
  skip_final_snapshot = true
}
