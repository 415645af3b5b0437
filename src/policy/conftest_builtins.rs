//! conftest's test builtins, as regorus extensions: `parse_config(parser, text)`,
//! `parse_config_file(path)` and `parse_combined_config_files(paths)`.
//!
//! Parsers: `hcl2` (also `hcl`, `tf`: the hcl2json shape conftest uses, every block a list
//! under its type and labels, an expression that is not a literal as `"${...}"` of the
//! expression), `json`, `yaml` (`yml`) and `toml`. Any other parser is an error that says so.
//! A relative path is taken from the folder of a policy file that calls the builtin (the first
//! where the file exists), and must stay inside that folder's tree: a policy cannot read
//! arbitrary files.

use std::path::{Path, PathBuf};

use regorus::Value as RegoValue;
use serde_json::{Map, Value};

use super::engine::Module;
use crate::error::Result;

const PARSERS: &str = "hcl2, json, yaml, toml";

/// Register the builtins when some module calls them.
pub fn register(engine: &mut regorus::Engine, modules: &[Module]) -> Result<()> {
    let uses = |name: &str| modules.iter().any(|m| !m.builtin && m.text.contains(name));
    if !uses("parse_config") && !uses("parse_combined_config_files") {
        return Ok(());
    }
    let mut roots: Vec<PathBuf> = modules
        .iter()
        .filter(|m| !m.builtin && m.text.contains("parse_c"))
        .filter_map(|m| Path::new(&m.path).parent().map(Path::to_path_buf))
        .collect();
    roots.dedup();
    let err = |e: anyhow::Error| miette::miette!("registering conftest builtins: {e}");
    engine
        .add_extension(
            "parse_config".into(),
            2,
            Box::new(|args: Vec<RegoValue>| {
                let parser = args[0].as_string()?.to_string();
                let text = args[1].as_string()?.to_string();
                to_rego(parse(&parser, &text)?)
            }),
        )
        .map_err(err)?;
    let r1 = roots.clone();
    engine
        .add_extension(
            "parse_config_file".into(),
            1,
            Box::new(move |args: Vec<RegoValue>| {
                let path = args[0].as_string()?.to_string();
                to_rego(parse_file(&r1, &path)?)
            }),
        )
        .map_err(err)?;
    engine
        .add_extension(
            "parse_combined_config_files".into(),
            1,
            Box::new(move |args: Vec<RegoValue>| {
                let mut out = Vec::new();
                for p in args[0].as_array()? {
                    let path = p.as_string()?.to_string();
                    let contents = parse_file(&roots, &path)?;
                    out.push(serde_json::json!({"path": path, "contents": contents}));
                }
                to_rego(Value::Array(out))
            }),
        )
        .map_err(err)?;
    Ok(())
}

fn to_rego(v: Value) -> anyhow::Result<RegoValue> {
    RegoValue::from_json_str(&v.to_string())
}

/// Parse `text` with conftest's parser `parser`.
pub fn parse(parser: &str, text: &str) -> anyhow::Result<Value> {
    Ok(match parser.to_ascii_lowercase().as_str() {
        "hcl2" | "hcl" | "tf" | "tfvars" => hcl2json(text)?,
        "json" => serde_json::from_str(text)?,
        "yaml" | "yml" => yaml_serde::from_str(text)?,
        "toml" => serde_json::to_value(toml::from_str::<toml::Value>(text)?)?,
        other => anyhow::bail!(
            "parse_config: parser `{other}` is not supported by costgate (supported: {PARSERS})"
        ),
    })
}

fn parse_file(roots: &[PathBuf], path: &str) -> anyhow::Result<Value> {
    let candidates: Vec<(PathBuf, &PathBuf)> = roots.iter().map(|r| (r.join(path), r)).collect();
    let Some((file, root)) = candidates.iter().find(|(f, _)| f.is_file()) else {
        anyhow::bail!("parse_config_file: {path} not found beside the policy files");
    };
    let (canon, root) = (file.canonicalize()?, root.canonicalize()?);
    if !canon.starts_with(&root) {
        anyhow::bail!("parse_config_file: {path} is outside the policy folder");
    }
    let ext = canon
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_string();
    let parser = match ext.as_str() {
        "tf" | "hcl" | "tfvars" => "hcl2",
        "yml" | "yaml" => "yaml",
        "json" => "json",
        "toml" => "toml",
        other => anyhow::bail!(
            "parse_config_file: no parser for `.{other}` files in costgate (supported: {PARSERS})"
        ),
    };
    parse(parser, &std::fs::read_to_string(&canon)?)
}

/// HCL text in the shape of hcl2json (conftest's `hcl2` parser).
fn hcl2json(text: &str) -> anyhow::Result<Value> {
    let body: hcl::Body = hcl::parse(text)?;
    Ok(Value::Object(body_json(body)))
}

fn body_json(body: hcl::Body) -> Map<String, Value> {
    let mut out = Map::new();
    for s in body.into_iter() {
        match s {
            hcl::Structure::Attribute(a) => {
                out.insert(a.key.to_string(), expr_json(a.expr));
            }
            hcl::Structure::Block(b) => {
                let mut slot = out
                    .entry(b.identifier.to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
                for l in &b.labels {
                    let key = match l {
                        hcl::BlockLabel::String(s) => s.clone(),
                        hcl::BlockLabel::Identifier(i) => i.to_string(),
                    };
                    if !slot.is_object() {
                        *slot = Value::Object(Map::new());
                    }
                    slot = slot
                        .as_object_mut()
                        .expect("an object")
                        .entry(key)
                        .or_insert_with(|| Value::Object(Map::new()));
                }
                let body = Value::Object(body_json(b.body));
                match slot {
                    Value::Array(a) => a.push(body),
                    Value::Object(o) if o.is_empty() => *slot = Value::Array(vec![body]),
                    other => *other = Value::Array(vec![body]),
                }
            }
        }
    }
    out
}

fn expr_json(e: hcl::Expression) -> Value {
    use hcl::Expression as E;
    match e {
        E::Null => Value::Null,
        E::Bool(b) => Value::Bool(b),
        E::Number(n) => serde_json::to_value(n).unwrap_or(Value::Null),
        E::String(s) => Value::String(s),
        E::Array(a) => Value::Array(a.into_iter().map(expr_json).collect()),
        E::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        hcl::ObjectKey::Identifier(i) => i.to_string(),
                        hcl::ObjectKey::Expression(E::String(s)) => s,
                        hcl::ObjectKey::Expression(x) => format!("${{{x}}}"),
                        other => other.to_string(),
                    };
                    (key, expr_json(v))
                })
                .collect(),
        ),
        E::TemplateExpr(t) => Value::String(match *t {
            hcl::TemplateExpr::QuotedString(s) => s,
            hcl::TemplateExpr::Heredoc(h) => h.template,
        }),
        other => Value::String(format!("${{{other}}}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hcl_takes_the_hcl2json_shape() {
        let v = parse(
            "hcl2",
            "resource \"aws_instance\" \"a\" {\n  instance_type = \"p5.48xlarge\"\n  count = var.n\n  tags = { team = \"ml\" }\n  ebs_block_device { volume_size = 10 }\n}\nresource \"aws_instance\" \"b\" {}\nterraform {}\n",
        )
        .unwrap();
        let a = &v["resource"]["aws_instance"]["a"][0];
        assert_eq!(a["instance_type"], "p5.48xlarge");
        assert_eq!(a["count"], "${var.n}");
        assert_eq!(a["tags"], json!({"team": "ml"}));
        assert_eq!(a["ebs_block_device"][0]["volume_size"], 10);
        assert!(v["resource"]["aws_instance"]["b"][0].is_object());
        assert_eq!(v["terraform"], json!([{}]));
    }

    #[test]
    fn other_formats_and_unknown_parsers() {
        assert_eq!(parse("yaml", "a: [1]").unwrap(), json!({"a": [1]}));
        assert_eq!(parse("toml", "a = 1").unwrap(), json!({"a": 1}));
        assert_eq!(parse("json", "{\"a\": 1}").unwrap(), json!({"a": 1}));
        let e = parse("dockerfile", "FROM x").unwrap_err().to_string();
        assert!(e.contains("`dockerfile` is not supported"), "{e}");
    }
}
