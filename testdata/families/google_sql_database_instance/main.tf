# google_sql_database_instance family fixture (HCL mode), written for costgate from spec.json; plan.json beside it is made from the same spec by testdata/handmade_plan.py and must price the same.

provider "google" {
  region = "us-central1"
}

resource "google_sql_database_instance" "pg" {
  name = "pg-main"
  region = "us-central1"
  database_version = "POSTGRES_16"
  settings {
    tier = "db-custom-4-16384"
    edition = "ENTERPRISE"
    availability_type = "ZONAL"
    disk_size = 100
    disk_type = "PD_SSD"
  }
}

resource "google_sql_database_instance" "ha" {
  name = "mysql-ha"
  region = "us-central1"
  database_version = "MYSQL_8_0"
  settings {
    tier = "db-n1-standard-2"
    edition = "ENTERPRISE"
    availability_type = "REGIONAL"
    disk_size = 50
    disk_type = "PD_SSD"
  }
}

resource "google_sql_database_instance" "micro" {
  name = "dev"
  region = "us-central1"
  database_version = "POSTGRES_16"
  settings {
    tier = "db-f1-micro"
    edition = "ENTERPRISE"
    availability_type = "ZONAL"
    disk_size = 10
    disk_type = "PD_HDD"
  }
}

resource "google_sql_database_instance" "eu" {
  name = "pg-eu"
  region = "europe-west4"
  database_version = "POSTGRES_16"
  settings {
    tier = "db-custom-2-8192"
    edition = "ENTERPRISE"
    availability_type = "ZONAL"
    disk_size = 20
    disk_type = "PD_SSD"
  }
}

resource "google_sql_database_instance" "plus" {
  name = "pg-plus"
  region = "us-central1"
  database_version = "POSTGRES_16"
  settings {
    tier = "db-perf-optimized-N-8"
    edition = "ENTERPRISE_PLUS"
    availability_type = "ZONAL"
    disk_size = 100
    disk_type = "PD_SSD"
  }
}

resource "google_sql_database_instance" "mssql" {
  name = "mssql"
  region = "us-central1"
  database_version = "SQLSERVER_2022_STANDARD"
  settings {
    tier = "db-custom-2-8192"
    edition = "ENTERPRISE"
    availability_type = "ZONAL"
    disk_type = "PD_SSD"
  }
}

resource "google_sql_database_instance" "archive" {
  name = "pg-archive"
  region = "us-central1"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-custom-1-3840"
    edition = "ENTERPRISE"
    availability_type = "ZONAL"
    disk_size = 500
    disk_type = "PD_HDD"
  }
}
