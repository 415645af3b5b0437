//! `azapi_resource` / `azapi_update_resource`: an ARM resource written as its REST body.
//!
//! The `type` (`Microsoft.ContainerService/managedClusters@2024-02-01`) names the ARM resource
//! type; `MAPPINGS` says which azurerm type knows its price and how the body's ARM fields
//! (`sku.name`, `properties.hardwareProfile.vmSize` …) become that type's attributes. The body
//! is read as the ARM API reads it: an HCL object (azapi 2.x, plan or HCL mode) or a JSON string
//! (`jsonencode(...)`, azapi 1.x); a field unknown until apply stays unknown. The location is
//! the resource's own, else its parent's (`parent_id`), else the provider's. The mapped
//! attributes are priced by the azurerm type's family (or reported free / unpriced as that
//! type is); an ARM type without a mapping is unpriced with the type in the reason.
//!
//! `azapi_update_resource` patches a resource that exists already (often one declared in the
//! same plan): its body is a partial update, so it is not priced as a resource of its own.

use serde_json::{Map, Value};

use crate::input::common::azure_location;
use crate::project::{Attrs, Field, Resource};
use crate::resources::family::*;
use crate::resources::{handling, Costing, Handling, Unpriced, View};

pub const FAMILY: Family = Family {
    name: "azapi_resource",
    cloud: Cloud::Azure,
    types: &["azapi_resource", "azapi_update_resource"],
    reads: &[
        // The resource's own attributes.
        "body",
        "location",
        "parent_id",
        "type",
        // The azurerm attributes the mapped families read from the converted body (the
        // fixture's ARM types: VMs, scale sets, disks, AKS and its pools, ACR, storage,
        // public IPs, NAT gateways, private endpoints, Azure OpenAI deployments).
        "access_tier",
        "account_replication_type",
        "account_tier",
        "auto_scaling_enabled",
        "cognitive_account_id",
        "data_disk",
        "default_node_pool.0.auto_scaling_enabled",
        "default_node_pool.0.enable_auto_scaling",
        "default_node_pool.0.max_count",
        "default_node_pool.0.min_count",
        "default_node_pool.0.node_count",
        "default_node_pool.0.os_disk_size_gb",
        "default_node_pool.0.os_disk_type",
        "default_node_pool.0.priority",
        "default_node_pool.0.vm_size",
        "disk_iops_read_write",
        "disk_mbps_read_write",
        "disk_size_gb",
        "enable_auto_scaling",
        "georeplications",
        "instances",
        "ip_version",
        "max_count",
        "min_count",
        "model.0.name",
        "model.0.version",
        "node_count",
        "os_disk.0.disk_size_gb",
        "os_disk.0.storage_account_type",
        "os_disk_size_gb",
        "os_disk_type",
        "priority",
        "size",
        "sku",
        "sku.0.name",
        "sku_name",
        "sku_tier",
        "storage_account_type",
        "vm_size",
    ],
    // The keys of the azurerm families the ARM types map to (which one depends on the body).
    price_keys: &[
        "acr/{sku}/day",
        "aks/{tier}",
        "blob/{access_tier}/{replication}/storage",
        "disk/{tier}",
        "nat/{meter}",
        "openai/{model}/{deployment_type}/input",
        "openai/{model}/{deployment_type}/output",
        "private-endpoint/{meter}",
        "public-ip/{meter}",
        "vm-spot/{size}",
        "vm/{size}",
    ],
    usage: &[
        UsageKey {
            key: "data_processed_gb",
            unit: "GB",
            doc: "data processed a month (ARM NAT gateways and private endpoints)",
        },
        MONTHLY_HOURS,
        UsageKey {
            key: "monthly_input_tokens",
            unit: "tokens",
            doc: "input (prompt) tokens a month (ARM Azure OpenAI Standard deployments)",
        },
        UsageKey {
            key: "monthly_output_tokens",
            unit: "tokens",
            doc: "output (completion) tokens a month (ARM Azure OpenAI Standard deployments)",
        },
        UsageKey {
            key: "storage_gb",
            unit: "GB",
            doc: "data stored (ARM storage accounts and container registries)",
        },
    ],
    cost,
    ..Family::DEFAULTS
};

/// How one ARM field becomes one azurerm attribute.
#[derive(Clone, Copy)]
enum Conv {
    /// Copied as it is.
    Same,
    /// `Standard_LRS` → `Standard` (storage account tier).
    SkuTier,
    /// `Standard_LRS` → `LRS` (storage account replication).
    SkuReplication,
    /// GiB → MiB (flexible server storage).
    GibToMib,
    /// ARM flexible-server SKU tier → azurerm `sku_name` prefix (`GeneralPurpose` → `GP`).
    FlexTier,
}

/// ARM path under the body → azurerm attribute path (numeric segments index blocks).
type Fields = &'static [(&'static str, &'static str, Conv)];

/// One ARM type the mechanism knows: lower-case type, the azurerm type, its fields.
struct Mapping {
    arm: &'static str,
    azurerm: &'static str,
    fields: Fields,
}

const POOL: Fields = &[
    ("vmSize", "vm_size", Conv::Same),
    ("count", "node_count", Conv::Same),
    ("enableAutoScaling", "auto_scaling_enabled", Conv::Same),
    ("minCount", "min_count", Conv::Same),
    ("maxCount", "max_count", Conv::Same),
    ("osDiskSizeGB", "os_disk_size_gb", Conv::Same),
    ("osDiskType", "os_disk_type", Conv::Same),
    ("scaleSetPriority", "priority", Conv::Same),
    ("osType", "os_type", Conv::Same),
];

const MAPPINGS: &[Mapping] = &[
    Mapping {
        arm: "microsoft.containerservice/managedclusters",
        azurerm: "azurerm_kubernetes_cluster",
        fields: &[("sku.tier", "sku_tier", Conv::Same)],
    },
    Mapping {
        arm: "microsoft.containerservice/managedclusters/agentpools",
        azurerm: "azurerm_kubernetes_cluster_node_pool",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.compute/virtualmachines",
        azurerm: "azurerm_linux_virtual_machine",
        fields: &[
            ("properties.hardwareProfile.vmSize", "size", Conv::Same),
            ("properties.priority", "priority", Conv::Same),
            (
                "properties.storageProfile.osDisk.diskSizeGB",
                "os_disk.0.disk_size_gb",
                Conv::Same,
            ),
            (
                "properties.storageProfile.osDisk.managedDisk.storageAccountType",
                "os_disk.0.storage_account_type",
                Conv::Same,
            ),
        ],
    },
    Mapping {
        arm: "microsoft.compute/virtualmachinescalesets",
        azurerm: "azurerm_linux_virtual_machine_scale_set",
        fields: &[
            ("sku.name", "sku", Conv::Same),
            ("sku.capacity", "instances", Conv::Same),
            ("properties.virtualMachineProfile.priority", "priority", Conv::Same),
            (
                "properties.virtualMachineProfile.storageProfile.osDisk.diskSizeGB",
                "os_disk.0.disk_size_gb",
                Conv::Same,
            ),
            (
                "properties.virtualMachineProfile.storageProfile.osDisk.managedDisk.storageAccountType",
                "os_disk.0.storage_account_type",
                Conv::Same,
            ),
        ],
    },
    Mapping {
        arm: "microsoft.compute/disks",
        azurerm: "azurerm_managed_disk",
        fields: &[
            ("sku.name", "storage_account_type", Conv::Same),
            ("properties.diskSizeGB", "disk_size_gb", Conv::Same),
            ("properties.diskIOPSReadWrite", "disk_iops_read_write", Conv::Same),
            ("properties.diskMBpsReadWrite", "disk_mbps_read_write", Conv::Same),
        ],
    },
    Mapping {
        arm: "microsoft.storage/storageaccounts",
        azurerm: "azurerm_storage_account",
        fields: &[
            ("sku.name", "account_tier", Conv::SkuTier),
            ("sku.name", "account_replication_type", Conv::SkuReplication),
            ("kind", "account_kind", Conv::Same),
            ("properties.accessTier", "access_tier", Conv::Same),
        ],
    },
    Mapping {
        arm: "microsoft.network/publicipaddresses",
        azurerm: "azurerm_public_ip",
        fields: &[
            ("sku.name", "sku", Conv::Same),
            ("sku.tier", "sku_tier", Conv::Same),
            ("properties.publicIPAddressVersion", "ip_version", Conv::Same),
        ],
    },
    Mapping {
        arm: "microsoft.network/natgateways",
        azurerm: "azurerm_nat_gateway",
        fields: &[("sku.name", "sku_name", Conv::Same)],
    },
    Mapping {
        arm: "microsoft.network/privateendpoints",
        azurerm: "azurerm_private_endpoint",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.containerregistry/registries",
        azurerm: "azurerm_container_registry",
        fields: &[("sku.name", "sku", Conv::Same)],
    },
    Mapping {
        arm: "microsoft.dbforpostgresql/flexibleservers",
        azurerm: "azurerm_postgresql_flexible_server",
        fields: &[
            ("sku.tier", "sku_name", Conv::FlexTier),
            (
                "properties.storage.storageSizeGB",
                "storage_mb",
                Conv::GibToMib,
            ),
            (
                "properties.highAvailability.mode",
                "high_availability.0.mode",
                Conv::Same,
            ),
        ],
    },
    Mapping {
        arm: "microsoft.cognitiveservices/accounts",
        azurerm: "azurerm_cognitive_account",
        fields: &[
            ("sku.name", "sku_name", Conv::Same),
            ("kind", "kind", Conv::Same),
        ],
    },
    Mapping {
        arm: "microsoft.cognitiveservices/accounts/deployments",
        azurerm: "azurerm_cognitive_deployment",
        fields: &[
            ("sku.name", "sku.0.name", Conv::Same),
            ("sku.capacity", "sku.0.capacity", Conv::Same),
            ("properties.model.format", "model.0.format", Conv::Same),
            ("properties.model.name", "model.0.name", Conv::Same),
            ("properties.model.version", "model.0.version", Conv::Same),
        ],
    },
    // Free by nature: mapped so that they are reported free, as their azurerm forms are.
    Mapping {
        arm: "microsoft.resources/resourcegroups",
        azurerm: "azurerm_resource_group",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.network/virtualnetworks",
        azurerm: "azurerm_virtual_network",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.network/virtualnetworks/subnets",
        azurerm: "azurerm_subnet",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.network/networksecuritygroups",
        azurerm: "azurerm_network_security_group",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.network/networkinterfaces",
        azurerm: "azurerm_network_interface",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.authorization/roleassignments",
        azurerm: "azurerm_role_assignment",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.storage/storageaccounts/blobservices/containers",
        azurerm: "azurerm_storage_container",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.managedidentity/userassignedidentities",
        azurerm: "azurerm_user_assigned_identity",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.insights/diagnosticsettings",
        azurerm: "azurerm_monitor_diagnostic_setting",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.authorization/locks",
        azurerm: "azurerm_management_lock",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.network/routetables",
        azurerm: "azurerm_route_table",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.network/privatednszones",
        azurerm: "azurerm_private_dns_zone",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.network/privatednszones/virtualnetworklinks",
        azurerm: "azurerm_private_dns_zone_virtual_network_link",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.containerservice/managedclusters/maintenanceconfigurations",
        azurerm: "azurerm_maintenance_configuration",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.insights/datacollectionrules",
        azurerm: "azurerm_monitor_data_collection_rule",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.insights/datacollectionendpoints",
        azurerm: "azurerm_monitor_data_collection_endpoint",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.insights/datacollectionruleassociations",
        azurerm: "azurerm_monitor_data_collection_rule_association",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.network/applicationgatewaywebapplicationfirewallpolicies",
        azurerm: "azurerm_web_application_firewall_policy",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.insights/actiongroups",
        azurerm: "azurerm_monitor_action_group",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.insights/metricalerts",
        azurerm: "azurerm_monitor_metric_alert",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.alertsmanagement/prometheusrulegroups",
        azurerm: "azurerm_monitor_alert_prometheus_rule_group",
        fields: &[],
    },
    Mapping {
        arm: "microsoft.machinelearningservices/workspaces",
        azurerm: "azurerm_machine_learning_workspace",
        fields: &[],
    },
];

/// `Microsoft.X/y@2024-01-01` → `microsoft.x/y`.
fn arm_type(t: &str) -> String {
    t.split('@').next().unwrap_or(t).trim().to_ascii_lowercase()
}

/// Scratch slot for the flexible-server tier prefix.
const TIER: &str = "\u{0}tier";

/// Attribute values and unknown mask being built for the azurerm form.
#[derive(Default)]
struct Out {
    values: Map<String, Value>,
    unknown: Map<String, Value>,
    /// azurerm path → ARM path, to say reasons in the user's terms.
    names: Vec<(String, String)>,
}

/// Put `v` at dotted `path`; numeric segments are list indexes (blocks are lists).
fn put(root: &mut Map<String, Value>, path: &str, v: Value) {
    let segs: Vec<&str> = path.split('.').collect();
    let mut cur = root;
    let mut i = 0;
    while i + 1 < segs.len() {
        let next_is_index = segs[i + 1].parse::<usize>().is_ok();
        if next_is_index {
            let idx: usize = segs[i + 1].parse().unwrap_or(0);
            let arr = cur
                .entry(segs[i].to_string())
                .or_insert_with(|| Value::Array(Vec::new()));
            let Value::Array(a) = arr else { return };
            while a.len() <= idx {
                a.push(Value::Object(Map::new()));
            }
            if i + 2 == segs.len() {
                a[idx] = v;
                return;
            }
            let Value::Object(m) = &mut a[idx] else {
                return;
            };
            cur = m;
            i += 2;
        } else {
            let o = cur
                .entry(segs[i].to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            let Value::Object(m) = o else { return };
            cur = m;
            i += 1;
        }
    }
    if let Some(last) = segs.get(i) {
        cur.insert((*last).to_string(), v);
    }
}

fn convert(conv: Conv, v: &Value) -> Option<Value> {
    let s = || v.as_str().map(str::to_string);
    Some(match conv {
        Conv::Same => v.clone(),
        Conv::SkuTier => Value::String(s()?.split('_').next()?.to_string()),
        Conv::SkuReplication => Value::String(s()?.split('_').nth(1)?.to_string()),
        Conv::GibToMib => {
            let gb = match v {
                Value::String(t) => t.trim().parse::<u64>().ok()?,
                other => other.as_u64()?,
            };
            Value::from(gb * 1024)
        }
        Conv::FlexTier => Value::String(
            match s()?.as_str() {
                "Burstable" => "B",
                "GeneralPurpose" => "GP",
                "MemoryOptimized" => "MO",
                _ => return None,
            }
            .to_string(),
        ),
    })
}

impl Out {
    /// Copy ARM field `from` (under `body.`) to azurerm attribute `to`.
    fn copy(&mut self, body: &Attrs, from: &str, to: &str, conv: Conv) {
        self.names.push((to.to_string(), format!("body.{from}")));
        match body.get(&format!("body.{from}")) {
            Field::Known(v) => {
                if let Some(v) = convert(conv, v) {
                    self.set(to, v, conv);
                }
            }
            Field::Unknown => put(&mut self.unknown, to, Value::Bool(true)),
            Field::Absent => {}
        }
    }

    fn set(&mut self, to: &str, v: Value, conv: Conv) {
        if matches!(conv, Conv::FlexTier) {
            // `sku_name` = tier prefix + `_` + sku.name, put together by `flex_sku`.
            self.values.insert(TIER.into(), v);
        } else {
            put(&mut self.values, to, v);
        }
    }

    fn attrs(mut self) -> (Attrs, Vec<(String, String)>) {
        self.values.remove(TIER);
        (
            Attrs {
                values: Value::Object(self.values),
                unknown: Value::Object(self.unknown),
                sensitive: Value::Bool(false),
            },
            self.names,
        )
    }
}

/// The body as attributes: the object itself, or the JSON string parsed.
fn body_attrs(v: &View) -> Result<Option<Attrs>, String> {
    match v.get("body") {
        Field::Known(Value::String(s)) => {
            let parsed: Value = serde_json::from_str(s)
                .map_err(|_| "`body` is a string that is not JSON".to_string())?;
            let mut m = Map::new();
            m.insert("body".into(), parsed);
            Ok(Some(Attrs::new(Value::Object(m))))
        }
        _ => Ok(None),
    }
}

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let raw = match v.required_str("type") {
        Ok(t) => t,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let arm = arm_type(raw);
    let shown = super::short(raw.split('@').next().unwrap_or(raw));
    if v.res.rtype == "azapi_update_resource" {
        c.notes.push(format!(
            "updates an existing `{shown}`: the resource is priced where it is declared, \
             not on its partial update"
        ));
        return c;
    }
    let Some(m) = MAPPINGS.iter().find(|m| m.arm == arm) else {
        c.unpriced.push(format!(
            "ARM type `{shown}` is not mapped to a priced family"
        ));
        return c;
    };
    let parsed = match body_attrs(v) {
        Ok(p) => p,
        Err(e) => {
            c.unpriced.push(e);
            return c;
        }
    };
    let body: &Attrs = parsed.as_ref().unwrap_or(v.attrs);
    let region = location(v);
    let f = match handling(m.azurerm) {
        Some(Handling::Priced(f)) => f,
        Some(Handling::Free(why)) => {
            c.notes.push(format!("{shown}: {why}"));
            return c;
        }
        None => {
            let why = crate::resources::free::not_free_reason(m.azurerm)
                .map(|r| format!(": {r}"))
                .unwrap_or_else(|| ", which costgate does not price yet".into());
            c.unpriced.push(format!(
                "ARM type `{shown}` is priced as `{}`{why}",
                m.azurerm
            ));
            return c;
        }
    };
    let windows = is_windows(body, m.arm);
    let target = if windows {
        m.azurerm.replace("linux", "windows")
    } else {
        m.azurerm.to_string()
    };
    let mut out = Out::default();
    for (from, to, conv) in m.fields {
        out.copy(body, from, to, *conv);
    }
    if m.arm.ends_with("/flexibleservers") {
        flex_sku(body, &mut out);
    }
    let mut pools: Vec<String> = Vec::new();
    match m.arm {
        "microsoft.containerservice/managedclusters/agentpools" => {
            for (from, to, conv) in POOL {
                out.copy(body, &format!("properties.{from}"), to, *conv);
            }
        }
        "microsoft.containerservice/managedclusters" => {
            let p = "properties.agentPoolProfiles";
            match body.get(&format!("body.{p}")) {
                Field::Known(Value::Array(a)) if !a.is_empty() => {
                    // The System pool is the default pool; the others are priced as pools.
                    let sys = a
                        .iter()
                        .position(|x| x.get("mode").and_then(Value::as_str) == Some("System"))
                        .unwrap_or(0);
                    for (from, to, conv) in POOL {
                        out.copy(
                            body,
                            &format!("{p}.{sys}.{from}"),
                            &format!("default_node_pool.0.{to}"),
                            *conv,
                        );
                    }
                    for i in (0..a.len()).filter(|i| *i != sys) {
                        let name = a[i]
                            .get("name")
                            .and_then(Value::as_str)
                            .map(super::short)
                            .unwrap_or_else(|| format!("#{i}"));
                        pools.push(format!("{i}\u{0}{name}"));
                    }
                }
                Field::Unknown => {
                    c.unpriced.push(Unpriced::UnknownUntilApply {
                        attr: format!("body.{p}"),
                    });
                    return c;
                }
                _ => {
                    c.unpriced
                        .push(format!("`body.{p}` is not set: no node pool to price"));
                    return c;
                }
            }
        }
        _ => {}
    }
    let (attrs, names) = out.attrs();
    let mut res: Resource = v.res.clone();
    res.rtype = target.clone();
    res.before = None;
    res.after = None;
    res.region = Some(region.clone());
    let sub = View {
        res: &res,
        attrs: &attrs,
        ctx: v.ctx,
        side: v.side,
        cloud: "azure",
        region: region.clone(),
        recorder: v.recorder.clone(),
    };
    let mut got = f(&sub);
    c.notes
        .push(format!("ARM type `{shown}` priced as `{target}`"));
    // The other pools of a managed cluster, each as a node pool.
    for p in pools {
        let (i, name) = p.split_once('\u{0}').unwrap_or(("0", ""));
        let mut po = Out::default();
        for (from, to, conv) in POOL {
            po.copy(
                body,
                &format!("properties.agentPoolProfiles.{i}.{from}"),
                to,
                *conv,
            );
        }
        let (pattrs, pnames) = po.attrs();
        let mut pres = res.clone();
        pres.rtype = "azurerm_kubernetes_cluster_node_pool".into();
        let pv = View {
            res: &pres,
            attrs: &pattrs,
            ctx: v.ctx,
            side: v.side,
            cloud: "azure",
            region: region.clone(),
            recorder: v.recorder.clone(),
        };
        let mut pc = super::kubernetes_node_pool::cost(&pv);
        for comp in &mut pc.components {
            comp.name = format!("pool {name}: {}", comp.name);
        }
        got.components.append(&mut pc.components);
        got.unpriced.extend(
            pc.unpriced
                .into_iter()
                .map(|r| unpriced_in_arm_terms(r, &pnames)),
        );
        got.notes.extend(pc.notes);
        got.partial.extend(pc.partial);
        if got.gpu.is_none() {
            got.gpu = pc.gpu;
            got.idle = pc.idle;
        }
    }
    c.components = got.components;
    c.gpu = got.gpu;
    c.idle = got.idle;
    c.unpriced.extend(
        got.unpriced
            .into_iter()
            .map(|r| unpriced_in_arm_terms(r, &names)),
    );
    c.notes
        .extend(got.notes.iter().map(|r| in_arm_terms(r, &names)));
    c.partial
        .extend(got.partial.iter().map(|r| in_arm_terms(r, &names)));
    c
}

/// `sku_name` of a flexible server: `GP_Standard_D2ds_v4` from `sku.tier` and `sku.name`.
fn flex_sku(body: &Attrs, out: &mut Out) {
    let tier = out.values.remove(TIER);
    match (tier, body.get("body.sku.name")) {
        (Some(Value::String(t)), Field::Known(Value::String(n))) => {
            put(
                &mut out.values,
                "sku_name",
                Value::String(format!("{t}_{n}")),
            );
        }
        (_, Field::Unknown) => put(&mut out.unknown, "sku_name", Value::Bool(true)),
        _ => {}
    }
}

/// A Windows VM or scale set: its OS disk or OS profile says so.
fn is_windows(body: &Attrs, arm: &str) -> bool {
    let base = match arm {
        "microsoft.compute/virtualmachines" => "body.properties",
        "microsoft.compute/virtualmachinescalesets" => "body.properties.virtualMachineProfile",
        _ => return false,
    };
    body.get(&format!("{base}.storageProfile.osDisk.osType"))
        .as_str()
        .is_some_and(|s| s.eq_ignore_ascii_case("Windows"))
        || body
            .get(&format!("{base}.osProfile.windowsConfiguration"))
            .known()
            .is_some()
}

/// The resource's location, else its parent's, else the provider's (or default) region.
fn location(v: &View) -> String {
    if let Some(l) = v.get("location").as_str() {
        return azure_location(l);
    }
    if let Some(p) = v.linked(&["parent_id"], &["id"]) {
        if let Some(l) = p.get("location").as_str() {
            return azure_location(l);
        }
        return p.region;
    }
    v.region.clone()
}

/// A reason that names azurerm attributes, told with the ARM paths they came from.
fn in_arm_terms(reason: &str, names: &[(String, String)]) -> String {
    let mut r = reason.to_string();
    for (to, from) in names {
        r = r.replace(&format!("`{to}`"), &format!("`{from}`"));
    }
    r
}

/// A typed reason about azurerm attributes, told with the ARM paths they came from (the
/// variant and its other fields are kept).
fn unpriced_in_arm_terms(reason: Unpriced, names: &[(String, String)]) -> Unpriced {
    let arm = |attr: String| {
        names
            .iter()
            .find(|(to, _)| *to == attr)
            .map_or(attr, |(_, from)| from.clone())
    };
    match reason {
        Unpriced::UnknownUntilApply { attr } => Unpriced::UnknownUntilApply { attr: arm(attr) },
        Unpriced::Sensitive { attr } => Unpriced::Sensitive { attr: arm(attr) },
        Unpriced::NotSet { attr } => Unpriced::NotSet { attr: arm(attr) },
        Unpriced::Other(s) => Unpriced::Other(in_arm_terms(&s, names)),
        Unpriced::LinkNotFound { what } => Unpriced::LinkNotFound {
            what: in_arm_terms(&what, names),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arm_types_lose_their_api_version_and_case() {
        assert_eq!(
            arm_type("Microsoft.ContainerService/managedClusters@2024-02-01"),
            "microsoft.containerservice/managedclusters"
        );
        assert_eq!(
            arm_type("Microsoft.Network/natGateways"),
            "microsoft.network/natgateways"
        );
    }

    #[test]
    fn put_builds_blocks() {
        let mut m = Map::new();
        put(&mut m, "os_disk.0.disk_size_gb", Value::from(64));
        put(
            &mut m,
            "os_disk.0.storage_account_type",
            Value::from("Premium_LRS"),
        );
        put(&mut m, "size", Value::from("Standard_D2s_v3"));
        assert_eq!(
            Value::Object(m),
            serde_json::json!({"os_disk": [{"disk_size_gb": 64, "storage_account_type": "Premium_LRS"}], "size": "Standard_D2s_v3"})
        );
    }

    #[test]
    fn conversions() {
        let v = |s: &str| Value::from(s);
        assert_eq!(
            convert(Conv::SkuTier, &v("Standard_RAGRS")),
            Some(v("Standard"))
        );
        assert_eq!(
            convert(Conv::SkuReplication, &v("Standard_RAGRS")),
            Some(v("RAGRS"))
        );
        assert_eq!(
            convert(Conv::GibToMib, &Value::from(32)),
            Some(Value::from(32768))
        );
        assert_eq!(convert(Conv::FlexTier, &v("GeneralPurpose")), Some(v("GP")));
        assert_eq!(convert(Conv::FlexTier, &v("Other")), None);
    }
}
