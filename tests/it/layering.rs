//! Module layering, read from the sources (`crate::…` and `super::…` paths, `use child::…` in
//! a `mod.rs`; test modules and comments left out, as `scripts/module-graph.sh` does):
//! every top-level module imports only its own layer or the layers below it, no two modules
//! import each other (directly or round a loop), and no library module imports `clap` or
//! `cli`. The few known exceptions are listed: the test fails on a new one and on a listed
//! one that is gone (so the lists only shrink).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Allowed dependencies: a module may import modules of its own rank or lower.
/// input → resources → estimate → policy → report → github/compare → cli, with
/// settings/money/error/timing (and the price book, money only) below all and pricing/project
/// just above them.
const RANKS: &[(&str, u8)] = &[
    ("error", 0),
    ("money", 0),
    ("settings", 0),
    ("timing", 0),
    ("book", 0),
    ("pricing", 1),
    ("project", 1),
    ("input", 2),
    ("resources", 3),
    ("estimate", 4),
    ("policy", 5),
    ("report", 6),
    ("github", 7),
    ("compare", 7),
    ("cli", 8),
];

/// Known upward imports (module → module), to be removed.
const KNOWN_UPWARD: &[(&str, &str)] = &[
    // `Against` takes clap's `CompareArgs`/`Global`: to take a typed `Settings` instead.
    ("compare", "cli"),
];

/// Known loops of submodules (every module of one loop, sorted), to be removed.
const KNOWN_LOOPS: &[&str] = &[
    "input::hcl::eval input::hcl::funcs input::hcl::json input::hcl::load input::hcl::sandbox",
    "policy::config policy::schema",
    "policy::conftest_builtins policy::engine",
];

/// Library files that still use clap (`ValueEnum` derives of output formats), to be removed.
const KNOWN_CLAP: &[&str] = &["src/github/comment.rs", "src/report/mod.rs"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn modpath(root: &Path, p: &Path) -> Vec<String> {
    let rel = p.strip_prefix(root).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().map(String::as_str) == Some("mod") {
        parts.pop();
    }
    if parts == ["lib"] || parts == ["main"] {
        parts.clear();
    }
    parts
}

/// Module path → the module paths it imports.
type Edges = BTreeMap<Vec<String>, BTreeSet<Vec<String>>>;

/// Module → modules it imports, at full depth, and the source text of every file.
fn graph() -> (Edges, Vec<(PathBuf, String)>) {
    let root = src();
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    let mods: BTreeSet<Vec<String>> = files.iter().map(|p| modpath(&root, p)).collect();
    let resolve = |path: &[String]| -> Option<Vec<String>> {
        // `crate::projects` is re-exported from `input::projects`.
        let mut path = path.to_vec();
        if path.first().map(String::as_str) == Some("projects") {
            path.insert(0, "input".into());
        }
        (1..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|p| mods.contains(p))
    };
    let comment = regex::Regex::new(r"//[^\n]*").unwrap();
    let krate = regex::Regex::new(r"\bcrate((?:::\w+)+)").unwrap();
    let sup = regex::Regex::new(r"\b((?:super::)+)((?:\w+::)*\w+)").unwrap();
    let child = regex::Regex::new(r"(?m)^\s*use\s+(\w+)::").unwrap();
    let mut edges = Edges::new();
    let mut texts = Vec::new();
    for p in &files {
        let me = modpath(&root, p);
        let raw = std::fs::read_to_string(p).unwrap();
        let text = comment.replace_all(&raw, "").into_owned();
        let text = text.split("#[cfg(test)]").next().unwrap().to_string();
        let mut targets: Vec<Vec<String>> = Vec::new();
        for c in krate.captures_iter(&text) {
            targets.push(
                c[1].trim_matches(':')
                    .split("::")
                    .map(String::from)
                    .collect(),
            );
        }
        for c in sup.captures_iter(&text) {
            let up = c[1].matches("super::").count();
            let mut t: Vec<String> = me[..me.len().saturating_sub(up)].to_vec();
            t.extend(c[2].split("::").map(String::from));
            targets.push(t);
        }
        for c in child.captures_iter(&text) {
            let mut t = me.clone();
            t.push(c[1].to_string());
            if mods.contains(&t) {
                targets.push(t);
            }
        }
        for t in targets {
            if let Some(r) = resolve(&t) {
                if r != me && !r.starts_with(&me) && !me.starts_with(&r) {
                    edges.entry(me.clone()).or_default().insert(r);
                }
            }
        }
        texts.push((p.clone(), raw));
    }
    (edges, texts)
}

/// Edges between modules cut to `depth` path segments.
fn at_depth(edges: &Edges, depth: usize) -> BTreeMap<String, BTreeSet<String>> {
    let cut = |m: &[String]| m[..m.len().min(depth)].join("::");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (a, bs) in edges {
        for b in bs {
            let (x, y) = (cut(a), cut(b));
            if !x.is_empty()
                && !y.is_empty()
                && x != y
                && !y.starts_with(&format!("{x}::"))
                && !x.starts_with(&format!("{y}::"))
            {
                out.entry(x).or_default().insert(y);
            }
        }
    }
    out
}

/// The strongly connected components of more than one module (each sorted, joined by spaces).
fn loops(g: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<String> {
    let nodes: BTreeSet<&String> = g.keys().chain(g.values().flatten()).collect();
    let reach = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from];
        while let Some(n) = todo.pop() {
            for m in g.get(n).into_iter().flatten() {
                if seen.insert(m) {
                    todo.push(m);
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<&String>> =
        nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut out = BTreeSet::new();
    for n in &nodes {
        let scc: Vec<&str> = nodes
            .iter()
            .filter(|m| reaches[*n].contains(*m) && reaches[*m].contains(*n))
            .map(|m| m.as_str())
            .collect();
        if scc.len() > 1 {
            out.insert(scc.join(" "));
        }
    }
    out
}

#[test]
fn modules_import_only_their_layer_or_below() {
    let (edges, _) = graph();
    let top = at_depth(&edges, 1);
    let rank = |m: &str| {
        RANKS
            .iter()
            .find(|(n, _)| *n == m)
            .map(|(_, r)| *r)
            .unwrap_or_else(|| panic!("module `{m}` has no rank in RANKS"))
    };
    let mut upward = BTreeSet::new();
    for (a, bs) in &top {
        for b in bs {
            if rank(b) > rank(a) {
                upward.insert((a.clone(), b.clone()));
            }
        }
    }
    let known: BTreeSet<(String, String)> = KNOWN_UPWARD
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(
        upward, known,
        "upward imports (module → module of a higher layer)"
    );
}

#[test]
fn no_module_loops_besides_the_known_ones() {
    let (edges, _) = graph();
    let mut top = at_depth(&edges, 1);
    for (a, b) in KNOWN_UPWARD {
        if let Some(s) = top.get_mut(*a) {
            s.remove(*b);
        }
    }
    assert_eq!(loops(&top), BTreeSet::new(), "top-level module loops");
    let deep = loops(&at_depth(&edges, usize::MAX));
    let known: BTreeSet<String> = KNOWN_LOOPS.iter().map(|s| s.to_string()).collect();
    assert_eq!(deep, known, "submodule loops");
}

#[test]
fn no_library_module_imports_clap_or_cli() {
    let (_, texts) = graph();
    let root = src();
    let lib_files = texts.iter().filter(|(p, _)| {
        let rel = p.strip_prefix(&root).unwrap();
        !rel.starts_with("cli") && rel != Path::new("main.rs") && rel != Path::new("lib.rs")
    });
    let mut clap = BTreeSet::new();
    let mut cli = BTreeSet::new();
    for (p, text) in lib_files {
        let rel = format!("src/{}", p.strip_prefix(&root).unwrap().display());
        let code = text.split("#[cfg(test)]").next().unwrap();
        if code.contains("clap::") {
            clap.insert(rel.clone());
        }
        if code.contains("crate::cli")
            && !KNOWN_UPWARD
                .iter()
                .any(|(a, _)| rel.starts_with(&format!("src/{a}")))
        {
            cli.insert(rel);
        }
    }
    let known: BTreeSet<String> = KNOWN_CLAP.iter().map(|s| s.to_string()).collect();
    assert_eq!(clap, known, "library files using clap");
    assert_eq!(cli, BTreeSet::new(), "library files using crate::cli");
}
