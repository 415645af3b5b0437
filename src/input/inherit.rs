//! Regions inherited through references. Some resources have no region of their own: an AKS
//! node pool lives where its cluster (`kubernetes_cluster_id`) is, a GKE node pool without
//! `location` where its `cluster` is, an Azure resource without `location` in its resource
//! group's location, a GCE disk attached to an instance in that instance's zone. Without this
//! they would be priced in the provider's (or an assumed) region: a wrong figure. One table,
//! applied to both inputs (plan JSON references and HCL references) after loading.

use std::collections::BTreeMap;

use super::common::resource_region;
use crate::project::{Project, Resource};

/// (type, attribute): the resource takes the region of the resource the attribute refers to,
/// unless its own attributes name one.
pub const REGION_FROM_REF: &[(&str, &str)] = &[
    (
        "azurerm_kubernetes_cluster_node_pool",
        "kubernetes_cluster_id",
    ),
    ("google_container_node_pool", "cluster"),
    ("google_sql_database", "instance"),
    ("google_sql_user", "instance"),
    ("azurerm_mssql_database", "server_id"),
    ("azurerm_mssql_elasticpool", "server_name"),
    ("azurerm_postgresql_flexible_server_database", "server_id"),
    ("azurerm_mysql_flexible_database", "server_name"),
    ("azurerm_cognitive_deployment", "cognitive_account_id"),
    (
        "azurerm_machine_learning_compute_instance",
        "machine_learning_workspace_id",
    ),
    (
        "azurerm_machine_learning_compute_cluster",
        "machine_learning_workspace_id",
    ),
    ("azurerm_storage_container", "storage_account_id"),
    ("azurerm_storage_container", "storage_account_name"),
    ("azurerm_storage_share", "storage_account_id"),
    ("azurerm_storage_share", "storage_account_name"),
    ("azurerm_cosmosdb_sql_database", "account_name"),
    ("azurerm_cosmosdb_sql_container", "account_name"),
];

/// (attachment type, attached attribute, host attribute): the resource the attached
/// attribute refers to takes the region of the host (a disk lives in its instance's zone).
pub const REGION_FROM_ATTACHMENT: &[(&str, &str, &str)] = &[
    ("google_compute_attached_disk", "disk", "instance"),
    (
        "azurerm_virtual_machine_data_disk_attachment",
        "managed_disk_id",
        "virtual_machine_id",
    ),
];

/// Any `azurerm_*` resource without a location of its own takes its resource group's.
const AZURE_GROUP_ATTR: &str = "resource_group_name";

/// Give each resource without a region of its own the region of the resource it depends on.
pub fn inherit_regions(project: &mut Project) {
    // Chains (node pool → cluster → resource group) settle in a few passes.
    for _ in 0..4 {
        let regions: BTreeMap<String, Option<String>> = project
            .resources
            .iter()
            .map(|r| (r.address.clone(), r.region.clone()))
            .collect();
        let mut changes: Vec<(usize, String)> = Vec::new();
        for (i, r) in project.resources.iter().enumerate() {
            if own_region(r) {
                continue;
            }
            let attrs: Vec<&str> = REGION_FROM_REF
                .iter()
                .filter(|(t, _)| *t == r.rtype)
                .map(|(_, a)| *a)
                .chain(
                    (r.rtype.starts_with("azurerm_") && r.rtype != "azurerm_resource_group")
                        .then_some(AZURE_GROUP_ATTR),
                )
                .collect();
            if let Some(reg) = attrs.iter().find_map(|a| region_via(r, a, &regions)) {
                if r.region.as_deref() != Some(reg.as_str()) {
                    changes.push((i, reg));
                }
            }
        }
        for (host_t, disk_a, host_a) in REGION_FROM_ATTACHMENT {
            for r in project.resources.iter().filter(|r| r.rtype == *host_t) {
                let Some(reg) = region_via(r, host_a, &regions) else {
                    continue;
                };
                for target in r.refs.get(*disk_a).into_iter().flatten() {
                    for (i, d) in project.resources.iter().enumerate() {
                        if same_block(&d.address, target)
                            && !own_region(d)
                            && d.region.as_deref() != Some(reg.as_str())
                        {
                            changes.push((i, reg.clone()));
                        }
                    }
                }
            }
        }
        if changes.is_empty() {
            break;
        }
        for (i, reg) in changes {
            project.resources[i].region = Some(reg);
        }
    }
    // "No region: prices assume ..." goes when no resource of that provider is left without one.
    let unplaced: std::collections::BTreeSet<&str> = project
        .resources
        .iter()
        .filter(|r| r.region.is_none())
        .map(|r| r.provider.as_str())
        .collect();
    project.warnings.retain(|w| {
        let assumed = w.contains("; prices assume ");
        let provider = w
            .strip_prefix("provider ")
            .and_then(|w| w.split(':').next())
            .unwrap_or_default();
        !assumed || unplaced.contains(provider)
    });
}

/// True when the resource's own attributes say where it is (`location`, `zone`, `region`...).
fn own_region(r: &Resource) -> bool {
    resource_region(&r.provider, r.current(), None).is_some()
}

/// The region of the resources `r.<attr>` refers to, when they are known and agree.
fn region_via(
    r: &Resource,
    attr: &str,
    regions: &BTreeMap<String, Option<String>>,
) -> Option<String> {
    let targets = r.refs.get(attr)?;
    let mut found: Option<String> = None;
    for t in targets {
        for (addr, reg) in regions {
            if !same_block(addr, t) {
                continue;
            }
            let reg = reg.as_ref()?;
            match &found {
                Some(f) if f != reg => return None,
                _ => found = Some(reg.clone()),
            }
        }
    }
    found
}

/// `addr` is the resource `reference` names: the same address, or an instance of that block
/// (`azurerm_x.y["a"]` for `azurerm_x.y`).
fn same_block(addr: &str, reference: &str) -> bool {
    addr == reference
        || addr.strip_prefix(reference).is_some_and(|rest| {
            rest.starts_with('[') && rest.ends_with(']') && !rest.contains("].")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_addresses_belong_to_their_block() {
        assert!(same_block("azurerm_x.y", "azurerm_x.y"));
        assert!(same_block("azurerm_x.y[\"a\"]", "azurerm_x.y"));
        assert!(same_block("azurerm_x.y[0]", "azurerm_x.y"));
        assert!(!same_block("azurerm_x.yz", "azurerm_x.y"));
        assert!(!same_block("module.m.azurerm_x.y", "azurerm_x.y"));
    }
}
