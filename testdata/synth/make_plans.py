#!/usr/bin/env python3
"""Write hand-made plans in the `terraform show -json` format (format_version 1.2) for providers
terraform cannot run offline here (google, azurerm, databricks). Run from the repo root:

    python3 testdata/synth/make_plans.py

Each plan has resource_changes (actions, before/after, after_unknown, after_sensitive) and a
configuration section with provider_config and per-attribute expressions (constant_value, or
references for links that are unknown until apply). Tests read the committed JSON; this script
is only needed to change the fixtures."""

import json
import os

PROVIDERS = {
    "google": "registry.terraform.io/hashicorp/google",
    "azurerm": "registry.terraform.io/hashicorp/azurerm",
    "databricks": "registry.terraform.io/databricks/databricks",
    "aws": "registry.terraform.io/hashicorp/aws",
}


def provider_of(rtype):
    p = rtype.split("_")[0]
    return "google" if p == "google" else p


def exprs_of(value):
    """Configuration expressions for a block value: constants, nested blocks as lists."""
    out = {}
    for k, v in value.items():
        if v is None:
            continue
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            out[k] = [exprs_of(x) for x in v]
        else:
            out[k] = {"constant_value": v}
    return out


def set_ref(exprs, path, refs):
    parts = path.split(".")
    cur = exprs
    for i, p in enumerate(parts[:-1]):
        nxt = parts[i + 1]
        if p.isdigit():
            cur = cur[int(p)]
        else:
            cur = cur.setdefault(p, [] if nxt.isdigit() else {})
            if isinstance(cur, list) and not cur:
                cur.append({})
    cur[parts[-1]] = {"references": refs}


def res(address, after, unknown=None, refs=None, actions=("create",), before=None, sensitive=None):
    rtype, name = address.split(".")[:2]
    return {
        "address": address,
        "type": rtype,
        "name": name,
        "after": after,
        "unknown": unknown or {},
        "refs": refs or {},
        "actions": list(actions),
        "before": before,
        "sensitive": sensitive or {},
    }


def plan(resources, provider_config):
    changes, conf = [], []
    for r in resources:
        prov = provider_of(r["type"])
        changes.append({
            "address": r["address"],
            "mode": "managed",
            "type": r["type"],
            "name": r["name"],
            "provider_name": PROVIDERS[prov],
            "change": {
                "actions": r["actions"],
                "before": r["before"],
                "after": r["after"],
                "after_unknown": r["unknown"],
                "before_sensitive": False if r["before"] is None else {},
                "after_sensitive": r["sensitive"],
            },
        })
        ex = exprs_of({k: v for k, v in r["after"].items() if k not in r["unknown"]})
        for path, targets in r["refs"].items():
            set_ref(ex, path, targets)
        conf.append({
            "address": r["address"],
            "mode": "managed",
            "type": r["type"],
            "name": r["name"],
            "provider_config_key": prov,
            "expressions": ex,
            "schema_version": 0,
        })
    pc = {}
    for key, region in provider_config.items():
        e = {}
        if region:
            e["region" if key in ("google", "aws") else "location"] = {"constant_value": region}
        pc[key] = {"name": key, "full_name": PROVIDERS[key], "expressions": e}
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": {"root_module": {}},
        "resource_changes": changes,
        "configuration": {"provider_config": pc, "root_module": {"resources": conf}},
        "timestamp": "2026-11-26T10:00:00Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    }


LABELS = {"team": "ml-research", "env": "dev"}


def gcp_resources():
    return [
        # 1 × A100 40GB bundled in a2-highgpu-1g; guest_accelerator unknown (O+C) at create.
        res("google_compute_instance.a2_trainer", {
            "name": "a2-trainer", "machine_type": "a2-highgpu-1g", "zone": "us-central1-a",
            "boot_disk": [{"auto_delete": True, "initialize_params": [{"size": 200, "type": "pd-balanced", "image": "debian-cloud/debian-12"}]}],
            "scheduling": [{"on_host_maintenance": "TERMINATE", "preemptible": False, "provisioning_model": "STANDARD", "automatic_restart": True}],
            "labels": LABELS, "terraform_labels": LABELS, "desired_status": None,
            "network_interface": [{"network": "default"}],
        }, unknown={"guest_accelerator": True, "id": True, "self_link": True, "instance_id": True}),
        # N1 + 2 × T4 on Spot.
        res("google_compute_instance.t4_spot", {
            "name": "t4-spot", "machine_type": "n1-standard-8", "zone": "us-central1-b",
            "guest_accelerator": [{"type": "nvidia-tesla-t4", "count": 2}],
            "boot_disk": [{"initialize_params": [{"size": 50, "type": "pd-ssd"}]}],
            "scheduling": [{"preemptible": True, "provisioning_model": "SPOT", "automatic_restart": False, "on_host_maintenance": "TERMINATE", "instance_termination_action": "STOP"}],
            "labels": LABELS, "terraform_labels": LABELS,
            "network_interface": [{"network": "default"}],
        }, unknown={"id": True}),
        res("google_compute_instance.mystery", {
            "name": "mystery", "machine_type": "n9-mega-4", "zone": "us-central1-a",
            "boot_disk": [{"initialize_params": [{"size": 20, "type": "pd-standard"}]}],
            "labels": LABELS, "terraform_labels": LABELS,
        }),
        # GKE pool: per-zone counts × 2 node_locations, N1 + V100, scales to zero.
        res("google_container_node_pool.v100", {
            "name": "v100", "cluster": "ml-cluster", "location": "us-central1",
            "node_locations": ["us-central1-a", "us-central1-b"], "node_count": 2,
            "autoscaling": [{"min_node_count": 0, "max_node_count": 4, "total_min_node_count": None, "total_max_node_count": None, "location_policy": "BALANCED"}],
            "node_config": [{"machine_type": "n1-standard-4", "disk_size_gb": 100, "disk_type": "pd-standard",
                             "guest_accelerator": [{"type": "nvidia-tesla-v100", "count": 1, "gpu_partition_size": None}],
                             "spot": False, "preemptible": False, "resource_labels": LABELS}],
        }),
        # GKE Spot L4 pool with total_* limits; node_count unknown → priced at the total minimum.
        res("google_container_node_pool.l4_spot", {
            "name": "l4-spot", "cluster": "ml-cluster", "location": "us-central1-a",
            "autoscaling": [{"total_min_node_count": 1, "total_max_node_count": 3, "min_node_count": None, "max_node_count": None}],
            "node_config": [{"machine_type": "g2-standard-8", "spot": True, "resource_labels": LABELS}],
        }, unknown={"node_count": True, "node_locations": True, "node_config": [{"disk_size_gb": True, "disk_type": True, "guest_accelerator": True}]}),
        # Workbench: T4 attached, idle shutdown left at the default.
        res("google_workbench_instance.notebook", {
            "name": "notebook", "location": "us-central1-a",
            "gce_setup": [{"machine_type": "n1-standard-8",
                           "accelerator_configs": [{"type": "NVIDIA_TESLA_T4", "core_count": "1"}],
                           "boot_disk": [{"disk_size_gb": "150", "disk_type": "PD_BALANCED"}],
                           "data_disks": [{"disk_size_gb": "200", "disk_type": "PD_SSD"}],
                           "metadata": {"install-nvidia-driver": "true"}}],
            "labels": LABELS,
        }),
        # Workbench with idle shutdown disabled.
        res("google_workbench_instance.always_on", {
            "name": "always-on", "location": "us-central1-a",
            "gce_setup": [{"machine_type": "n1-standard-4", "metadata": {"idle-timeout-seconds": "0"}}],
            "labels": LABELS,
        }),
        res("google_compute_disk.scratch", {"name": "scratch", "type": "pd-ssd", "size": 500, "zone": "us-central1-a", "labels": LABELS}),
        res("google_compute_disk.hyper", {"name": "hyper", "type": "hyperdisk-balanced", "size": 100, "zone": "us-central1-a", "labels": LABELS}),
        res("google_storage_bucket.datasets", {"name": "acme-datasets", "location": "US-CENTRAL1", "storage_class": "STANDARD", "labels": LABELS}),
        # Instance template (free) + MIG of 2 running it.
        res("google_compute_instance_template.l4", {
            "name_prefix": "l4-", "machine_type": "g2-standard-4", "region": "us-central1",
            "disk": [{"boot": True, "disk_size_gb": 100, "disk_type": "pd-balanced", "source_image": "debian-cloud/debian-12"}],
            "scheduling": [{"preemptible": False, "provisioning_model": "STANDARD"}],
            "labels": LABELS,
        }, unknown={"self_link": True, "id": True, "name": True}),
        res("google_compute_instance_group_manager.l4", {
            "name": "l4-mig", "zone": "us-central1-a", "base_instance_name": "l4", "target_size": 2,
            "version": [{"name": "primary"}],
        }, unknown={"version": [{"instance_template": True}]},
            refs={"version.0.instance_template": ["google_compute_instance_template.l4.self_link", "google_compute_instance_template.l4"]}),
        # GKE clusters (appended: the multi-cloud example picks earlier entries by index).
        # The pools above live in this regional cluster; its default pool is removed.
        res("google_container_cluster.ml", {
            "name": "ml-cluster", "location": "us-central1",
            "node_locations": ["us-central1-a", "us-central1-b"],
            "remove_default_node_pool": True, "initial_node_count": 1, "enable_autopilot": None,
            "resource_labels": LABELS, "terraform_labels": LABELS,
        }, unknown={"node_pool": True, "node_config": True, "id": True, "endpoint": True}),
        # Zonal cluster with one extra zone and its default pool (machine type left to GKE).
        res("google_container_cluster.dev_default", {
            "name": "dev-default", "location": "us-central1-a", "node_locations": ["us-central1-b"],
            "initial_node_count": 2, "remove_default_node_pool": None,
            "node_config": [{"disk_size_gb": 50, "disk_type": "pd-standard", "resource_labels": LABELS}],
            "resource_labels": LABELS, "terraform_labels": LABELS,
        }, unknown={"node_pool": True, "node_config": [{"machine_type": True}], "id": True}),
        # Inline node pools: a CPU pool and a T4 pool that can scale to zero.
        res("google_container_cluster.gpu_inline", {
            "name": "gpu-inline", "location": "us-central1-b",
            "node_pool": [
                {"name": "cpu", "node_count": 1, "initial_node_count": 1,
                 "node_config": [{"machine_type": "n1-standard-4", "disk_size_gb": 100, "disk_type": "pd-balanced"}]},
                {"name": "t4", "node_count": 2, "initial_node_count": 2, "node_locations": ["us-central1-b"],
                 "autoscaling": [{"min_node_count": 0, "max_node_count": 4, "total_min_node_count": None, "total_max_node_count": None}],
                 "node_config": [{"machine_type": "n1-standard-8", "disk_size_gb": 100, "disk_type": "pd-balanced",
                                  "guest_accelerator": [{"type": "nvidia-tesla-t4", "count": 1, "gpu_partition_size": None}]}]},
            ],
            "resource_labels": LABELS, "terraform_labels": LABELS,
        }, unknown={"id": True}),
        res("google_container_cluster.autopilot", {
            "name": "ap", "location": "us-central1", "enable_autopilot": True,
            "resource_labels": LABELS, "terraform_labels": LABELS,
        }, unknown={"node_pool": True, "node_config": True, "id": True}),
        # An existing cluster (label update): its state lists every pool, including "batch",
        # which its own google_container_node_pool resource manages.
        res("google_container_cluster.legacy", LEGACY_CLUSTER_AFTER, actions=("update",),
            before=LEGACY_CLUSTER_BEFORE),
        res("google_container_node_pool.batch", LEGACY_BATCH_POOL, actions=("no-op",),
            before=LEGACY_BATCH_POOL),
    ]


LEGACY_BATCH_POOL = {
    "name": "batch", "cluster": "legacy", "location": "us-central1-c", "node_count": 3,
    "initial_node_count": 3, "node_locations": ["us-central1-c"],
    "node_config": [{"machine_type": "n1-standard-8", "disk_size_gb": 100, "disk_type": "pd-standard"}],
}
LEGACY_CLUSTER_BEFORE = {
    "name": "legacy", "id": "projects/p/locations/us-central1-c/clusters/legacy",
    "location": "us-central1-c", "node_locations": [], "initial_node_count": 1,
    "remove_default_node_pool": None,
    "node_pool": [
        {"name": "batch", "node_count": 3, "initial_node_count": 3, "node_locations": ["us-central1-c"],
         "node_config": [{"machine_type": "n1-standard-8", "disk_size_gb": 100, "disk_type": "pd-standard"}]},
        {"name": "default-pool", "node_count": 1, "initial_node_count": 1, "node_locations": ["us-central1-c"],
         "node_config": [{"machine_type": "e2-standard-4", "disk_size_gb": 100, "disk_type": "pd-standard"}]},
    ],
    "resource_labels": {"team": "ml-research"}, "terraform_labels": {"team": "ml-research"},
}
LEGACY_CLUSTER_AFTER = {**LEGACY_CLUSTER_BEFORE, "resource_labels": LABELS, "terraform_labels": LABELS}


def azure_resources():
    tags = {"team": "ml-research", "env": "dev"}
    return [
        res("azurerm_linux_virtual_machine.a100", {
            "name": "a100", "location": "eastus", "size": "Standard_NC24ads_A100_v4", "priority": "Regular",
            "os_disk": [{"caching": "ReadWrite", "storage_account_type": "Premium_LRS", "disk_size_gb": 128}], "tags": tags,
        }),
        res("azurerm_linux_virtual_machine.a100_spot", {
            "name": "a100-spot", "location": "eastus", "size": "Standard_NC24ads_A100_v4", "priority": "Spot",
            "eviction_policy": "Deallocate", "max_bid_price": -1,
            "os_disk": [{"caching": "ReadWrite", "storage_account_type": "Premium_LRS"}], "tags": tags,
        }, unknown={"os_disk": [{"disk_size_gb": True}]}),
        res("azurerm_windows_virtual_machine.t4", {
            "name": "t4win", "location": "East US", "size": "Standard_NC4as_T4_v3", "priority": "Regular",
            "os_disk": [{"caching": "ReadWrite", "storage_account_type": "StandardSSD_LRS", "disk_size_gb": 127}], "tags": tags,
        }),
        res("azurerm_linux_virtual_machine.mystery", {
            "name": "mystery", "location": "eastus", "size": "Standard_NX99_v9",
            "os_disk": [{"storage_account_type": "Standard_LRS", "disk_size_gb": 30}], "tags": tags,
        }),
        res("azurerm_linux_virtual_machine_scale_set.h100", {
            "name": "h100", "location": "eastus", "sku": "Standard_ND96isr_H100_v5", "instances": 2, "priority": "Regular",
            "os_disk": [{"caching": "ReadWrite", "storage_account_type": "Premium_LRS", "disk_size_gb": 256}], "tags": tags,
        }),
        res("azurerm_kubernetes_cluster.aks", {
            "name": "aks", "location": "eastus", "dns_prefix": "aks",
            "default_node_pool": [{"name": "system", "vm_size": "Standard_D4s_v5", "node_count": 3, "auto_scaling_enabled": False}],
            "tags": tags,
        }, unknown={"default_node_pool": [{"os_disk_size_gb": True, "os_disk_type": True}]}),
        res("azurerm_kubernetes_cluster_node_pool.gpu", {
            "name": "gpu", "vm_size": "Standard_NC6s_v3", "auto_scaling_enabled": True, "min_count": 0, "max_count": 4,
            "os_disk_type": "Ephemeral", "priority": "Regular", "mode": "User", "tags": tags,
        }, unknown={"node_count": True, "kubernetes_cluster_id": True},
            refs={"kubernetes_cluster_id": ["azurerm_kubernetes_cluster.aks.id", "azurerm_kubernetes_cluster.aks"]}),
        # azurerm 3.x spelling of the autoscaling flag, Spot T4 nodes.
        res("azurerm_kubernetes_cluster_node_pool.t4_spot", {
            "name": "t4spot", "vm_size": "Standard_NC4as_T4_v3", "enable_auto_scaling": True, "min_count": 1, "max_count": 3,
            "node_count": 2, "os_disk_size_gb": 64, "priority": "Spot", "eviction_policy": "Delete", "spot_max_price": -1, "tags": tags,
        }, unknown={"kubernetes_cluster_id": True},
            refs={"kubernetes_cluster_id": ["azurerm_kubernetes_cluster.aks.id", "azurerm_kubernetes_cluster.aks"]}),
        res("azurerm_machine_learning_compute_cluster.train", {
            "name": "train", "location": "eastus", "vm_size": "STANDARD_NC24ADS_A100_V4", "vm_priority": "LowPriority",
            "scale_settings": [{"min_node_count": 2, "max_node_count": 8, "scale_down_nodes_after_idle_duration": "PT15M"}], "tags": tags,
        }),
        res("azurerm_machine_learning_compute_instance.dev", {
            "name": "dev", "virtual_machine_size": "Standard_NC4as_T4_v3", "tags": tags,
        }, unknown={"machine_learning_workspace_id": True}),
        res("azurerm_managed_disk.data", {"name": "data", "location": "eastus", "storage_account_type": "Premium_LRS", "create_option": "Empty", "disk_size_gb": 600, "tags": tags}),
        res("azurerm_managed_disk.small", {"name": "small", "location": "eastus", "storage_account_type": "Standard_LRS", "create_option": "Empty", "disk_size_gb": 10, "tags": tags}),
        res("azurerm_storage_account.lake", {
            "name": "acmelake", "location": "westus", "account_tier": "Standard", "account_replication_type": "LRS",
            "access_tier": "Hot", "account_kind": "StorageV2", "tags": tags,
        }, sensitive={"primary_access_key": True}),
        # Paid control-plane tiers (appended: the multi-cloud example picks entries by index).
        res("azurerm_kubernetes_cluster.aks_standard", {
            "name": "aks-standard", "location": "eastus", "dns_prefix": "aks-std", "sku_tier": "Standard",
            "default_node_pool": [{"name": "system", "vm_size": "Standard_D4s_v5", "node_count": 1,
                                   "auto_scaling_enabled": False, "os_disk_type": "Ephemeral"}],
            "tags": tags,
        }),
        res("azurerm_kubernetes_cluster.aks_premium", {
            "name": "aks-premium", "location": "eastus", "dns_prefix": "aks-prem", "sku_tier": "Premium",
            "default_node_pool": [{"name": "system", "vm_size": "Standard_D4s_v5", "node_count": 1,
                                   "auto_scaling_enabled": False, "os_disk_type": "Ephemeral"}],
            "tags": tags,
        }),
    ]


def databricks_resources():
    tags = {"team": "ml-research"}
    return [
        res("databricks_cluster.aws_gpu", {
            "cluster_name": "aws-gpu", "spark_version": "15.4.x-gpu-ml-scala2.12", "node_type_id": "g5.xlarge",
            "driver_node_type_id": "m5.xlarge", "num_workers": 2, "autotermination_minutes": 30, "custom_tags": tags,
        }),
        res("databricks_cluster.azure_gpu", {
            "cluster_name": "azure-gpu", "spark_version": "15.4.x-gpu-ml-scala2.12", "node_type_id": "Standard_NC6s_v3",
            "autoscale": [{"min_workers": 1, "max_workers": 4}], "autotermination_minutes": 0, "custom_tags": tags,
        }, unknown={"driver_node_type_id": True}),
        res("databricks_cluster.gcp_gpu", {
            "cluster_name": "gcp-gpu", "spark_version": "15.4.x-gpu-ml-scala2.12", "node_type_id": "a2-highgpu-1g",
            "driver_node_type_id": "a2-highgpu-1g", "num_workers": 1, "autotermination_minutes": 60,
            "gcp_attributes": [{"availability": "PREEMPTIBLE_WITH_FALLBACK_GCP"}], "custom_tags": tags,
        }),
        res("databricks_instance_pool.t4", {
            "instance_pool_name": "t4-pool", "node_type_id": "g4dn.xlarge", "min_idle_instances": 2,
            "max_capacity": 10, "idle_instance_autotermination_minutes": 15, "custom_tags": tags,
        }),
        res("databricks_cluster.mystery", {
            "cluster_name": "mystery", "spark_version": "15.4.x-scala2.12", "node_type_id": "weird", "num_workers": 1,
            "autotermination_minutes": 60,
        }),
    ]


def aws_resources():
    tags = {"team": "ml-research", "env": "dev"}
    return [
        res("aws_sagemaker_domain.studio", {
            "domain_name": "studio", "auth_mode": "IAM",
            "default_user_settings": [{
                "execution_role": "arn:aws:iam::123456789012:role/sm",
                "jupyter_lab_app_settings": [{
                    "default_resource_spec": [{"instance_type": "ml.g5.xlarge"}],
                    "app_lifecycle_management": [{"idle_settings": [{"lifecycle_management": "ENABLED", "idle_timeout_in_minutes": 60}]}],
                }],
            }],
            "tags": tags, "tags_all": tags,
        }, unknown={"vpc_id": True, "subnet_ids": True}),
        res("aws_batch_compute_environment.train", {
            "compute_environment_name": "train", "type": "MANAGED",
            "compute_resources": [{"type": "EC2", "instance_type": ["p3.2xlarge"], "min_vcpus": 16, "max_vcpus": 64}],
            "tags": tags, "tags_all": tags,
        }, unknown={"compute_resources": [{"desired_vcpus": True}]}),
        res("aws_batch_compute_environment.families", {
            "compute_environment_name": "families", "type": "MANAGED",
            "compute_resources": [{"type": "SPOT", "instance_type": ["p3", "g5"], "min_vcpus": 0, "max_vcpus": 256}],
            "tags": tags, "tags_all": tags,
        }),
        res("aws_spot_instance_request.worker", {
            "instance_type": "g4dn.xlarge", "ami": "ami-0123456789abcdef0", "spot_type": "one-time",
            "availability_zone": "us-east-1a", "root_block_device": [{"volume_size": 100, "volume_type": "gp3"}],
            "tags": tags, "tags_all": tags,
        }),
        res("aws_efs_file_system.shared", {
            "creation_token": "shared", "throughput_mode": "provisioned", "provisioned_throughput_in_mibps": 100,
            "performance_mode": "generalPurpose", "tags": tags, "tags_all": tags,
        }),
        res("aws_fsx_lustre_file_system.scratch", {
            "storage_capacity": 2400, "deployment_type": "PERSISTENT_2", "per_unit_storage_throughput": 125,
            "storage_type": "SSD", "subnet_ids": ["subnet-0abc"], "tags": tags, "tags_all": tags,
        }),
        # Billed glue that used to be listed as free.
        res("aws_eks_cluster.ml", {
            "name": "ml", "version": "1.31", "role_arn": "arn:aws:iam::123456789012:role/eks",
            "upgrade_policy": [{"support_type": "STANDARD"}], "tags": tags, "tags_all": tags,
        }, unknown={"id": True, "arn": True, "endpoint": True}),
        res("aws_eip.nat", {"domain": "vpc", "customer_owned_ipv4_pool": None, "tags": tags, "tags_all": tags},
            unknown={"public_ipv4_pool": True, "public_ip": True, "id": True}),
        res("aws_eip.byoip", {"domain": "vpc", "public_ipv4_pool": "ipv4pool-ec2-0123456789abcdef0",
                              "customer_owned_ipv4_pool": None, "tags": tags, "tags_all": tags},
            unknown={"public_ip": True, "id": True}),
        res("aws_cloudwatch_metric_alarm.gpu_idle", {
            "alarm_name": "gpu-idle", "comparison_operator": "LessThanThreshold", "evaluation_periods": 6,
            "metric_name": "GPUUtilization", "namespace": "CWAgent", "period": 300, "statistic": "Average",
            "threshold": 5, "metric_query": [], "tags": tags, "tags_all": tags,
        }),
        res("aws_cloudwatch_metric_alarm.fast", {
            "alarm_name": "fast", "comparison_operator": "GreaterThanThreshold", "evaluation_periods": 3,
            "metric_name": "QueueDepth", "namespace": "Custom", "period": 10, "statistic": "Maximum",
            "threshold": 100, "metric_query": [], "tags": tags, "tags_all": tags,
        }),
        res("aws_cloudwatch_metric_alarm.anomaly", {
            "alarm_name": "anomaly", "comparison_operator": "GreaterThanUpperThreshold", "evaluation_periods": 2,
            "threshold_metric_id": "ad1",
            "metric_query": [
                {"id": "m1", "return_data": True, "expression": None,
                 "metric": [{"metric_name": "CPUUtilization", "namespace": "AWS/EC2", "period": 300, "stat": "Average"}]},
                {"id": "ad1", "return_data": True, "expression": "ANOMALY_DETECTION_BAND(m1, 2)", "label": "band", "metric": []},
            ],
            "tags": tags, "tags_all": tags,
        }),
        res("aws_cloudwatch_log_group.training", {"name": "/ml/training", "retention_in_days": 30,
                                                  "log_group_class": "STANDARD", "tags": tags, "tags_all": tags}),
        res("aws_ssm_parameter.big_config", {"name": "/ml/config", "type": "String", "tier": "Advanced",
                                             "tags": tags, "tags_all": tags}, sensitive={"value": True}),
        res("aws_s3_bucket_inventory.datasets", {"bucket": "acme-datasets", "name": "weekly",
                                                 "included_object_versions": "Current"}),
        res("aws_route53_zone.internal", {"name": "ml.internal", "tags": tags, "tags_all": tags},
            unknown={"zone_id": True}),
        res("aws_route_table.private", {"vpc_id": "vpc-0abc", "tags": tags, "tags_all": tags}),
    ]


def savings_resources():
    """One resource (or more) per savings advice rule, across clouds (testdata/plans/savings-multicloud)."""
    prod = {"team": "ml-research", "env": "prod"}
    dev = {"team": "ml-research", "env": "dev"}
    return [
        # On-demand V100 pool with a floor of 1 node: spot (catalog spot prices) and min-zero.
        res("google_container_node_pool.v100_train", {
            "name": "v100-train", "cluster": "ml-cluster", "location": "us-central1-a", "node_count": 2,
            "autoscaling": [{"min_node_count": 1, "max_node_count": 4, "total_min_node_count": None, "total_max_node_count": None, "location_policy": "BALANCED"}],
            "node_config": [{"machine_type": "n1-standard-8", "disk_size_gb": 100, "disk_type": "pd-balanced",
                             "guest_accelerator": [{"type": "nvidia-tesla-v100", "count": 1, "gpu_partition_size": None}],
                             "spot": False, "preemptible": False, "resource_labels": prod}],
        }),
        # Workbench with 4 T4s and idle shutdown disabled, in dev: notebook size and schedule.
        res("google_workbench_instance.big_notebook", {
            "name": "big-notebook", "location": "us-central1-a",
            "gce_setup": [{"machine_type": "n1-standard-16",
                           "accelerator_configs": [{"type": "NVIDIA_TESLA_T4", "core_count": "4"}],
                           "boot_disk": [{"disk_size_gb": "150", "disk_type": "PD_BALANCED"}],
                           "metadata": {"idle-timeout-seconds": "0"}}],
            "labels": dev,
        }),
        # Two A100s for one notebook: the family's one-GPU size.
        res("azurerm_machine_learning_compute_instance.a100_notebook", {
            "name": "a100-notebook", "virtual_machine_size": "Standard_NC48ads_A100_v4", "tags": dev,
        }, unknown={"machine_learning_workspace_id": True}),
        # On-demand training scale set: spot (catalog price for this size) and min-zero.
        res("azurerm_linux_virtual_machine_scale_set.trainers", {
            "name": "trainers", "location": "eastus", "sku": "Standard_NC24ads_A100_v4", "instances": 2,
            "admin_username": "ml", "os_disk": [{"caching": "ReadWrite", "storage_account_type": "Premium_LRS", "disk_size_gb": 128}],
            "priority": "Regular", "tags": {**prod, "workload": "training"},
        }),
        # A big gp2 volume: gp3 with 3,000 more IOPS to keep gp2's 6,000 baseline.
        res("aws_ebs_volume.dataset_cache", {
            "availability_zone": "us-east-1a", "size": 2000, "type": "gp2", "encrypted": True,
            "tags": prod, "tags_all": prod,
        }, unknown={"iops": True, "throughput": True, "id": True, "arn": True}),
    ]


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")


def main():
    write("testdata/plans/gcp-ml/plan.json", plan(gcp_resources(), {"google": "us-central1"}))
    write("testdata/plans/azure-ml/plan.json", plan(azure_resources(), {"azurerm": None}))
    write("testdata/plans/databricks/plan.json", plan(databricks_resources(), {"databricks": None}))
    write("testdata/plans/aws-ml-extras/plan.json", plan(aws_resources(), {"aws": "us-east-1"}))
    write("testdata/plans/savings-multicloud/plan.json",
          plan(savings_resources(), {"google": "us-central1", "azurerm": None, "aws": "us-east-1"}))
    g, a, d, w = gcp_resources(), azure_resources(), databricks_resources(), aws_resources()
    multi = [g[0], g[1], g[3], g[5], a[0], a[4], a[8], d[0], d[1], w[0], w[3]]
    write("testdata/examples/multi-cloud/plan.json",
          plan(multi, {"google": "us-central1", "azurerm": None, "databricks": None, "aws": "us-east-1"}))


if __name__ == "__main__":
    main()
