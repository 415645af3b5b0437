//! Embeds the price catalogs compactly: each `pricing/<cloud>.json` (in the layout the catalog
//! writer renders: one region per block, one entry per line) is split into its header
//! (schema, sources) and one deflate-compressed JSON object per region, so the binary carries
//! a fraction of the JSON and `costgate` inflates and parses only the regions a plan uses.
//!
//! Output per cloud in `OUT_DIR`: `<cloud>.head.json` (the catalog with empty `prices`),
//! `<cloud>.bin` (compressed regions back to back) and `<cloud>.idx` (`region offset len`
//! lines). A catalog not in the writer's layout fails the build with the line that breaks it.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    for cloud in ["aws", "azure", "gcp"] {
        let path = format!("pricing/{cloud}.json");
        println!("cargo:rerun-if-changed={path}");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let (head, regions, entry_keys) = split(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut bin = Vec::new();
        let mut idx = String::new();
        // key → indices of the regions that price it (for "priced elsewhere" messages).
        let mut keys: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        for (i, k) in entry_keys {
            keys.entry(k).or_default().push(i);
        }
        let mut ktext = String::new();
        for (k, rs) in &keys {
            let list: Vec<String> = rs.iter().map(|r| r.to_string()).collect();
            let _ = writeln!(ktext, "{k} {}", list.join(","));
        }
        std::fs::write(
            out.join(format!("{cloud}.keys")),
            miniz_oxide::deflate::compress_to_vec(ktext.as_bytes(), 6),
        )
        .expect("write keys");
        for (region, body) in regions {
            let z = miniz_oxide::deflate::compress_to_vec(body.as_bytes(), 6);
            let _ = writeln!(idx, "{region} {} {}", bin.len(), z.len());
            bin.extend_from_slice(&z);
        }
        std::fs::write(out.join(format!("{cloud}.head.json")), head).expect("write head");
        std::fs::write(out.join(format!("{cloud}.bin")), bin).expect("write bin");
        std::fs::write(out.join(format!("{cloud}.idx")), idx).expect("write idx");
    }
    println!("cargo:rerun-if-changed=build.rs");
}

type Split = (String, Vec<(String, String)>, Vec<(usize, String)>);

/// Header text (with `"prices": {}`), each region's entries as a JSON object, and the
/// (region index, key) pairs.
fn split(text: &str) -> Result<Split, String> {
    let mut keys = Vec::new();
    let marker = "\n  \"prices\": {";
    let at = text
        .find(marker)
        .ok_or("no `  \"prices\": {` line (render it with the catalog writer)")?;
    let head = format!("{}\n  \"prices\": {{}}\n}}\n", &text[..at]);
    let mut regions = Vec::new();
    let mut current: Option<(String, String)> = None;
    for (n, line) in text[at + marker.len()..].lines().enumerate() {
        let bad = || format!("line {} after \"prices\": unexpected `{line}`", n + 1);
        if let Some(rest) = line.strip_prefix("    \"") {
            let (name, tail) = rest.split_once('"').ok_or_else(bad)?;
            if tail != ": {" && tail != ": {}" && tail != ": {}," {
                return Err(bad());
            }
            let body = if tail == ": {" {
                "{".to_string()
            } else {
                "{}".to_string()
            };
            if let Some(done) = current.take() {
                regions.push(done);
            }
            current = Some((name.to_string(), body));
        } else if let Some(entry) = line.strip_prefix("      \"") {
            let (_, body) = current.as_mut().ok_or_else(bad)?;
            let (key, _) = entry.split_once("\": ").ok_or_else(bad)?;
            keys.push((regions.len(), key.to_string()));
            body.push_str(line.trim());
        } else if line == "    }" || line == "    }," {
            let (_, body) = current.as_mut().ok_or_else(bad)?;
            body.push('}');
        } else if line == "  }" || line == "}" || line.is_empty() {
        } else {
            return Err(bad());
        }
    }
    if let Some(done) = current.take() {
        regions.push(done);
    }
    Ok((head, regions, keys))
}
