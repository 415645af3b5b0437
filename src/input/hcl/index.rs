//! The source index: where each `resource` block of a module tree is declared and which
//! inline waivers (`# costgate:ignore` comments) it carries. Built once from the HCL loader's
//! module tree, it serves both inputs: HCL mode (waivers) and plan mode, where it maps a plan
//! address (`module.a["x"].aws_instance.y[0]`) to its block and adds the waivers. Instance
//! keys do not matter (every instance shares its block, every module instance its files), so
//! blocks are keyed by the chain of module call names and `type.name`.

use std::collections::HashMap;
use std::path::Path;

use super::modules::{load_tree, ModuleTree};
use crate::error::Result;
use crate::project::{InlineWaiver, InvalidWaiver, Project, SourceLocation};

/// Resource blocks by (module call names, `type.name`), and their inline waivers.
#[derive(Debug, Default)]
pub struct SourceIndex {
    map: HashMap<(Vec<String>, String), SourceLocation>,
    waivers: Vec<InlineWaiver>,
    invalid: Vec<InvalidWaiver>,
}

impl SourceIndex {
    /// Read the module tree rooted at `dir`. Returns the index and warnings (modules that
    /// could not be found).
    pub fn build(
        dir: &Path,
        sandbox: &super::sandbox::Sandbox,
        max_modules: usize,
    ) -> Result<(SourceIndex, Vec<String>)> {
        let (tree, warnings) = load_tree(dir, sandbox, max_modules)?;
        Ok((SourceIndex::from_tree(&tree), warnings))
    }

    /// Index a module tree the HCL loader has read.
    pub fn from_tree(tree: &ModuleTree) -> SourceIndex {
        let mut idx = SourceIndex::default();
        idx.add(tree, &mut Vec::new());
        idx
    }

    fn add(&mut self, tree: &ModuleTree, path: &mut Vec<String>) {
        let module: Vec<String> = path.iter().map(|n| format!("module.{n}")).collect();
        let module = module.join(".");
        for r in tree.src.resources.iter() {
            let key = (path.clone(), format!("{}.{}", r.rtype, r.name));
            self.map.insert(key, r.loc.clone());
            self.waivers.extend(r.waivers.iter().map(|w| InlineWaiver {
                module: module.clone(),
                ..w.clone()
            }));
        }
        for r in tree.src.data.iter() {
            let key = (path.clone(), format!("data.{}.{}", r.rtype, r.name));
            self.map.insert(key, r.loc.clone());
        }
        // A directory called by several module blocks is one set of comments.
        for w in &tree.src.invalid_waivers {
            if !self.invalid.iter().any(|i| i.source == w.source) {
                self.invalid.push(w.clone());
            }
        }
        for (name, child) in &tree.calls {
            if let Some(c) = child {
                path.push(name.clone());
                self.add(c, path);
                path.pop();
            }
        }
    }

    /// Where the resource at `address` is declared.
    pub fn locate(&self, address: &str) -> Option<&SourceLocation> {
        let (mods, local) = split_address(address)?;
        self.map.get(&(mods, local))
    }

    /// Inline waivers, addressed by module path and `type.name` (no instance keys).
    pub fn waivers(&self) -> &[InlineWaiver] {
        &self.waivers
    }

    /// Give a project what the index knows: `source` on every resource that has none, the
    /// inline waivers, and the comments that do not parse (also as warnings, for `estimate`).
    pub fn annotate(&self, project: &mut Project) {
        for r in &mut project.resources {
            if r.source.is_none() {
                r.source = self.locate(&r.address).cloned();
            }
        }
        project.inline_waivers.extend(self.waivers.iter().cloned());
        for w in &self.invalid {
            project.warnings.push(format!(
                "{}:{}: {}; `check` refuses to run until it is fixed",
                w.source.file, w.source.line, w.message
            ));
        }
        project.invalid_waivers.extend(self.invalid.iter().cloned());
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// `module.a["x.y"].module.b[0].aws_instance.c[1]` → (`["a", "b"]`, `aws_instance.c`).
/// Instance keys are dropped, quoted keys may hold dots and brackets.
pub fn split_address(address: &str) -> Option<(Vec<String>, String)> {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut chars = address.chars();
    while let Some(c) = chars.next() {
        match c {
            '.' => parts.push(std::mem::take(&mut cur)),
            '[' => skip_key(&mut chars)?,
            _ => cur.push(c),
        }
    }
    parts.push(cur);
    let mut mods = Vec::new();
    let mut i = 0;
    while parts.get(i).map(String::as_str) == Some("module") {
        mods.push(parts.get(i + 1)?.clone());
        i += 2;
    }
    let rest = &parts[i..];
    let local = match rest {
        [t, n] => format!("{t}.{n}"),
        [d, t, n] if d == "data" => format!("data.{t}.{n}"),
        _ => return None,
    };
    Some((mods, local))
}

/// Consume an instance key up to its closing `]`.
fn skip_key(chars: &mut std::str::Chars) -> Option<()> {
    let mut in_str = false;
    let mut escaped = false;
    for c in chars.by_ref() {
        match (in_str, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (_, false, '"') => in_str = !in_str,
            (false, _, ']') => return Some(()),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split() {
        let (m, l) = split_address("module.a[\"x.y]\"].module.b[0].aws_instance.c[1]").unwrap();
        assert_eq!(m, vec!["a", "b"]);
        assert_eq!(l, "aws_instance.c");
        let (m, l) = split_address("aws_ebs_volume.fe[\"big\"]").unwrap();
        assert!(m.is_empty());
        assert_eq!(l, "aws_ebs_volume.fe");
        assert_eq!(
            split_address("module.a.data.aws_region.r").unwrap().1,
            "data.aws_region.r"
        );
        assert!(split_address("module.a[\"unterminated").is_none());
        assert!(split_address("justone").is_none());
    }
}
