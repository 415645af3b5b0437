//! Types that cost nothing by themselves (IAM, networking glue, configuration objects) or whose
//! cost is counted on another resource. Anything neither here nor in a family is reported as
//! unpriced ("not supported"), never as $0.
//!
//! Prefixes are only used for families whose every member is free; a prefix that would also
//! catch a billed type lists that type in [`NOT_FREE`] (or is replaced by exact names), so a
//! billed type is reported unpriced with its reason instead of free.

/// Types under a free prefix that cost money and are not priced yet: why they are unpriced.
pub const NOT_FREE: &[(&str, &str)] = &[
    (
        "aws_s3_bucket_metric",
        "S3 request metrics are billed as CloudWatch custom metrics; not modelled",
    ),
    (
        "aws_s3_bucket_analytics_configuration",
        "S3 Storage Class Analysis is billed per million objects monitored; not modelled",
    ),
    (
        "aws_s3_bucket_inventory",
        "S3 Inventory is billed per million objects listed; not modelled",
    ),
    (
        "aws_s3_bucket_replication_configuration",
        "replication is billed per GB replicated (transfer, requests, RTC); not modelled",
    ),
    (
        "aws_s3_bucket_accelerate_configuration",
        "Transfer Acceleration is billed per GB accelerated; not modelled",
    ),
    (
        "aws_route53_zone",
        "hosted zones are billed per zone-month plus queries; not modelled",
    ),
    (
        "aws_route53_resolver_endpoint",
        "resolver endpoints are billed per IP address (ENI) hour; not modelled",
    ),
    (
        "aws_route53_health_check",
        "health checks are billed per check-month; not modelled",
    ),
    (
        "azurerm_virtual_network_gateway",
        "VPN/ExpressRoute gateways are billed per gateway-hour; not modelled",
    ),
    (
        "azurerm_virtual_network_peering",
        "peering is billed per GB in and out; not modelled",
    ),
    (
        "databricks_sql_endpoint",
        "SQL warehouses bill DBUs (and VMs for classic warehouses) while running; not modelled",
    ),
    (
        "databricks_model_serving",
        "model serving endpoints bill DBUs (GPU sizes included) while serving; not modelled",
    ),
    (
        "databricks_job",
        "job clusters bill VMs and DBUs while the job runs; not modelled",
    ),
    (
        "databricks_pipeline",
        "pipeline (DLT) clusters bill VMs and DBUs while updating; not modelled",
    ),
    (
        "databricks_vector_search_endpoint",
        "vector search endpoints bill DBUs per hour; not modelled",
    ),
];

/// Why a type is known to cost money although a free prefix would match it.
pub fn not_free_reason(rtype: &str) -> Option<&'static str> {
    NOT_FREE.iter().find(|(t, _)| *t == rtype).map(|(_, r)| *r)
}

/// Why a type is free, or `None` when it is not known to be free.
pub fn reason(rtype: &str) -> Option<&'static str> {
    if not_free_reason(rtype).is_some() {
        return None;
    }
    const FREE_PREFIXES: &[(&str, &str)] = &[
        ("aws_iam_", "IAM objects are free"),
        (
            "aws_s3_bucket_",
            "bucket configuration; storage is priced on aws_s3_bucket",
        ),
        ("aws_security_group", "security groups are free"),
        ("aws_vpc_security_group_", "security group rules are free"),
        ("aws_subnet", "subnets are free"),
        ("aws_network_acl", "network ACLs are free"),
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
        ("databricks_secret", "secrets and scopes are free"),
        ("databricks_group", "identities are free"),
        ("databricks_user", "identities are free"),
        ("databricks_service_principal", "identities are free"),
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
            "aws_scheduler_schedule",
            "schedules are free; invocations beyond the account's 14 million a month are usage-based",
        ),
        ("aws_route", "routes are free"),
        ("aws_route_table", "route tables are free"),
        ("aws_route_table_association", "route table associations are free"),
        (
            "aws_main_route_table_association",
            "route table associations are free",
        ),
        ("azurerm_virtual_network", "virtual networks are free"),
        (
            "azurerm_virtual_network_dns_servers",
            "DNS server settings are free",
        ),
        ("databricks_notebook", "workspace objects are free"),
        ("databricks_repo", "workspace objects are free"),
        ("databricks_directory", "workspace objects are free"),
        ("databricks_workspace_file", "workspace objects are free"),
        ("databricks_workspace_conf", "workspace settings are free"),
        ("databricks_global_init_script", "init scripts are free"),
        ("databricks_cluster_policy", "cluster policies are free"),
        (
            "databricks_library",
            "libraries are free; the cluster they install on is priced",
        ),
        ("databricks_permissions", "permissions are free"),
        ("databricks_grants", "Unity Catalog grants are free"),
        ("databricks_grant", "Unity Catalog grants are free"),
        ("databricks_catalog", "Unity Catalog objects are free"),
        ("databricks_schema", "Unity Catalog objects are free"),
        (
            "databricks_external_location",
            "Unity Catalog objects are free",
        ),
        (
            "databricks_storage_credential",
            "Unity Catalog objects are free",
        ),
        ("databricks_instance_profile", "instance profiles are free"),
        ("databricks_token", "tokens are free"),
        ("databricks_git_credential", "credentials are free"),
        ("databricks_ip_access_list", "access lists are free"),
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

    #[test]
    fn billed_types_are_never_free() {
        // Under a free prefix but billed: not free, and the reason says why.
        for t in [
            "aws_s3_bucket_inventory",
            "aws_s3_bucket_metric",
            "aws_s3_bucket_replication_configuration",
            "databricks_sql_endpoint",
            "databricks_model_serving",
        ] {
            assert!(super::reason(t).is_none(), "{t} must not be free");
            assert!(super::not_free_reason(t).is_some(), "{t} needs a reason");
        }
        // Prefixes narrowed to exact names: their billed neighbours fall out.
        for t in [
            "aws_route53_zone",
            "aws_route53_resolver_endpoint",
            "azurerm_virtual_network_gateway",
            "databricks_job",
            "databricks_mws_workspaces",
        ] {
            assert!(super::reason(t).is_none(), "{t} must not be free");
        }
        for t in [
            "aws_route_table",
            "aws_s3_bucket_policy",
            "azurerm_virtual_network",
            "databricks_notebook",
            "databricks_secret_scope",
        ] {
            assert!(super::reason(t).is_some(), "{t} is free");
        }
    }

    #[test]
    fn priced_families_are_not_listed_free() {
        // These are priced by families now; the free list must not claim them.
        for t in [
            "aws_eks_cluster",
            "aws_eip",
            "aws_cloudwatch_metric_alarm",
            "aws_cloudwatch_log_group",
            "aws_ssm_parameter",
            "google_container_cluster",
        ] {
            assert!(super::reason(t).is_none(), "{t} listed as free");
            assert!(
                matches!(
                    crate::resources::handling(t),
                    Some(crate::resources::Handling::Priced(_))
                ),
                "{t} should be priced"
            );
        }
    }
}
