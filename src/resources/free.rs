//! Types that cost nothing by themselves (IAM, networking glue, configuration objects) or whose
//! cost is counted on another resource. Anything neither here nor in a family is reported as
//! unpriced ("not supported"), never as $0.

/// Why a type is free, or `None` when it is not known to be free.
pub fn reason(rtype: &str) -> Option<&'static str> {
    const FREE_PREFIXES: &[(&str, &str)] = &[
        ("aws_iam_", "IAM objects are free"),
        (
            "aws_s3_bucket_",
            "bucket configuration; storage is priced on aws_s3_bucket",
        ),
        ("aws_security_group", "security groups are free"),
        ("aws_vpc_security_group_", "security group rules are free"),
        ("aws_route", "routing objects are free"),
        ("aws_subnet", "subnets are free"),
        ("aws_network_acl", "network ACLs are free"),
        ("aws_ssm_parameter", "standard SSM parameters are free"),
        (
            "aws_cloudwatch_log_group",
            "log ingestion is usage-based and not modelled",
        ),
        (
            "aws_sagemaker_notebook_instance_lifecycle_configuration",
            "lifecycle scripts are free",
        ),
        (
            "aws_sagemaker_studio_lifecycle_config",
            "lifecycle scripts are free",
        ),
        (
            "aws_sagemaker_user_profile",
            "user profiles are free; apps are priced when they run",
        ),
        ("google_project_iam", "IAM bindings are free"),
        ("google_service_account", "service accounts are free"),
        ("google_compute_network", "VPC networks are free"),
        ("google_compute_subnetwork", "subnets are free"),
        ("google_compute_firewall", "firewall rules are free"),
        (
            "google_storage_bucket_",
            "bucket configuration; storage is priced on google_storage_bucket",
        ),
        ("azurerm_resource_group", "resource groups are free"),
        ("azurerm_virtual_network", "virtual networks are free"),
        ("azurerm_subnet", "subnets are free"),
        (
            "azurerm_network_security_",
            "network security groups are free",
        ),
        ("azurerm_network_interface", "network interfaces are free"),
        ("azurerm_role_assignment", "role assignments are free"),
        (
            "azurerm_storage_container",
            "containers are priced on the storage account",
        ),
        (
            "azurerm_virtual_machine_data_disk_attachment",
            "attachments are free; the disk is priced",
        ),
        (
            "databricks_",
            "Databricks workspace objects are free; clusters are priced",
        ),
        ("random_", "local helper"),
        ("null_resource", "local helper"),
        ("terraform_data", "local helper"),
        ("time_", "local helper"),
        ("tls_", "local helper"),
        ("local_", "local helper"),
    ];
    const FREE_EXACT: &[(&str, &str)] = &[
        (
            "aws_launch_template",
            "a template: priced on the instances, groups and node groups that use it",
        ),
        (
            "aws_launch_configuration",
            "a template: priced on the autoscaling groups that use it",
        ),
        (
            "aws_sagemaker_endpoint",
            "priced on its aws_sagemaker_endpoint_configuration",
        ),
        (
            "aws_sagemaker_model",
            "models are free; hosting is priced on the endpoint configuration",
        ),
        (
            "aws_eks_cluster",
            "control plane not modelled yet (0.10/h); node groups are priced",
        ),
        (
            "aws_eip",
            "an attached Elastic IP's public IPv4 hours are not modelled",
        ),
        ("aws_vpc", "VPCs are free"),
        (
            "aws_internet_gateway",
            "internet gateways are free; egress is usage-based",
        ),
        (
            "aws_volume_attachment",
            "attachments are free; the volume is priced",
        ),
        ("aws_key_pair", "key pairs are free"),
        ("aws_autoscaling_schedule", "schedules are free"),
        (
            "aws_cloudwatch_metric_alarm",
            "standard alarms are not modelled (0.10/month)",
        ),
        ("aws_scheduler_schedule", "schedules are free"),
        (
            "google_compute_instance_template",
            "a template: priced on the groups that use it",
        ),
        (
            "google_compute_region_instance_template",
            "a template: priced on the groups that use it",
        ),
        (
            "google_compute_resource_policy",
            "schedule policies are free",
        ),
        (
            "google_container_cluster",
            "cluster management fee not modelled; node pools are priced",
        ),
        (
            "google_compute_autoscaler",
            "autoscaling policy: read by the instance group it targets",
        ),
        (
            "google_compute_region_autoscaler",
            "autoscaling policy: read by the instance group it targets",
        ),
        (
            "azurerm_monitor_autoscale_setting",
            "autoscale settings are free; read by the scale set they target",
        ),
        (
            "azurerm_machine_learning_workspace",
            "the workspace is free; computes are priced",
        ),
        (
            "azurerm_dev_test_global_vm_shutdown_schedule",
            "schedules are free",
        ),
    ];
    FREE_EXACT
        .iter()
        .find(|(t, _)| *t == rtype)
        .or_else(|| FREE_PREFIXES.iter().find(|(p, _)| rtype.starts_with(p)))
        .map(|(_, r)| *r)
}

#[cfg(test)]
mod tests {
    #[test]
    fn free_and_unknown() {
        assert!(super::reason("aws_iam_role").is_some());
        assert!(super::reason("aws_s3_bucket").is_none());
        assert!(super::reason("aws_rds_cluster").is_none());
    }
}
