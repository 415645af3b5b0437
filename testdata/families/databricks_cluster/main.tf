# databricks_cluster family fixture, written from the resources of the testdata plans
# (databricks); read in HCL mode.

provider "databricks" {}

resource "databricks_cluster" "aws_gpu" {
  cluster_name = "aws-gpu"
  spark_version = "15.4.x-gpu-ml-scala2.12"
  node_type_id = "g5.xlarge"
  driver_node_type_id = "m5.xlarge"
  num_workers = 2
  autotermination_minutes = 30
  custom_tags = { "team" = "ml-research" }
}

resource "databricks_cluster" "azure_gpu" {
  cluster_name = "azure-gpu"
  spark_version = "15.4.x-gpu-ml-scala2.12"
  node_type_id = "Standard_NC6s_v3"
  autoscale {
    min_workers = 1
    max_workers = 4
  }
  autotermination_minutes = 0
  custom_tags = { "team" = "ml-research" }
}

resource "databricks_cluster" "gcp_gpu" {
  cluster_name = "gcp-gpu"
  spark_version = "15.4.x-gpu-ml-scala2.12"
  node_type_id = "a2-highgpu-1g"
  driver_node_type_id = "a2-highgpu-1g"
  num_workers = 1
  autotermination_minutes = 60
  gcp_attributes {
    availability = "PREEMPTIBLE_WITH_FALLBACK_GCP"
  }
  custom_tags = { "team" = "ml-research" }
}

resource "databricks_cluster" "mystery" {
  cluster_name = "mystery"
  spark_version = "15.4.x-scala2.12"
  node_type_id = "weird"
  num_workers = 1
  autotermination_minutes = 60
}
