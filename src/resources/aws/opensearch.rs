//! `aws_opensearch_domain` / `aws_elasticsearch_domain`: data nodes, dedicated master nodes and
//! UltraWarm nodes by instance type × count, and the EBS volume of each data node.
//! `aws_opensearchserverless_collection`: OpenSearch Compute Units (usage `ocu`; default the
//! minimum of 2, which an account's collections share).

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{Costing, View};

pub const FAMILY: Family = Family {
    name: "aws_opensearch",
    cloud: "aws",
    types: &[
        "aws_opensearch_domain",
        "aws_elasticsearch_domain",
        "aws_opensearchserverless_collection",
    ],
    reads: &[
        "cluster_config.0.instance_type",
        "cluster_config.0.instance_count",
        "cluster_config.0.dedicated_master_enabled",
        "cluster_config.0.dedicated_master_type",
        "cluster_config.0.dedicated_master_count",
        "cluster_config.0.warm_enabled",
        "cluster_config.0.warm_type",
        "cluster_config.0.warm_count",
        "ebs_options.0.ebs_enabled",
        "ebs_options.0.volume_size",
        "ebs_options.0.volume_type",
    ],
    price_keys: &[
        "opensearch/r6g.large.search",
        "opensearch/storage/gp3",
        "opensearch/storage/gp2",
        "opensearch/ultrawarm1.medium.search",
        "opensearch-serverless/ocu",
    ],
    cost,
};

/// `r5.large.elasticsearch` (Elasticsearch domains) is priced as `r5.large.search`.
fn search_type(t: &str) -> String {
    match t.strip_suffix(".elasticsearch") {
        Some(base) => format!("{base}.search"),
        None => t.to_string(),
    }
}

fn nodes(v: &View, c: &mut Costing, what: &str, ty_path: &str, count_path: &str, default: &str) {
    let ty = search_type(v.get(ty_path).as_str().unwrap_or(default));
    match v.num_or(count_path, Decimal::ONE) {
        Ok(n) => c.add(v.hourly(
            format!("{what} ({ty}) × {n}"),
            &format!("opensearch/{ty}"),
            n,
        )),
        Err(e) => c.unpriced.push(e),
    }
}

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    if v.res.rtype == "aws_opensearchserverless_collection" {
        let ocu = v.usage("ocu").unwrap_or(Decimal::TWO);
        c.add(v.hourly(
            format!("OpenSearch Compute Units ({ocu})"),
            "opensearch-serverless/ocu",
            ocu,
        ));
        c.notes.push(
            "OCUs are shared by the account's collections (minimum 2, or 4 with standby \
             replicas); set `ocu` for this collection's share; storage is not modelled"
                .into(),
        );
        return c;
    }
    nodes(
        v,
        &mut c,
        "data nodes",
        "cluster_config.0.instance_type",
        "cluster_config.0.instance_count",
        "m4.large.search",
    );
    if v.get("cluster_config.0.dedicated_master_enabled").as_bool() == Some(true) {
        nodes(
            v,
            &mut c,
            "dedicated master nodes",
            "cluster_config.0.dedicated_master_type",
            "cluster_config.0.dedicated_master_count",
            "m4.large.search",
        );
    }
    if v.get("cluster_config.0.warm_enabled").as_bool() == Some(true) {
        nodes(
            v,
            &mut c,
            "UltraWarm nodes",
            "cluster_config.0.warm_type",
            "cluster_config.0.warm_count",
            "ultrawarm1.medium.search",
        );
        c.notes
            .push("UltraWarm managed storage depends on the data moved (not modelled)".into());
    }
    if v.get("ebs_options.0.ebs_enabled").as_bool() == Some(true) {
        let size = v.num_or("ebs_options.0.volume_size", Decimal::from(10));
        let count = v.num_or("cluster_config.0.instance_count", Decimal::ONE);
        let ty = v.get("ebs_options.0.volume_type").as_str().unwrap_or("gp2");
        match (size, count) {
            (Ok(s), Ok(n)) => c.add(v.component(
                format!("EBS storage ({ty}, {s} GB × {n} nodes)"),
                &format!("opensearch/storage/{ty}"),
                s * n,
                "GB-months",
            )),
            (Err(e), _) | (_, Err(e)) => c.unpriced.push(e),
        }
    }
    c
}
