//! One golden snapshot per resource family (`resources::families()`, every cloud): the
//! family's fixture (`testdata/families/<name>/main.tf`, read in HCL mode, with the
//! `usage.toml` beside it when there is one) priced with the embedded catalogs, as a table of
//! components, quantities, unit prices and monthly costs, so a price or formula change shows
//! as a reviewable diff. A fixture with a terraform `plan.json` must price the same from it.

use std::fmt::Write as _;
use std::path::Path;

use costgate::estimate::{estimate, usage::Usage};
use costgate::pricing::Catalogs;

fn golden(name: &str, file: Option<&str>, types: &[&str]) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/families")
        .join(name);
    let input = file.map_or(dir.clone(), |f| dir.join(f));
    let project = costgate::input::load(&input, &Default::default())
        .unwrap_or_else(|e| panic!("{name}: fixture {} does not load: {e:?}", input.display()));
    let usage = match dir.join("usage.toml") {
        u if u.is_file() => Usage::load(&u).unwrap(),
        _ => Usage::default(),
    };
    let e = estimate(&project, &Catalogs::embedded().unwrap(), &usage);
    let mut out = String::new();
    for r in e
        .resources
        .iter()
        .filter(|r| types.contains(&r.rtype.as_str()))
    {
        let monthly = r.monthly_after.map(|m| m.to_string());
        let _ = writeln!(
            out,
            "{} [{:?}] {}: {}",
            r.address,
            r.action,
            r.region.as_deref().unwrap_or("-"),
            monthly.as_deref().unwrap_or("unpriced")
        );
        for c in &r.components {
            let _ = writeln!(
                out,
                "  {} | {} {} × {} ({}) = {}",
                c.name, c.quantity, c.unit, c.unit_price, c.price_key, c.monthly_cost
            );
        }
        if let Some(g) = &r.gpu {
            let _ = writeln!(out, "  gpu: {g:?}");
        }
        if let Some(i) = &r.idle {
            let _ = writeln!(out, "  idle: {i:?}");
        }
        for n in &r.notes {
            let _ = writeln!(out, "  note: {n}");
        }
        if let Some(u) = &r.unpriced_reason {
            let _ = writeln!(out, "  unpriced: {u}");
        }
    }
    out
}

/// A golden's resources (each with its indented lines), sorted by their first line.
fn by_resource(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        match out.last_mut() {
            Some(r) if line.starts_with("  ") => {
                r.push('\n');
                r.push_str(line);
            }
            _ => out.push(line.to_string()),
        }
    }
    out.sort();
    out
}

#[test]
fn every_family_matches_its_golden() {
    let mut n = 0;
    for f in costgate::resources::families() {
        let text = golden(f.name, None, f.types);
        for t in f.types {
            assert!(text.contains(&format!("{t}.")), "{}: no {t} priced", f.name);
        }
        let plan = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/families")
            .join(f.name)
            .join("plan.json");
        if plan.is_file() {
            // Terraform lists resources by address, HCL mode in source order: compare the
            // resources, not their order.
            assert_eq!(
                by_resource(&golden(f.name, Some("plan.json"), f.types)),
                by_resource(&text),
                "{}: the plan prices otherwise than the HCL",
                f.name
            );
        }
        insta::assert_snapshot!(f.name, text);
        n += 1;
    }
    assert!(n > 0, "no family registered");
}
