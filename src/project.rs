//! The `Project`: what both inputs (plan JSON and HCL directories) produce, and what every
//! later stage (estimate, policy, report) reads. Nothing here knows about prices.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// A set of resources read from one plan or one HCL directory.
#[derive(Debug, Clone, Default)]
pub struct Project {
    /// Human name of the input (the path given on the command line).
    pub name: String,
    /// `plan` or `hcl`.
    pub input_kind: InputKind,
    pub resources: Vec<Resource>,
    /// Non-fatal problems met while reading (unknown count, unreadable module...).
    pub warnings: Vec<String>,
    /// `# costgate:ignore` comments of the `resource` blocks (HCL mode, or the .tf files of a
    /// plan), read once by the input layer for the policy stage.
    pub inline_waivers: Vec<InlineWaiver>,
    /// `# costgate:ignore` comments that could not be read (no reason, bad date): `check`
    /// refuses to run with them, `estimate` only warns.
    pub invalid_waivers: Vec<InvalidWaiver>,
    /// Module path without instance keys (`module.a`, `module.a.module.b`) → where its
    /// `module` block is (the call that passes the values).
    pub call_sites: BTreeMap<String, SourceLocation>,
    /// What the input could not show (HCL mode): modules not loaded, module calls whose
    /// `count`/`for_each` is unknown until apply. The `coverage` policy reports each.
    pub gaps: Vec<Gap>,
    /// Monorepo: the projects the resources come from (see [`crate::input::projects`]); empty for
    /// one root module.
    pub projects: Vec<ProjectInfo>,
}

/// One project of a monorepo run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectInfo {
    /// Prefix of its addresses (`envs/dev` in `envs/dev:aws_instance.x`).
    pub name: String,
    /// Its directory, relative to PATH.
    pub path: String,
    /// Its usage file (`[[projects]] usage`).
    pub usage: Option<std::path::PathBuf>,
}

/// Something of the configuration costgate could not see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// `module-not-loaded` or `unknown-repeat`.
    pub kind: &'static str,
    /// The module address (`module.a.module.b`; instance keys of the callers when known).
    pub address: String,
    /// The module's `source`, when it is a literal (URLs without user info or query).
    pub source: Option<String>,
    pub reason: String,
    pub location: Option<SourceLocation>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    #[default]
    Plan,
    Hcl,
}

/// What the change does to a resource instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Create,
    Update,
    /// `["delete","create"]`.
    Replace,
    /// `["create","delete"]` (create_before_destroy).
    ReplaceCreateFirst,
    Delete,
    /// Removed from state without destroying (`removed { destroy = false }`): keeps costing.
    Forget,
    NoOp,
    Read,
}

impl Action {
    pub fn from_actions(actions: &[String]) -> Option<Action> {
        let a: Vec<&str> = actions.iter().map(String::as_str).collect();
        Some(match a.as_slice() {
            ["create"] => Action::Create,
            ["update"] => Action::Update,
            ["delete", "create"] => Action::Replace,
            ["create", "delete"] => Action::ReplaceCreateFirst,
            ["delete"] => Action::Delete,
            ["forget"] | ["create", "forget"] => Action::Forget,
            ["no-op"] => Action::NoOp,
            ["read"] => Action::Read,
            _ => return None,
        })
    }

    /// The name used in the JSON contract and the policy input.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Replace | Action::ReplaceCreateFirst => "replace",
            Action::Delete => "delete",
            Action::Forget => "forget",
            Action::NoOp => "no-op",
            Action::Read => "read",
        }
    }

    /// Does the resource exist (and cost) before the change?
    pub fn has_before(self) -> bool {
        !matches!(self, Action::Create | Action::Read)
    }

    /// Does the resource exist (and cost) after the change? A forgotten resource keeps running.
    pub fn has_after(self) -> bool {
        !matches!(self, Action::Delete | Action::Read)
    }
}

/// Where a resource is declared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, PartialOrd, Ord)]
pub struct SourceLocation {
    pub file: String,
    pub line: usize,
}

/// An inline waiver: `# costgate:ignore <policy> reason="..." until=YYYY-MM-DD` directly above
/// a `resource` block (or on the first lines inside it). It covers every instance of the block,
/// in every instance of its module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineWaiver {
    /// Policy id or glob (`*` = every policy).
    pub policy: String,
    /// Module path without instance keys (`module.a.module.b`), empty at the root.
    pub module: String,
    /// `type.name` of the block.
    pub resource: String,
    pub reason: String,
    /// Last day the waiver applies (inclusive).
    pub until: Option<chrono::NaiveDate>,
    /// Where the comment is.
    pub source: SourceLocation,
}

impl InlineWaiver {
    /// `module.a.module.b.type.name` (no instance keys): matches every instance.
    pub fn address(&self) -> String {
        if self.module.is_empty() {
            self.resource.clone()
        } else {
            format!("{}.{}", self.module, self.resource)
        }
    }
}

/// A `costgate:ignore` comment that does not parse, with the text of its file so the
/// diagnostic can point at the line.
#[derive(Debug, Clone)]
pub struct InvalidWaiver {
    pub source: SourceLocation,
    pub message: String,
    pub file_text: std::sync::Arc<str>,
}

impl InvalidWaiver {
    /// The located diagnostic (exit code 2).
    pub fn diagnostic(&self) -> crate::error::FileError {
        let path = std::path::Path::new(&self.source.file);
        crate::error::FileError::at_line_col(
            path,
            &self.file_text,
            self.source.line,
            1,
            self.message.clone(),
            "this comment",
        )
        .with_code(crate::error::Code::Waiver)
        .with_help("write `# costgate:ignore <policy> reason=\"why\" until=YYYY-MM-DD`")
    }
}

/// One resource instance (one element of `count`/`for_each`).
#[derive(Debug, Clone)]
pub struct Resource {
    /// Full address, e.g. `module.gpu["a"].aws_instance.node[0]`.
    pub address: String,
    /// Module address (`module.gpu["a"]`), empty at the root.
    pub module: String,
    pub rtype: String,
    pub name: String,
    /// Provider short name (`aws`, `google`, `azurerm`, `databricks`, ...).
    pub provider: String,
    pub action: Action,
    pub before: Option<Attrs>,
    pub after: Option<Attrs>,
    /// Region or location the resource lives in, when known.
    pub region: Option<String>,
    /// Tags the provider will apply (provider default tags merged with the resource's own),
    /// for the state after the change (or before, for deletes). Sensitive values redacted.
    pub tags: BTreeMap<String, String>,
    /// False when some tag value is unknown until apply.
    pub tags_known: bool,
    /// For each attribute path (dotted, e.g. `launch_template.0.id`), the addresses of the
    /// resources its expression refers to. Used to follow links that are unknown at plan time.
    pub refs: BTreeMap<String, Vec<String>>,
    pub source: Option<SourceLocation>,
    /// Deposed object key, when this is a deposed object.
    pub deposed: Option<String>,
    /// HCL mode: why the number of instances is unknown (`count is unknown until apply`);
    /// the resource then stands for all of them, once, with every attribute unknown.
    pub unknown_instances: Option<String>,
}

impl Resource {
    /// The attributes of the state the resource is judged by: after, or before for deletes.
    pub fn current(&self) -> Option<&Attrs> {
        self.after.as_ref().or(self.before.as_ref())
    }
}

/// Attribute values of one side of a change, with the masks that say which leaves are
/// unknown until apply and which are sensitive.
#[derive(Debug, Clone, Default)]
pub struct Attrs {
    pub values: Value,
    pub unknown: Value,
    pub sensitive: Value,
}

/// The result of looking up one attribute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Field<'a> {
    Known(&'a Value),
    /// Known only after apply.
    Unknown,
    /// Not set (null or absent, and not unknown).
    Absent,
}

impl<'a> Field<'a> {
    pub fn known(self) -> Option<&'a Value> {
        match self {
            Field::Known(v) => Some(v),
            _ => None,
        }
    }
    pub fn is_unknown(self) -> bool {
        matches!(self, Field::Unknown)
    }
    pub fn as_str(self) -> Option<&'a str> {
        self.known().and_then(Value::as_str)
    }
    /// A number, also when given as a string (`"100"`), as HCL often does.
    pub fn as_f64(self) -> Option<f64> {
        match self.known()? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
    pub fn as_bool(self) -> Option<bool> {
        match self.known()? {
            Value::Bool(b) => Some(*b),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }
    pub fn as_array(self) -> &'a [Value] {
        match self.known() {
            Some(Value::Array(a)) => a,
            _ => &[],
        }
    }
}

fn step<'v>(v: &'v Value, seg: &str) -> Option<&'v Value> {
    match v {
        Value::Object(m) => m.get(seg),
        Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    }
}

/// Is `mask` true at `segs` or at any prefix of it?
fn mask_hit(mask: &Value, segs: &[&str]) -> bool {
    let mut cur = mask;
    for s in segs {
        if cur == &Value::Bool(true) {
            return true;
        }
        match step(cur, s) {
            Some(n) => cur = n,
            None => return false,
        }
    }
    cur == &Value::Bool(true)
}

impl Attrs {
    pub fn new(values: Value) -> Self {
        Attrs {
            values,
            unknown: Value::Bool(false),
            sensitive: Value::Bool(false),
        }
    }

    /// Look up a dotted path; a numeric segment indexes a list. Nested blocks are lists in
    /// plan JSON even when they hold one element, so `root_block_device.0.volume_size`.
    /// A sensitive attribute reads as unknown: nothing derived from it (a component name, a
    /// price key, a quantity, a region) can show it.
    pub fn get(&self, path: &str) -> Field<'_> {
        let segs: Vec<&str> = path.split('.').collect();
        if self.sensitive != Value::Bool(false) && mask_hit(&self.sensitive, &segs) {
            return Field::Unknown;
        }
        let mut cur = &self.values;
        for (i, s) in segs.iter().enumerate() {
            match step(cur, s) {
                Some(Value::Null) | None => {
                    return if mask_hit(&self.unknown, &segs[..=i]) {
                        Field::Unknown
                    } else {
                        Field::Absent
                    };
                }
                Some(n) => cur = n,
            }
        }
        Field::Known(cur)
    }

    /// A string attribute.
    pub fn str(&self, path: &str) -> Option<&str> {
        self.get(path).as_str()
    }

    pub fn is_sensitive(&self, path: &str) -> bool {
        let segs: Vec<&str> = path.split('.').collect();
        mask_hit(&self.sensitive, &segs)
    }

    /// The values with every sensitive leaf replaced by `"(sensitive)"`: the only form that
    /// may leave the process (reports, comments, policy input).
    pub fn redacted(&self) -> Value {
        redact(&self.values, &self.sensitive)
    }

    /// Replace the sensitive values themselves by `"(sensitive)"`, as soon as an input is
    /// read: code that walks the values (a family iterating a list of blocks) never meets a
    /// secret, and [`get`](Self::get) reads them as unknown.
    pub fn hide_sensitive(&mut self) {
        if self.sensitive != Value::Bool(false) && !self.sensitive.is_null() {
            self.values = redact(&self.values, &self.sensitive);
        }
    }
}

pub const REDACTED: &str = "(sensitive)";

/// The same mask without its `false` and empty parts (`false` when nothing is marked): what
/// `mask_hit` and [`redact`] read is unchanged, since a missing key counts as `false`. Plan
/// masks (`after_unknown`, `*_sensitive`) mirror the whole attribute tree and are mostly empty,
/// so this halves the memory a large plan needs.
pub fn prune_mask(mask: Value) -> Value {
    match mask {
        Value::Bool(true) => mask,
        Value::Object(o) => {
            let kept: serde_json::Map<String, Value> = o
                .into_iter()
                .map(|(k, v)| (k, prune_mask(v)))
                .filter(|(_, v)| v != &Value::Bool(false))
                .collect();
            if kept.is_empty() {
                Value::Bool(false)
            } else {
                Value::Object(kept)
            }
        }
        Value::Array(a) => {
            let mut items: Vec<Value> = a.into_iter().map(prune_mask).collect();
            while items.last() == Some(&Value::Bool(false)) {
                items.pop();
            }
            if items.is_empty() {
                Value::Bool(false)
            } else {
                Value::Array(items)
            }
        }
        _ => Value::Bool(false),
    }
}

/// Replace every leaf of `v` that `mask` marks `true` with [`REDACTED`].
pub fn redact(v: &Value, mask: &Value) -> Value {
    match mask {
        Value::Bool(true) => {
            if v.is_null() {
                Value::Null
            } else {
                Value::String(REDACTED.into())
            }
        }
        Value::Object(mm) => match v {
            Value::Object(vm) => Value::Object(
                vm.iter()
                    .map(|(k, x)| {
                        let m = mm.get(k).unwrap_or(&Value::Bool(false));
                        (k.clone(), redact(x, m))
                    })
                    .collect(),
            ),
            _ => v.clone(),
        },
        Value::Array(ma) => match v {
            Value::Array(va) => Value::Array(
                va.iter()
                    .enumerate()
                    .map(|(i, x)| redact(x, ma.get(i).unwrap_or(&Value::Bool(false))))
                    .collect(),
            ),
            _ => v.clone(),
        },
        _ => v.clone(),
    }
}

/// Provider short name from a resource type (`aws_instance` → `aws`).
pub fn provider_of_type(rtype: &str) -> &str {
    rtype.split('_').next().unwrap_or(rtype)
}

/// `module.a["x"].aws_instance.b[0]` → (`module.a["x"]`, `aws_instance`, `b`).
pub fn split_address(address: &str) -> (String, String, String) {
    // Dots outside brackets and quotes separate the parts.
    let mut parts = Vec::new();
    let (mut depth, mut quoted, mut start) = (0usize, false, 0usize);
    let bytes = address.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b'[' if !quoted => depth += 1,
            b']' if !quoted => depth = depth.saturating_sub(1),
            b'.' if !quoted && depth == 0 => {
                parts.push(&address[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&address[start.min(address.len())..]);
    let n = parts.len();
    if n < 2 {
        return (String::new(), String::new(), address.to_string());
    }
    let name = parts[n - 1]
        .split('[')
        .next()
        .unwrap_or_default()
        .to_string();
    (parts[..n - 2].join("."), parts[n - 2].to_string(), name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruned_masks_mark_the_same_paths() {
        let mask = serde_json::json!({"id": true, "tags": {}, "ebs": [{}, {"iops": true}, {}],
            "nested": [{"a": false}], "secret": true, "x": null});
        let pruned = prune_mask(mask.clone());
        assert_eq!(
            pruned,
            serde_json::json!({"id": true, "ebs": [false, {"iops": true}], "secret": true})
        );
        for path in [
            "id",
            "tags.k",
            "ebs.0.iops",
            "ebs.1.iops",
            "ebs.2.iops",
            "nested.0.a",
            "secret",
            "x",
        ] {
            let segs: Vec<&str> = path.split('.').collect();
            assert_eq!(mask_hit(&mask, &segs), mask_hit(&pruned, &segs), "{path}");
        }
        let v = serde_json::json!({"id": "i-1", "ebs": [{"iops": 1}, {"iops": 2}], "secret": "s", "tags": {"a": "b"}});
        assert_eq!(redact(&v, &mask), redact(&v, &pruned));
        assert_eq!(
            prune_mask(serde_json::json!({"a": {}, "b": [false]})),
            Value::Bool(false)
        );
    }
    use serde_json::json;

    #[test]
    fn unknown_is_not_absent() {
        let a = Attrs {
            values: json!({"instance_type": "p5.48xlarge", "ebs": [null]}),
            unknown: json!({"ami": true, "ebs": [true]}),
            sensitive: json!({"user_data": true}),
        };
        assert_eq!(a.get("instance_type").as_str(), Some("p5.48xlarge"));
        assert!(a.get("ami").is_unknown());
        assert!(a.get("ebs.0.size").is_unknown());
        assert_eq!(a.get("tags"), Field::Absent);
    }

    #[test]
    fn redaction_masks_sensitive_leaves() {
        let v = json!({"tags": {"a": "x", "secret": "hunter2"}, "list": ["p", "q"]});
        let m = json!({"tags": {"secret": true}, "list": [false, true]});
        let r = redact(&v, &m);
        assert_eq!(r["tags"]["secret"], REDACTED);
        assert_eq!(r["tags"]["a"], "x");
        assert_eq!(r["list"][1], REDACTED);
        assert!(!r.to_string().contains("hunter2"));
    }

    #[test]
    fn actions_map() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            Action::from_actions(&s(&["create", "delete"])),
            Some(Action::ReplaceCreateFirst)
        );
        assert_eq!(Action::from_actions(&s(&["bogus"])), None);
        assert!(Action::Forget.has_after());
        assert!(!Action::Delete.has_after());
    }
}
