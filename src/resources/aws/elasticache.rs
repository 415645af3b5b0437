//! `aws_elasticache_cluster`, `aws_elasticache_replication_group`: node-hours by node type and
//! engine (Redis OSS, Valkey, Memcached) × node count. A cluster that joins a replication group
//! is billed through the group. `aws_elasticache_serverless_cache`: data stored (usage
//! `storage_gb`, average GB; default the billed minimum, 1 GB or 100 MB for Valkey) and
//! ElastiCache Processing Units (usage `ecpu_millions` per month).

use crate::money::Decimal;
use crate::resources::family::Family;
use crate::resources::{whole, Costing, View};

use super::usage_parts::scaled;

pub const FAMILY: Family = Family {
    name: "aws_elasticache",
    cloud: "aws",
    types: &[
        "aws_elasticache_cluster",
        "aws_elasticache_replication_group",
        "aws_elasticache_serverless_cache",
    ],
    reads: &[
        "engine",
        "node_type",
        "num_cache_nodes",
        "num_cache_clusters",
        "num_node_groups",
        "replicas_per_node_group",
        "replication_group_id",
    ],
    price_keys: &[
        "elasticache/redis/cache.r6g.large",
        "elasticache/valkey/cache.r6g.large",
        "elasticache/memcached/cache.r6g.large",
        "elasticache-serverless/redis/storage",
        "elasticache-serverless/valkey/storage",
        "elasticache-serverless/redis/ecpu",
        "elasticache-serverless/valkey/ecpu",
    ],
    cost,
};

fn engine(v: &View) -> String {
    match v.get("engine").as_str() {
        Some(e) => e.to_ascii_lowercase(),
        None => "redis".into(),
    }
}

fn nodes(v: &View, c: &mut Costing, count: Decimal) {
    let node = match v.required_str("node_type") {
        Ok(n) => n,
        Err(e) => return c.unpriced.push(e),
    };
    let e = engine(v);
    c.add(v.hourly(
        format!("{node} ({e}) × {count}"),
        &format!("elasticache/{e}/{node}"),
        count,
    ));
}

fn cost(v: &View) -> Costing {
    let mut c = Costing::default();
    match v.res.rtype.as_str() {
        "aws_elasticache_cluster" => {
            if v.get("replication_group_id").as_str().is_some()
                || v.unknown_from_config("replication_group_id")
            {
                c.notes.push(
                    "member of a replication group: its nodes are billed on the group".into(),
                );
                return c;
            }
            match v.num_or("num_cache_nodes", Decimal::ONE) {
                Ok(n) => nodes(v, &mut c, n),
                Err(e) => c.unpriced.push(e),
            }
        }
        "aws_elasticache_replication_group" => {
            let count = if v.get("num_node_groups").as_f64().is_some() {
                let groups = v.num_or("num_node_groups", Decimal::ONE);
                let replicas = v.num_or("replicas_per_node_group", Decimal::ZERO);
                match (groups, replicas) {
                    (Ok(g), Ok(r)) => Ok(g * (r + Decimal::ONE)),
                    (Err(e), _) | (_, Err(e)) => Err(e),
                }
            } else {
                v.num_or("num_cache_clusters", Decimal::ONE)
            };
            match count {
                Ok(n) => nodes(v, &mut c, Decimal::from(whole(n))),
                Err(e) => c.unpriced.push(e),
            }
        }
        _ => serverless(v, &mut c),
    }
    c
}

fn serverless(v: &View, c: &mut Costing) {
    let e = engine(v);
    let min = if e == "valkey" {
        Decimal::new(1, 1)
    } else {
        Decimal::ONE
    };
    let gb = v.usage("storage_gb").unwrap_or(min);
    c.add(v.hourly(
        format!("data stored ({gb} GB average)"),
        &format!("elasticache-serverless/{e}/storage"),
        gb,
    ));
    if v.usage("storage_gb").is_none() {
        c.notes.push(format!(
            "data stored: the billed minimum ({min} GB); set `storage_gb` for the real average"
        ));
    }
    c.add(scaled(
        v,
        "ElastiCache Processing Units",
        &format!("elasticache-serverless/{e}/ecpu"),
        "ecpu_millions",
        Decimal::ONE,
        "1M ECPUs",
    ));
}
