//! Override files (`override.tf`, `*_override.tf`, and their `.tf.json` / `.tofu` forms),
//! merged into the blocks of the other files as Terraform does: an attribute replaces the one
//! of the same name, nested blocks of a type replace all blocks of that type, locals replace
//! by name.

use std::path::Path;

use hcl::expr::Expression;
use hcl::{Block, Body};

use super::load::{attr, label, ModuleSrc};
use crate::project::SourceLocation;

/// Merge an override file's attributes and nested blocks into `base`: an attribute replaces
/// the one of the same name; nested blocks of a type replace all blocks of that type.
fn merge_body(base: &mut Body, over: &Body) {
    let over_blocks: std::collections::HashSet<&str> =
        over.blocks().map(|b| b.identifier.as_str()).collect();
    let over_attrs: std::collections::HashSet<&str> =
        over.attributes().map(|a| a.key.as_str()).collect();
    let mut merged: Vec<hcl::Structure> = std::mem::take(&mut base.0)
        .into_iter()
        .filter(|s| match s {
            hcl::Structure::Attribute(a) => !over_attrs.contains(a.key.as_str()),
            hcl::Structure::Block(b) => !over_blocks.contains(b.identifier.as_str()),
        })
        .collect();
    merged.extend(over.iter().cloned());
    base.0 = merged;
}

impl ModuleSrc {
    /// Apply one block of an override file (Terraform's override-file rules).
    pub(super) fn merge_override(&mut self, b: Block, file: &Path, line: usize) {
        let labels: Vec<String> = b.labels.iter().map(label).collect();
        let found = match (b.identifier.as_str(), labels.as_slice()) {
            ("resource", [t, n]) | ("data", [t, n]) => {
                let list = if b.identifier.as_str() == "resource" {
                    &mut self.resources
                } else {
                    &mut self.data
                };
                list.iter_mut()
                    .find(|r| &r.rtype == t && &r.name == n)
                    .map(|r| merge_body(&mut r.body, &b.body))
                    .is_some()
            }
            ("module", [name]) => self
                .calls
                .iter_mut()
                .find(|c| &c.name == name)
                .map(|c| {
                    merge_body(&mut c.body, &b.body);
                    if let Some(Expression::String(s)) = attr(&c.body, "source") {
                        c.source = Some(s.clone());
                    }
                })
                .is_some(),
            ("variable", [name]) => self
                .variables
                .iter_mut()
                .find(|v| &v.name == name)
                .map(|v| {
                    if let Some(d) = attr(&b.body, "default") {
                        v.default = Some(d.clone());
                    }
                    if let Some(t) = attr(&b.body, "type") {
                        v.ty = Some(t.clone());
                    }
                    if let Some(s) = attr(&b.body, "sensitive") {
                        v.sensitive = matches!(s, Expression::Bool(true));
                    }
                    if let Some(n) = attr(&b.body, "nullable") {
                        v.nullable = !matches!(n, Expression::Bool(false));
                    }
                })
                .is_some(),
            ("output", [name]) => self
                .outputs
                .get_mut(name)
                .map(|o| {
                    if let Some(e) = attr(&b.body, "value") {
                        o.0 = e.clone();
                    }
                })
                .is_some(),
            ("provider", [name]) => {
                let alias = |body: &Body| attr(body, "alias").cloned();
                let want = alias(&b.body);
                self.providers
                    .iter_mut()
                    .find(|(n, body)| n == name && alias(body) == want)
                    .map(|(_, body)| merge_body(body, &b.body))
                    .is_some()
            }
            ("locals", []) => {
                for a in b.body.attributes() {
                    self.locals.insert(a.key.to_string(), a.expr.clone());
                }
                true
            }
            ("terraform", []) => {
                self.add_block(b, self.location(file, line), Vec::new());
                true
            }
            _ => true,
        };
        if !found {
            self.warnings.push(format!(
                "{}:{line}: override block has nothing to override (Terraform rejects this); ignored",
                file.display()
            ));
        }
    }

    fn location(&self, file: &Path, line: usize) -> SourceLocation {
        SourceLocation {
            file: file.display().to_string(),
            line,
        }
    }
}
