# databricks_instance_pool family fixture, written from the resources of the testdata plans
# (databricks); read in HCL mode.

provider "databricks" {}

resource "databricks_instance_pool" "t4" {
  instance_pool_name = "t4-pool"
  node_type_id = "g4dn.xlarge"
  min_idle_instances = 2
  max_capacity = 10
  idle_instance_autotermination_minutes = 15
  custom_tags = { "team" = "ml-research" }
}
