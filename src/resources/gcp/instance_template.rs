//! `google_compute_(region_)instance_template`: a template costs nothing by itself. When a
//! managed instance group or `google_compute_instance_from_template` in the configuration uses
//! it, the group prices its VMs. A GPU template nothing in the configuration launches is
//! started by a scheduler (Slurm nodesets of Google's cluster-toolkit, other launchers): its
//! GPUs are potential capacity, reported with the template's GPU model and the node count the
//! scheduler may reach — cost at the static (minimum) node count, quota at the maximum,
//! never 0 GPUs.
//!
//! The node counts come from the usage file (`min_nodes`, `max_nodes` for the template's
//! address), else from a Slurm nodeset configuration in the plan (a storage object whose YAML
//! names the template's `slurm_nodeset` label with `node_count_static` and
//! `node_count_dynamic_max`), else the template counts as one node at most, said in a note.

use crate::resources::aws::Nodes;
use crate::resources::{whole, Costing, IdleFacts, View};

use super::{gce_compute, guest_accelerators, scheduling_spot};

/// Types that start VMs from a template (and price them).
const CONSUMERS: &[&str] = &[
    "google_compute_instance_group_manager",
    "google_compute_region_instance_group_manager",
    "google_compute_instance_from_template",
];

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let used = v
        .ctx
        .referrers_of(&v.res.address)
        .any(|r| CONSUMERS.contains(&r.rtype.as_str()))
        || used_by_value(v);
    if used {
        c.notes
            .push("a template: priced on the groups and instances that use it".into());
        return c;
    }
    let Ok(machine) = v.required_str("machine_type") else {
        return c;
    };
    let accels = guest_accelerators(v, "guest_accelerator");
    let m = super::machine_name(machine);
    let bundled = v
        .ctx
        .catalogs
        .machine("gcp", m)
        .is_some_and(|s| s.gpu.is_some());
    if accels.is_empty() && !bundled {
        c.notes.push(
            "a template: costs nothing by itself (no group in the configuration uses it)".into(),
        );
        return c;
    }
    let nodes = node_counts(v, &mut c);
    gce_compute(
        v,
        &mut c,
        machine,
        &accels,
        nodes,
        scheduling_spot(v, "scheduling"),
        "static nodes",
    );
    if nodes.min > 0 && !v.get("disk").as_array().is_empty() {
        c.not_priced("disks of the static nodes are not priced".into());
    }
    if c.gpu.is_some() {
        c.idle = Some(IdleFacts::scale_floor(nodes.min, "static node count"));
    }
    c
}

/// A consumer naming the template by a known value (update plans): its `self_link`, `id` or
/// `name` in a group's `version.instance_template` or `source_instance_template`.
fn used_by_value(v: &View) -> bool {
    let mine: Vec<&str> = ["self_link", "id", "name"]
        .iter()
        .filter_map(|k| v.get(k).as_str())
        .collect();
    if mine.is_empty() {
        return false;
    }
    v.ctx.project.resources.iter().any(|r| {
        CONSUMERS.contains(&r.rtype.as_str())
            && r.current().is_some_and(|a| {
                ["version.0.instance_template", "source_instance_template"]
                    .iter()
                    .filter_map(|p| a.get(p).as_str())
                    .any(|t| mine.contains(&t))
            })
    })
}

/// min/max nodes: usage file, then a Slurm nodeset configuration, then one node at most.
fn node_counts(v: &View, c: &mut Costing) -> Nodes {
    let usage_max = v.usage("max_nodes").map(whole);
    let usage_min = v.usage("min_nodes").map(whole);
    if let Some(max) = usage_max {
        let min = usage_min.unwrap_or(0).min(max);
        c.notes.push(format!(
            "GPU template started by a scheduler: {min} to {max} node(s) from the usage file \
             (priced at {min}, counted in quotas at {max})"
        ));
        return Nodes {
            min,
            desired: min,
            max,
        };
    }
    if let Some((name, stat, dynamic)) = slurm_nodeset(v) {
        let max = stat + dynamic;
        c.notes.push(format!(
            "Slurm nodeset `{name}`: {stat} static + up to {dynamic} dynamic node(s) (priced at \
             the {stat} static, counted in quotas at {max})"
        ));
        return Nodes {
            min: stat,
            desired: stat,
            max,
        };
    }
    c.notes.push(
        "GPU template that nothing in the configuration launches (a scheduler or launcher \
         starts it): its node count is not in the configuration, so it counts as at most one \
         node; set `max_nodes` (and `min_nodes`) for it in the usage file"
            .into(),
    );
    Nodes {
        min: 0,
        desired: 0,
        max: 1,
    }
}

/// The Slurm nodeset this template belongs to (its `slurm_nodeset` label) and its static and
/// dynamic node counts, read from a known nodeset configuration object in the plan.
fn slurm_nodeset(v: &View) -> Option<(String, u64, u64)> {
    let name = v.get("labels.slurm_nodeset").as_str()?;
    v.ctx.project.resources.iter().find_map(|r| {
        if r.rtype != "google_storage_bucket_object" {
            return None;
        }
        let content = r.current()?.get("content").as_str()?;
        parse_nodeset(content, name)
    })
}

/// `node_count_static` and `node_count_dynamic_max` of the YAML nodeset named `name` (top-level
/// keys, as `yamlencode` writes them, quoted or not).
pub fn parse_nodeset(yaml: &str, name: &str) -> Option<(String, u64, u64)> {
    let mut found_name = false;
    let (mut stat, mut dynamic) = (None, None);
    for line in yaml.lines() {
        if line.starts_with([' ', '-', '\t']) {
            continue;
        }
        let Some((k, val)) = line.split_once(':') else {
            continue;
        };
        let k = k.trim().trim_matches(['"', '\'']);
        let val = val.trim().trim_matches(['"', '\'']);
        match k {
            "nodeset_name" => found_name = val == name,
            "node_count_static" => stat = val.parse::<u64>().ok(),
            "node_count_dynamic_max" => dynamic = val.parse::<u64>().ok(),
            _ => {}
        }
    }
    (found_name && (stat.is_some() || dynamic.is_some()))
        .then(|| (name.to_string(), stat.unwrap_or(0), dynamic.unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::parse_nodeset;

    #[test]
    fn nodeset_counts_come_from_the_named_nodeset_only() {
        let y = "\"gpu\":\n  \"count\": 8\n\"node_count_dynamic_max\": 16\n\"node_count_static\": 2\n\"nodeset_name\": \"a28nodeset\"\n";
        assert_eq!(
            parse_nodeset(y, "a28nodeset"),
            Some(("a28nodeset".into(), 2, 16))
        );
        assert_eq!(parse_nodeset(y, "other"), None);
    }
}
