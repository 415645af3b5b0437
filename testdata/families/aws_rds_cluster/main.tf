# aws_rds_cluster family fixture: an Aurora PostgreSQL Standard cluster with two
# db.r6g.large instances, an I/O-Optimized Aurora MySQL cluster (instances +30 %), an Aurora
# Serverless v2 cluster (min 0.5 ACU) with a db.serverless instance, and a Multi-AZ DB cluster.
# Regenerate plan.json with
#   CASES_DIR=testdata/families testdata/plans/generate.sh aws_rds_cluster

resource "aws_rds_cluster" "pg" {
  cluster_identifier  = "pg"
  engine              = "aurora-postgresql"
  engine_version      = "16.4"
  master_username     = "app"
  master_password     = "not-a-real-password"
  skip_final_snapshot = true
}

resource "aws_rds_cluster_instance" "pg" {
  count              = 2
  identifier         = "pg-${count.index}"
  cluster_identifier = aws_rds_cluster.pg.id
  engine             = aws_rds_cluster.pg.engine
  instance_class     = "db.r6g.large"
}

resource "aws_rds_cluster" "iopt" {
  cluster_identifier  = "iopt"
  engine              = "aurora-mysql"
  storage_type        = "aurora-iopt1"
  master_username     = "app"
  master_password     = "not-a-real-password"
  skip_final_snapshot = true
}

resource "aws_rds_cluster_instance" "iopt" {
  identifier         = "iopt-0"
  cluster_identifier = aws_rds_cluster.iopt.id
  engine             = "aurora-mysql"
  instance_class     = "db.r6g.large"
}

resource "aws_rds_cluster" "serverless" {
  cluster_identifier  = "sls"
  engine              = "aurora-postgresql"
  engine_mode         = "provisioned"
  master_username     = "app"
  master_password     = "not-a-real-password"
  skip_final_snapshot = true

  serverlessv2_scaling_configuration {
    min_capacity = 0.5
    max_capacity = 8
  }
}

resource "aws_rds_cluster_instance" "serverless" {
  identifier         = "sls-0"
  cluster_identifier = aws_rds_cluster.serverless.id
  engine             = "aurora-postgresql"
  instance_class     = "db.serverless"
}

resource "aws_rds_cluster" "multi_az" {
  cluster_identifier        = "maz"
  engine                    = "postgres"
  db_cluster_instance_class = "db.r6gd.large"
  storage_type              = "io1"
  allocated_storage         = 100
  iops                      = 1000
  master_username           = "app"
  master_password           = "not-a-real-password"
  skip_final_snapshot       = true
}
