//! Databricks resource families. Clusters are priced as the cloud VMs they run on; Databricks
//! Units (DBUs) are billed by Databricks on top and are not included.

pub mod cluster;
pub mod instance_pool;

/// The Databricks families (one line per family).
pub const FAMILIES: &[&super::family::Family] = &[&cluster::FAMILY, &instance_pool::FAMILY];

/// The cloud a Databricks node type belongs to: `Standard_NC6s_v3` is Azure, `g5.xlarge` is
/// AWS, `a2-highgpu-1g` is GCP.
pub fn cloud_of_node_type(t: &str) -> Option<&'static str> {
    if t.to_ascii_lowercase().starts_with("standard_") {
        Some("azure")
    } else if t.contains('.') {
        Some("aws")
    } else if t.split('-').count() >= 2 {
        Some("gcp")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::cloud_of_node_type;

    #[test]
    fn node_type_clouds() {
        assert_eq!(cloud_of_node_type("g5.xlarge"), Some("aws"));
        assert_eq!(cloud_of_node_type("Standard_NC6s_v3"), Some("azure"));
        assert_eq!(cloud_of_node_type("a2-highgpu-1g"), Some("gcp"));
        assert_eq!(cloud_of_node_type("weird"), None);
    }
}
