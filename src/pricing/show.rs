//! `costgate pricing show`: the prices in use as a table (key, region, unit, price, source,
//! as_of), filtered by cloud, region and key substring.

use std::fmt::Write as _;

use crate::pricing::catalog::PriceEntry;
use crate::pricing::Catalogs;

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub cloud: Option<String>,
    pub region: Option<String>,
    pub substr: Option<String>,
}

struct Row {
    cloud: String,
    key: String,
    region: String,
    unit: String,
    price: String,
    source: String,
    as_of: String,
}

fn price_text(e: &PriceEntry) -> String {
    match (&e.price, &e.tiers) {
        (Some(p), _) => p.normalize().to_string(),
        (None, Some(t)) => t
            .iter()
            .map(|t| match t.upto {
                Some(u) => format!("{}≤{}", t.price.normalize(), u.normalize()),
                None => t.price.normalize().to_string(),
            })
            .collect::<Vec<_>>()
            .join(" / "),
        _ => "-".into(),
    }
}

/// Render the table; `None` when nothing matches.
pub fn render(cats: &Catalogs, f: &Filter) -> Option<String> {
    let needle = f.substr.as_deref().map(str::to_ascii_lowercase);
    let mut rows = Vec::new();
    for (cloud, c) in &cats.prices {
        if f.cloud.as_deref().is_some_and(|x| x != cloud) {
            continue;
        }
        for (region, entries) in &c.prices {
            if f.region.as_deref().is_some_and(|x| x != region) {
                continue;
            }
            for (key, e) in entries {
                if needle
                    .as_deref()
                    .is_some_and(|n| !key.to_ascii_lowercase().contains(n))
                {
                    continue;
                }
                let as_of = e
                    .as_of
                    .clone()
                    .or_else(|| c.sources.get(&e.source).and_then(|s| s.as_of.clone()))
                    .unwrap_or_else(|| c.generated_at.clone());
                rows.push(Row {
                    cloud: cloud.clone(),
                    key: key.clone(),
                    region: region.clone(),
                    unit: e.unit.clone(),
                    price: price_text(e),
                    source: e.source.clone(),
                    as_of,
                });
            }
        }
    }
    if rows.is_empty() {
        return None;
    }
    let head = [
        "CLOUD",
        "KEY",
        "REGION",
        "UNIT",
        "PRICE (USD)",
        "SOURCE",
        "AS OF",
    ];
    let cells: Vec<[&str; 7]> = rows
        .iter()
        .map(|r| {
            [
                r.cloud.as_str(),
                &r.key,
                &r.region,
                &r.unit,
                &r.price,
                &r.source,
                &r.as_of,
            ]
        })
        .collect();
    let mut w = head.map(|h| h.chars().count());
    for c in &cells {
        for (i, s) in c.iter().enumerate() {
            w[i] = w[i].max(s.chars().count());
        }
    }
    let mut out = String::new();
    for line in std::iter::once(head).chain(cells.iter().copied()) {
        let mut l = String::new();
        for (i, s) in line.iter().enumerate() {
            let pad = w[i] - s.chars().count();
            let _ = write!(l, "{s}{}  ", " ".repeat(pad));
        }
        let _ = writeln!(out, "{}", l.trim_end());
    }
    let _ = writeln!(out, "{} price(s)", rows.len());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_narrow_the_table() {
        let cats = Catalogs::embedded_full().unwrap();
        let f = Filter {
            cloud: Some("aws".into()),
            region: Some("us-east-1".into()),
            substr: Some("p5.48".into()),
        };
        let t = render(&cats, &f).unwrap();
        assert!(t.contains("ec2/p5.48xlarge") && t.contains("55.04"), "{t}");
        assert!(!t.contains("us-west-2"));
        let none = Filter {
            substr: Some("no-such-key".into()),
            ..Default::default()
        };
        assert!(render(&cats, &none).is_none());
    }
}
