//! AI capacity and model prices from the `services/` tables of the source folder: Cloud TPU
//! slices (per chip-hour by accelerator type and generation, on-demand and spot), EC2
//! Capacity Blocks for ML (per instance-hour), and Azure OpenAI provisioned throughput units
//! (per PTU-hour by deployment type) and token meters (per 1M tokens by model, deployment type
//! and direction).
//!
//! Keys written:
//! * gcp `tpu/<accelerator type>` and `tpu-spot/<accelerator type>` (`v5litepod-8`): USD per
//!   chip-hour of that slice type; `tpu-chip/<generation>` and `tpu-chip-spot/<generation>`
//!   (`v5e`): per chip-hour of the smallest slice the region lists, for types it does not.
//! * aws `capacity-block/<instance type>`: USD per instance-hour of a block.
//! * azure `openai-ptu/<global|datazone|regional>`: USD per PTU-hour; `openai/<model>/<global|
//!   datazone|regional>/<input|output>`: USD per 1M tokens.

use std::collections::BTreeMap;
use std::path::Path;

use super::{entry, price, round6, Imported};
use crate::error::Result;
use crate::money::Decimal;
use crate::pricing::catalog::Source;

/// A `services/<name>.csv` table: header and rows (fields may be double-quoted).
struct ServiceTable {
    name: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl ServiceTable {
    fn read(dir: &Path, name: &str) -> Result<Option<ServiceTable>> {
        let file = dir.join("services").join(format!("{name}.csv"));
        if !file.is_file() {
            return Ok(None);
        }
        let text = crate::error::read_file(&file)?;
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let header = split_csv(lines.next().unwrap_or_default());
        let rows = lines.map(split_csv).collect();
        Ok(Some(ServiceTable {
            name: format!("services/{name}.csv"),
            header,
            rows,
        }))
    }

    /// Rows as the named columns (missing columns read as empty: the caller skips them).
    fn records<const N: usize>(&self, cols: [&str; N]) -> Vec<[&str; N]> {
        let idx: Vec<Option<usize>> = cols
            .iter()
            .map(|c| self.header.iter().position(|h| h == c))
            .collect();
        self.rows
            .iter()
            .map(|r| {
                std::array::from_fn(|i| {
                    idx[i]
                        .and_then(|j| r.get(j))
                        .map(String::as_str)
                        .unwrap_or("")
                })
            })
            .collect()
    }

    /// The newest `as_of` date (`YYYY-MM-DD`) in the table, else None.
    fn as_of(&self) -> Option<String> {
        self.records(["as_of"])
            .into_iter()
            .map(|[d]| d)
            .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
            .max()
            .map(String::from)
    }

    fn source(&self, title: &str, url: &str, licence: &str) -> Source {
        Source {
            title: format!("{title} ({})", self.name),
            url: Some(url.to_string()),
            as_of: self.as_of(),
            confidence: Some("list".into()),
            derivation: None,
            licence: Some(licence.to_string()),
        }
    }
}

/// One CSV line: commas split fields, except inside double quotes (`""` is a quote).
fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur).trim().to_string()),
            c => cur.push(c),
        }
    }
    out.push(cur.trim().to_string());
    out
}

/// Cloud TPU slices (gcp).
pub fn tpu(dir: &Path, imp: &mut Imported) -> Result<()> {
    let Some(t) = ServiceTable::read(dir, "gcp_tpu_anycloud_skypilot")? else {
        return Ok(());
    };
    let id = imp.source(
        "imp-gcp-tpu-anycloud".into(),
        t.source(
            "Cloud TPU slices per zone, on-demand and spot, with chips and price per chip-hour \
             (anycloud-sh/catalog, SkyPilot catalog format; facts cited); the lowest zone price \
             of a region is used",
            "https://cloud.google.com/tpu/pricing",
            "none stated: facts cited",
        ),
    );
    // (region, spot, type) → (chips, lowest slice price); (region, spot, generation) → rows.
    let mut slices: BTreeMap<(String, bool, String), (u32, Decimal, String)> = BTreeMap::new();
    for [r, sku, p, chips, gen, spot] in
        t.records(["region", "sku", "price", "chips", "generation", "spot"])
    {
        let (Some(p), Ok(chips), Some(ty)) =
            (price(p), chips.parse::<u32>(), sku.strip_prefix("tpu-"))
        else {
            continue;
        };
        if chips == 0 {
            continue;
        }
        let k = (r.to_string(), spot == "True", ty.to_string());
        let e = slices.entry(k).or_insert((chips, p, gen.to_string()));
        if p < e.1 {
            e.1 = p;
        }
    }
    // A region listing one slice price for every size of a generation is a defect of the
    // source (it happens: asia-east1 v6e): those rows are left out.
    let mut flat: BTreeMap<(String, bool, String), Vec<(u32, Decimal)>> = BTreeMap::new();
    for ((r, spot, _), (chips, p, gen)) in &slices {
        flat.entry((r.clone(), *spot, gen.clone()))
            .or_default()
            .push((*chips, *p));
    }
    let mut bad = Vec::new();
    for ((r, spot, gen), v) in &flat {
        let sizes: std::collections::BTreeSet<u32> = v.iter().map(|x| x.0).collect();
        let prices: std::collections::BTreeSet<Decimal> = v.iter().map(|x| x.1).collect();
        if sizes.len() > 1 && prices.len() == 1 {
            bad.push((r.clone(), *spot, gen.clone()));
        }
    }
    for (r, spot, gen) in &bad {
        imp.notes.push(format!(
            "TPU {gen} {r}{}: every slice size has the same price in the source; left out",
            if *spot { " spot" } else { "" }
        ));
    }
    let mut smallest: BTreeMap<(String, bool, String), (u32, Decimal)> = BTreeMap::new();
    for ((r, spot, ty), (chips, p, gen)) in &slices {
        if bad.contains(&(r.clone(), *spot, gen.clone())) {
            continue;
        }
        let per_chip = round6(*p / Decimal::from(*chips));
        let pre = if *spot { "tpu-spot" } else { "tpu" };
        let mut e = entry("chip-hour", Some(per_chip), None, &id);
        e.note = Some(format!("{ty} slice: {chips} chips at {p}/hour"));
        imp.put(r, format!("{pre}/{ty}"), e);
        let s = smallest
            .entry((r.clone(), *spot, gen.clone()))
            .or_insert((*chips, per_chip));
        if *chips < s.0 {
            *s = (*chips, per_chip);
        }
    }
    for ((r, spot, gen), (chips, per_chip)) in smallest {
        let pre = if spot { "tpu-chip-spot" } else { "tpu-chip" };
        let mut e = entry("chip-hour", Some(per_chip), None, &id);
        e.note = Some(format!(
            "TPU {gen} per chip-hour of the smallest slice listed in the region ({chips} chips)"
        ));
        imp.put(&r, format!("{pre}/{gen}"), e);
    }
    Ok(())
}

/// EC2 Capacity Blocks for ML (aws).
pub fn capacity_blocks(dir: &Path, imp: &mut Imported) -> Result<()> {
    let Some(t) = ServiceTable::read(dir, "aws_capacity_blocks_koyakimu")? else {
        return Ok(());
    };
    let id = imp.source(
        "imp-aws-capacity-blocks".into(),
        t.source(
            "EC2 Capacity Blocks for ML: block fee per instance-hour by region and instance type \
             (koyakimu/ec2-capacity-blocks-for-ml-pricing-json, from the AWS Capacity Blocks \
             pricing page; these prices move)",
            "https://aws.amazon.com/ec2/capacityblocks/pricing/",
            "facts cited",
        ),
    );
    for [r, sku, p] in t.records(["region", "sku", "price"]) {
        if let Some(p) = price(p) {
            imp.flat(r, format!("capacity-block/{sku}"), "instance-hour", p, &id);
        }
    }
    Ok(())
}

/// Bedrock provisioned throughput per model unit-hour by model and commitment term (aws;
/// the source lists legacy models only).
pub fn bedrock(dir: &Path, imp: &mut Imported) -> Result<()> {
    let Some(t) = ServiceTable::read(dir, "genai_token_prices_litellm")? else {
        return Ok(());
    };
    let id = imp.source(
        "imp-aws-bedrock-pt".into(),
        Source {
            // The file states only its year (2026): its first day, so that staleness checks
            // treat the prices as old rather than new.
            as_of: Some("2026-01-01".into()),
            ..t.source(
                "Amazon Bedrock provisioned throughput per model unit-hour by model and \
                 commitment term (litellm model price list, PyPI litellm 1.110.2; legacy models \
                 only; the file states no date, only the year 2026: dated 2026-01-01)",
                "https://aws.amazon.com/bedrock/pricing/",
                "MIT (litellm); facts cited",
            )
        },
    );
    for [svc, r, sku, p, term] in t.records(["service", "region", "sku", "price", "commitment"]) {
        if svc != "bedrock-provisioned-throughput" {
            continue;
        }
        let (Some(p), Some(term)) = (price(p), term.strip_suffix("-commitment")) else {
            continue;
        };
        let region = if r == "any" { "global" } else { r };
        let mut e = entry("model-unit-hour", Some(p), None, &id);
        if r == "any" {
            e.note = Some("the source names no region for this model".into());
        }
        imp.put(region, format!("bedrock-pt/{sku}/{term}"), e);
    }
    Ok(())
}

/// Azure OpenAI provisioned throughput and token meters (azure).
pub fn azure_openai(dir: &Path, imp: &mut Imported) -> Result<()> {
    let Some(t) = ServiceTable::read(dir, "azure_openai_meters_azure_genai_prices")? else {
        return Ok(());
    };
    let id = imp.source(
        "imp-azure-openai".into(),
        t.source(
            "Azure OpenAI meters (provisioned throughput units per hour, tokens per 1K) by \
             region, from the Azure Retail Prices API (PyPI azure-genai-prices snapshot)",
            "https://azure.microsoft.com/pricing/details/cognitive-services/openai-service/",
            "facts cited",
        ),
    );
    let mut rows = t.records([
        "region",
        "sku",
        "unit",
        "price",
        "effective_start",
        "product",
    ]);
    // Newest meter first: `put` keeps the first entry of a key.
    rows.sort_by(|a, b| b[4].cmp(a[4]));
    for [r, sku, unit, p, _, product] in rows {
        if product != "Azure OpenAI" || r.is_empty() {
            continue;
        }
        let Some(p) = price(p) else { continue };
        let region = if r == "Global" { "global" } else { r };
        let ptu = match sku {
            "Provisioned Managed Global Unit" => Some("global"),
            "Provisioned Managed Data Zone Unit" => Some("datazone"),
            "Provisioned Managed Regional Unit" => Some("regional"),
            _ => None,
        };
        if let Some(kind) = ptu {
            if unit == "1/Hour" {
                imp.flat(region, format!("openai-ptu/{kind}"), "PTU-hour", p, &id);
            }
            continue;
        }
        if unit != "1K" {
            continue;
        }
        if let Some((model, kind, dir)) = token_meter(sku) {
            let mut e = entry(
                "1M tokens",
                Some(round6(p * Decimal::from(1000))),
                None,
                &id,
            );
            e.note = Some(format!("meter `{sku}`: {p} per 1K tokens"));
            imp.put(region, format!("openai/{model}/{kind}/{dir}"), e);
        }
    }
    Ok(())
}

/// `gpt 4o 1120 Inp glbl Tokens` → (`gpt-4o-1120`, `global`, `input`); batch, cached and
/// fine-tuning meters, and meters that name no deployment type, give None.
pub fn token_meter(sku: &str) -> Option<(String, &'static str, &'static str)> {
    let lower = sku.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split([' ', '-'])
        .filter(|w| !w.is_empty() && *w != "tokens" && *w != "az")
        .collect();
    const SKIP: &[&str] = &[
        "batch", "cached", "cchd", "cache", "ft", "fine", "tuned", "training", "hosting", "grader",
    ];
    if words.iter().any(|w| SKIP.contains(w)) {
        return None;
    }
    let io = words.iter().position(|w| {
        matches!(
            *w,
            "inp" | "input" | "inpt" | "outp" | "output" | "outpt" | "opt"
        )
    })?;
    let dir = if words[io].starts_with('i') {
        "input"
    } else {
        "output"
    };
    let rest = words[io + 1..].join(" ");
    let kind = match rest.as_str() {
        "glbl" | "global" | "gl" => "global",
        "data zone" | "datazone" | "dzone" | "dz" => "datazone",
        "regnl" | "regional" | "rgnl" | "regn" => "regional",
        _ => return None,
    };
    let model = words[..io].join("-");
    (!model.is_empty()).then_some((model, kind, dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_meters_read_model_type_and_direction() {
        assert_eq!(
            token_meter("gpt 4o 1120 Inp glbl Tokens"),
            Some(("gpt-4o-1120".into(), "global", "input"))
        );
        assert_eq!(
            token_meter("gpt-4o-0806-Outp-regnl Tokens"),
            Some(("gpt-4o-0806".into(), "regional", "output"))
        );
        assert_eq!(
            token_meter("gpt 4.1 mini Inp Data Zone Tokens"),
            Some(("gpt-4.1-mini".into(), "datazone", "input"))
        );
        assert_eq!(token_meter("gpt 4o 1120 Batch Inp glbl Tokens"), None);
        assert_eq!(token_meter("gpt 4o 1120 cached Inp glbl Tokens"), None);
        assert_eq!(token_meter("Az-GPT-3.5-turbo Tokens"), None);
    }

    #[test]
    fn quoted_csv_fields_keep_their_commas() {
        assert_eq!(
            split_csv(r#"a,"b, c","d ""x""""#),
            vec!["a", "b, c", "d \"x\""]
        );
    }
}
