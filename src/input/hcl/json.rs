//! `.tf.json` (and `.tofu.json`) files: Terraform's JSON configuration syntax turned into the
//! same blocks as native `.tf` files.
//!
//! Strings are templates (`"${var.x}"`), except a variable's `default`, which is a literal
//! value. JSON has no syntax for "nested block" versus "attribute holding an object": without
//! the provider schema we read an object (or an array of objects) as nested blocks, except under
//! keys that are maps in every provider (`tags`, `labels`, `*_tags`, `*_labels`, ...) and in
//! bodies made only of attributes (`locals`, `module`, `output`, `variable`).

use std::path::Path;

use hcl::expr::{Expression, ObjectKey, TemplateExpr};
use hcl::{Attribute, Block, Body, Identifier, Structure};
use serde_json::Value;

use super::load::{ParsedFile, TopBlock};
use crate::error::{line_of, FileError};

/// Keys whose object values are maps (attributes), not nested blocks.
const MAP_KEYS: &[&str] = &[
    "tags",
    "tags_all",
    "labels",
    "resource_labels",
    "default_labels",
    "metadata",
    "variables",
    "environment",
    "triggers",
    "parameters",
    "custom_tags",
    "spark_conf",
    "spark_env_vars",
    "annotations",
    "node_labels",
    "providers",
];

fn is_map_key(k: &str) -> bool {
    MAP_KEYS.contains(&k) || k.ends_with("_tags") || k.ends_with("_labels")
}

/// Parse one JSON configuration file.
pub fn parse(path: &Path, text: &str) -> Result<ParsedFile, Box<FileError>> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        Box::new(
            FileError::at_line_col(
                path,
                text,
                e.line().max(1),
                e.column().max(1),
                format!("JSON syntax error in {}", path.display()),
                e.to_string(),
            )
            .with_code(crate::error::Code::InputHclSyntax),
        )
    })?;
    let Value::Object(top) = v else {
        return Err(Box::new(
            FileError::at_line_col(
                path,
                text,
                1,
                1,
                format!("{} must hold a JSON object", path.display()),
                "a Terraform JSON file is an object of block types",
            )
            .with_code(crate::error::Code::InputHclSyntax),
        ));
    };
    let line = |name: &str| {
        text.find(&format!("\"{name}\""))
            .map(|at| line_of(text, at))
            .unwrap_or(1)
    };
    let mut out = ParsedFile::default();
    let mut push = |block: Block, at: usize| {
        out.blocks.push(TopBlock {
            block,
            line: at,
            directives: Vec::new(),
        })
    };
    for (kind, v) in &top {
        match kind.as_str() {
            "resource" | "data" => {
                for (rtype, by_name) in objects(v) {
                    for (name, bodies) in objects(by_name) {
                        for b in each(bodies) {
                            let body = body_of(b, Kind::Blocks);
                            push(block(kind, &[rtype, name], body), line(name));
                        }
                    }
                }
            }
            "module" | "variable" | "output" | "provider" => {
                for (name, bodies) in objects(v) {
                    let k = match kind.as_str() {
                        "provider" => Kind::Blocks,
                        "variable" => Kind::Variable,
                        _ => Kind::Attrs,
                    };
                    for b in each(bodies) {
                        push(block(kind, &[name], body_of(b, k)), line(name));
                    }
                }
            }
            "locals" => {
                for b in each(v) {
                    push(block(kind, &[], body_of(b, Kind::Attrs)), line(kind));
                }
            }
            "terraform" => {
                for b in each(v) {
                    push(block(kind, &[], body_of(b, Kind::Blocks)), line(kind));
                }
            }
            // moved, removed, import, check, "//" comments: accepted, nothing to price.
            _ => {}
        }
    }
    Ok(out)
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Objects are nested blocks unless their key is a known map.
    Blocks,
    /// Everything is an attribute.
    Attrs,
    /// A variable: `type` is an expression written as a string, `default` a literal.
    Variable,
}

fn objects(v: &Value) -> Vec<(&String, &Value)> {
    match v {
        Value::Object(m) => m.iter().filter(|(k, _)| k.as_str() != "//").collect(),
        _ => Vec::new(),
    }
}

/// A block value may be one object or an array of them.
fn each(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().filter(|x| x.is_object()).collect(),
        Value::Object(_) => vec![v],
        _ => Vec::new(),
    }
}

fn block(kind: &str, labels: &[&String], body: Body) -> Block {
    let mut b = Block::builder(Identifier::sanitized(kind));
    for l in labels {
        b = b.add_label(l.as_str());
    }
    b.add_structures(body.into_inner()).build()
}

fn body_of(v: &Value, kind: Kind) -> Body {
    let mut out: Vec<Structure> = Vec::new();
    for (k, v) in objects(v) {
        let nested = kind == Kind::Blocks
            && !is_map_key(k)
            && match v {
                Value::Object(_) => true,
                Value::Array(a) => !a.is_empty() && a.iter().all(Value::is_object),
                _ => false,
            };
        if nested && k == "dynamic" {
            // "dynamic": {"name": {"for_each": ..., "content": {...}}}
            for (name, d) in objects(v) {
                for b in each(d) {
                    out.push(block("dynamic", &[name], body_of(b, Kind::Blocks)).into());
                }
            }
        } else if nested {
            for b in each(v) {
                out.push(block(k, &[], body_of(b, Kind::Blocks)).into());
            }
        } else {
            let expr = match (kind, k.as_str(), v) {
                (Kind::Variable, "type", Value::String(s)) => hcl::parse(&format!("t = {s}\n"))
                    .ok()
                    .and_then(|b| b.attributes().next().map(|a| a.expr.clone()))
                    .unwrap_or(Expression::Null),
                (Kind::Variable, "default", v) => literal(v),
                _ => expr(v),
            };
            out.push(Attribute::new(Identifier::sanitized(k), expr).into());
        }
    }
    Body::from(out)
}

/// A JSON value as an expression: strings are templates.
fn expr(v: &Value) -> Expression {
    match v {
        Value::String(s) if s.contains("${") || s.contains("%{") => {
            Expression::TemplateExpr(Box::new(TemplateExpr::QuotedString(s.clone())))
        }
        Value::Array(a) => Expression::Array(a.iter().map(expr).collect()),
        Value::Object(m) => Expression::Object(
            m.iter()
                .map(|(k, v)| {
                    (
                        ObjectKey::Expression(Expression::String(k.clone())),
                        expr(v),
                    )
                })
                .collect(),
        ),
        other => literal(other),
    }
}

fn literal(v: &Value) -> Expression {
    match v {
        Value::Null => Expression::Null,
        Value::Bool(b) => Expression::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Expression::Number(i.into()),
            None => n
                .as_f64()
                .and_then(hcl::Number::from_f64)
                .map(Expression::Number)
                .unwrap_or(Expression::Null),
        },
        Value::String(s) => Expression::String(s.clone()),
        Value::Array(a) => Expression::Array(a.iter().map(literal).collect()),
        Value::Object(m) => Expression::Object(
            m.iter()
                .map(|(k, v)| {
                    (
                        ObjectKey::Expression(Expression::String(k.clone())),
                        literal(v),
                    )
                })
                .collect(),
        ),
    }
}
