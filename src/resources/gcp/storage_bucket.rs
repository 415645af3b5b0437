//! `google_storage_bucket`: usage-based. Storage (usage `storage_gb`) at the bucket's
//! `storage_class` (default STANDARD) and location; egress comes from the generic egress keys.

use crate::resources::{Costing, View};

pub fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    let class = v
        .get("storage_class")
        .as_str()
        .unwrap_or("STANDARD")
        .to_ascii_uppercase();
    let class = if class == "REGIONAL" || class == "MULTI_REGIONAL" {
        c.notes
            .push(format!("legacy class {class} billed as STANDARD"));
        "STANDARD".to_string()
    } else {
        class
    };
    // A configurable dual-region (`location = "US"` or `"EU"` with two `data_locations`) is
    // billed per region pair, not at the multi-region's price: not in the catalogs.
    if !matches!(
        v.get("custom_placement_config.0.data_locations"),
        crate::project::Field::Absent
    ) {
        c.unpriced.push(
            "configurable dual-region (custom_placement_config): its per-region-pair storage price is not in the catalog".into(),
        );
        return c;
    }
    if v.get("autoclass.0.enabled").as_bool() == Some(true) {
        c.notes
            .push("autoclass moves objects between classes: priced at the starting class".into());
    }
    c.add(v.usage_component(
        format!("{class} storage"),
        &format!("gcs/{class}/storage"),
        "storage_gb",
        "GB-months",
    ));
    c
}
