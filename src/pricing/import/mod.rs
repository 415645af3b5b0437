//! `costgate pricing import DIR`: rebuild the catalogs from a folder of public price tables
//! (CSV, one header row; the layout of `../shared/pricing-sources`, documented in
//! pricing/README.md) instead of the live price APIs.
//!
//! Each cloud module turns its files into an [`Imported`] set: entries per region and key,
//! the sources they name (ids start with `imp-`, carry `as_of`, `confidence` and, for derived
//! prices, `derivation`) and the machine facts that can be read from the type names. [`merge`]
//! lays that over the current catalog the way `refresh` does: a hand-checked entry that is
//! newer than the imported one stays, everything the importer made before is replaced, keys
//! the importer does not produce are left alone. The result is rendered by the same writer as
//! `refresh` ([`crate::pricing::refresh::write`]) and is a pure function of the inputs: the
//! same folder and the same old catalog give byte-identical files (no clock is read).

pub mod ai;
pub mod aws;
pub mod aws_services;
pub mod azure;
pub mod facts;
pub mod gcp;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::money::Decimal;
use crate::pricing::catalog::{Catalog, MachineSpec, Machines, PriceEntry, Source, Tier};
use crate::pricing::refresh::write;

/// Prefix of every source id the importer writes (so a re-import can replace its own work).
pub const ID_PREFIX: &str = "imp-";

/// One CSV table.
#[derive(Debug, Clone)]
pub struct Table {
    pub file: PathBuf,
    /// File name, for source titles.
    pub name: String,
    /// The `YYYY-MM-DD` date at the end of the file name (the date the source states).
    pub date: String,
    header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Column index by header name.
    pub fn col(&self, name: &str) -> Result<usize> {
        self.header.iter().position(|h| h == name).ok_or_else(|| {
            miette::miette!(
                code = crate::error::Code::PricingImport,
                "{} has no `{name}` column (header: {})",
                self.file.display(),
                self.header.join(",")
            )
        })
    }

    /// Rows as the named columns, in file order.
    pub fn records<const N: usize>(&self, cols: [&str; N]) -> Result<Vec<[&str; N]>> {
        let idx: Vec<usize> = cols.iter().map(|c| self.col(c)).collect::<Result<_>>()?;
        Ok(self
            .rows
            .iter()
            .map(|r| std::array::from_fn(|i| r.get(idx[i]).map(String::as_str).unwrap_or("")))
            .collect())
    }
}

/// The newest `<prefix>YYYY-MM-DD.csv` in `dir`, parsed; None when there is none.
pub fn table(dir: &Path, prefix: &str) -> Result<Option<Table>> {
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    let rd = std::fs::read_dir(dir).map_err(|e| {
        miette::miette!(
            code = crate::error::Code::PricingImport,
            "cannot read the source folder {}: {e}",
            dir.display()
        )
    })?;
    for ent in rd.flatten() {
        let name = ent.file_name().to_string_lossy().into_owned();
        if let Some(date) = name
            .strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(".csv"))
            .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
        {
            found.push((date.to_string(), ent.path()));
        }
    }
    found.sort();
    let Some((date, file)) = found.pop() else {
        return Ok(None);
    };
    read_table(file, date).map(Some)
}

/// `services/<name>.csv` in `dir` (the per-service tables, dated by their `as_of` column: the
/// newest date in it), parsed; None when there is none.
pub fn service_table(dir: &Path, name: &str) -> Result<Option<Table>> {
    let file = dir.join("services").join(format!("{name}.csv"));
    if !file.is_file() {
        return Ok(None);
    }
    let mut t = read_table(file, String::new())?;
    let dates: Vec<String> = t
        .records(["as_of"])?
        .into_iter()
        .map(|[d]| d.to_string())
        .collect();
    t.date = dates
        .into_iter()
        .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
        .max()
        .ok_or_else(|| {
            miette::miette!(
                code = crate::error::Code::PricingImport,
                "{}: no `as_of` date in YYYY-MM-DD form",
                t.file.display()
            )
        })?;
    Ok(Some(t))
}

/// Parse one CSV file (one header row, no quoted fields).
fn read_table(file: PathBuf, date: String) -> Result<Table> {
    let text = crate::error::read_file(&file)?;
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<String> = lines
        .next()
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for (i, l) in lines.enumerate() {
        if l.contains('"') {
            return Err(miette::miette!(
                code = crate::error::Code::PricingImport,
                "{}:{}: quoted CSV fields are not supported by the importer",
                file.display(),
                i + 2
            ));
        }
        rows.push(l.split(',').map(|s| s.trim().to_string()).collect());
    }
    Ok(Table {
        name: file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        file,
        date,
        header,
        rows,
    })
}

/// A price cell: a positive decimal, or None (empty, zero or unparsable cells are skipped and
/// counted by the caller).
pub fn price(cell: &str) -> Option<Decimal> {
    cell.parse::<Decimal>()
        .ok()
        .filter(|d| *d > Decimal::ZERO)
        .map(|d| d.normalize())
}

/// Round a derived price to 6 decimal places (half away from zero), trailing zeros dropped.
pub fn round6(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(6, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// What one cloud's sources produced.
#[derive(Debug, Default, Clone)]
pub struct Imported {
    pub cloud: String,
    pub sources: BTreeMap<String, Source>,
    /// region → key → entry.
    pub prices: BTreeMap<String, BTreeMap<String, PriceEntry>>,
    /// Machine facts read from type names, for priced types the machine file lacks.
    pub machines: BTreeMap<String, MachineSpec>,
    /// Counts and skipped rows, for the summary.
    pub notes: Vec<String>,
}

impl Imported {
    pub fn new(cloud: &str) -> Self {
        Imported {
            cloud: cloud.to_string(),
            ..Default::default()
        }
    }

    /// A flat price.
    pub fn flat(&mut self, region: &str, key: String, unit: &str, p: Decimal, source: &str) {
        self.put(region, key, entry(unit, Some(p), None, source));
    }

    pub fn put(&mut self, region: &str, key: String, e: PriceEntry) {
        self.prices
            .entry(region.to_string())
            .or_default()
            .entry(key)
            .or_insert(e);
    }

    pub fn get(&self, region: &str, key: &str) -> Option<&PriceEntry> {
        self.prices.get(region).and_then(|m| m.get(key))
    }

    pub fn source(&mut self, id: String, s: Source) -> String {
        self.sources.insert(id.clone(), s);
        id
    }
}

pub fn entry(unit: &str, p: Option<Decimal>, tiers: Option<Vec<Tier>>, source: &str) -> PriceEntry {
    PriceEntry {
        unit: unit.to_string(),
        price: p,
        tiers,
        source: source.to_string(),
        as_of: None,
        note: None,
        extra: Default::default(),
    }
}

/// A source read straight from a table.
pub fn list_source(t: &Table, title: &str, url: &str, licence: Option<&str>) -> Source {
    Source {
        title: format!("{title} ({})", t.name),
        url: Some(url.to_string()),
        as_of: Some(t.date.clone()),
        confidence: Some("list".into()),
        derivation: None,
        licence: licence.map(String::from),
    }
}

/// Internet egress tiers from `tier_start_gb,usd_per_gb` rows (bands start at the given GB).
pub fn tiers_from_starts(mut starts: Vec<(Decimal, Decimal)>) -> Option<Vec<Tier>> {
    starts.sort();
    starts.dedup_by(|a, b| a.0 == b.0);
    let mut tiers = Vec::new();
    if starts.first().is_some_and(|s| s.0 > Decimal::ZERO) {
        // The first band (below the first listed start) is free.
        tiers.push(Tier {
            upto: Some(starts[0].0),
            price: Decimal::ZERO,
        });
    }
    for (i, (_, p)) in starts.iter().enumerate() {
        tiers.push(Tier {
            upto: starts.get(i + 1).map(|n| n.0),
            price: *p,
        });
    }
    (!tiers.is_empty()).then_some(tiers)
}

/// Lay `imp` over `base`: returns the merged catalog and machine file.
///
/// * base entries from an earlier import (source id `imp-…`) are dropped;
/// * a base entry for a key the import produced stays when its date is not older than the
///   imported one (a newer hand-checked or refreshed price), else the imported entry replaces it;
/// * sources no entry names any more are dropped; `generated_at` is the newest date among the
///   old catalog's and the sources' (never the clock);
/// * machine facts the import derived from names (`confidence: name`) are regenerated; curated
///   facts are never touched.
pub fn merge(base: &Catalog, base_m: &Machines, imp: &Imported) -> (Catalog, Machines) {
    let mut c = base.clone();
    let date_of = |c: &Catalog, e: &PriceEntry| -> String {
        e.as_of
            .clone()
            .or_else(|| c.sources.get(&e.source).and_then(|s| s.as_of.clone()))
            .unwrap_or_else(|| c.generated_at.clone())
    };
    for m in c.prices.values_mut() {
        m.retain(|_, e| !e.source.starts_with(ID_PREFIX));
    }
    c.sources.retain(|id, _| !id.starts_with(ID_PREFIX));
    for (id, s) in &imp.sources {
        c.sources.insert(id.clone(), s.clone());
    }
    for (region, entries) in &imp.prices {
        for (key, e) in entries {
            let new_date = date_of(&c, e);
            let keep_old = c
                .prices
                .get(region)
                .and_then(|m| m.get(key))
                .is_some_and(|old| date_of(&c, old) >= new_date);
            if !keep_old {
                c.prices
                    .entry(region.clone())
                    .or_default()
                    .insert(key.clone(), e.clone());
            }
        }
    }
    let used: BTreeSet<String> = c
        .prices
        .values()
        .flat_map(|m| m.values().map(|e| e.source.clone()))
        .collect();
    c.sources.retain(|id, _| used.contains(id));
    let newest = c.sources.values().filter_map(|s| s.as_of.clone()).max();
    if let Some(n) = newest.filter(|n| n.len() == 10 && *n > c.generated_at) {
        c.generated_at = n;
    }
    c.generator = Some(
        "costgate pricing import (public price tables, see pricing/README.md) over hand-checked \
         entries; `costgate pricing refresh` updates it from the price APIs"
            .into(),
    );

    let mut m = base_m.clone();
    m.types.retain(|_, s| !is_name_derived(s));
    let priced: BTreeSet<&str> = c
        .prices
        .values()
        .flat_map(|r| r.keys())
        .filter_map(|k| crate::pricing::verify::machine_of_key(&c.cloud, k))
        .collect();
    for t in priced {
        if !m.types.contains_key(t) {
            if let Some(spec) = imp.machines.get(t) {
                m.types.insert(t.to_string(), spec.clone());
            }
        }
    }
    (c, m)
}

fn is_name_derived(s: &MachineSpec) -> bool {
    s.extra.get("confidence").and_then(|v| v.as_str()) == Some("name")
}

/// Render a machine file: one type per line, like the price files.
pub fn render_machines(m: &Machines) -> String {
    use std::fmt::Write as _;
    let mut s = String::from("{\n");
    let _ = writeln!(s, "  \"schema_version\": {},", m.schema_version);
    let _ = writeln!(s, "  \"cloud\": {},", write::j(&m.cloud));
    if let Some(n) = &m.note {
        let _ = writeln!(s, "  \"note\": {},", write::j(n));
    }
    s.push_str("  \"types\": {");
    for (i, (t, spec)) in m.types.iter().enumerate() {
        let sep = if i == 0 { "\n" } else { ",\n" };
        let _ = write!(s, "{sep}    {}: {}", write::j(t), write::j(spec));
    }
    s.push_str("\n  },\n  \"accelerators\": {");
    for (i, (t, spec)) in m.accelerators.iter().enumerate() {
        let sep = if i == 0 { "\n" } else { ",\n" };
        let _ = write!(s, "{sep}    {}: {}", write::j(t), write::j(spec));
    }
    s.push_str("\n  }\n}\n");
    s
}

/// Import every cloud that has source tables in `dir` into `out`; returns a summary.
pub fn run(dir: &Path, out: &Path) -> Result<String> {
    let mut summary = String::new();
    // The current catalogs: `out`'s files, else the embedded ones, every region parsed.
    let full = crate::pricing::Catalogs::load_full(Some(out))?;
    for cloud in crate::pricing::CLOUDS {
        let mut imp = match *cloud {
            "aws" => aws::import(dir)?,
            "azure" => azure::import(dir)?,
            _ => gcp::import(dir)?,
        };
        match *cloud {
            "aws" => {
                ai::capacity_blocks(dir, &mut imp)?;
                ai::bedrock(dir, &mut imp)?
            }
            "azure" => ai::azure_openai(dir, &mut imp)?,
            _ => ai::tpu(dir, &mut imp)?,
        }
        if imp.prices.is_empty() {
            summary.push_str(&format!("{cloud}: no source tables in {}\n", dir.display()));
            continue;
        }
        let p_path = out.join(format!("{cloud}.json"));
        let m_path = out.join("machines").join(format!("{cloud}.json"));
        let base = full.prices[*cloud].clone();
        let base_m = full.machines[*cloud].clone();
        let (c, m) = merge(&base, &base_m, &imp);
        let r = crate::pricing::verify::verify_catalog(&c, &m, None, 0);
        if let Some(e) = r.errors.first() {
            return Err(miette::miette!(
                code = crate::error::Code::PricingImport,
                help = "nothing was written",
                "the imported {cloud} catalog does not verify: {e} ({} problem(s))",
                r.errors.len()
            ));
        }
        write::write_catalog(&p_path, &c)?;
        let mt = render_machines(&m);
        Machines::parse(&m_path, &mt)?;
        write::write_atomic(&m_path, mt.as_bytes())?;
        let n: usize = c.prices.values().map(|r| r.len()).sum();
        let imported: usize = imp.prices.values().map(|r| r.len()).sum();
        summary.push_str(&format!(
            "{cloud}: {} region(s), {n} prices ({imported} imported), {} machine types -> {}\n",
            c.prices.len(),
            m.types.len(),
            p_path.display()
        ));
        for note in &imp.notes {
            summary.push_str(&format!("  {note}\n"));
        }
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                copy_dir(&p, &to.join(e.file_name()));
            } else {
                std::fs::copy(&p, to.join(e.file_name())).unwrap();
            }
        }
    }

    fn files(dir: &Path) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for c in crate::pricing::CLOUDS {
            for rel in [format!("{c}.json"), format!("machines/{c}.json")] {
                out.insert(
                    rel.clone(),
                    std::fs::read_to_string(dir.join(&rel)).unwrap(),
                );
            }
        }
        out
    }

    /// The importer on a small fixture of the source layout: the output is the committed
    /// snapshot, byte for byte, and a second run over its own output changes nothing.
    #[test]
    fn import_of_the_fixture_matches_the_snapshot_and_is_reproducible() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let out = tempfile::tempdir().unwrap();
        copy_dir(&root.join("pricing-import/base"), out.path());
        let summary = run(&root.join("pricing-sources-mini"), out.path()).unwrap();
        assert!(
            summary.contains("1 scaled by the us-east-1 change"),
            "{summary}"
        );
        let first = files(out.path());
        let expected = files(&root.join("pricing-import/expected"));
        for (rel, text) in &expected {
            assert!(first[rel] == *text, "{rel} differs from the snapshot");
        }
        run(&root.join("pricing-sources-mini"), out.path()).unwrap();
        assert_eq!(files(out.path()), first);
        // The rules, read back: unchanged carried, changed scaled, Windows row left out,
        // spot = on-demand less the saving, anycloud H100 rows unused.
        let aws = &expected["aws.json"];
        assert!(aws.contains(r#""ec2/p9.48xlarge": {"unit": "hour", "price": "60""#));
        assert!(aws.contains(r#""ec2-spot/m9.large": {"unit": "hour", "price": "0.0385""#));
        let azure = &expected["azure.json"];
        assert!(!azure.contains("\"vm/standard_d4as_v9\""));
        assert!(azure.contains("\"vm-spot/standard_d4as_v9\""));
        assert!(!expected["gcp.json"].contains("h100"));
    }

    #[test]
    fn missing_source_folder_is_a_clear_error() {
        let out = tempfile::tempdir().unwrap();
        let err = run(Path::new("/nonexistent/sources"), out.path()).unwrap_err();
        assert!(format!("{err}").contains("cannot read the source folder"));
    }
}
