//! Built-in policies, embedded from `policies/`, and the `# METADATA` header every policy
//! file may carry (regorus ignores comments, so we read it ourselves).
//!
//! Header convention (a YAML subset, as in OPA annotations): the block starts with a line
//! `# METADATA` and runs over the following `#` lines; `key: value` pairs, `description: |`
//! followed by more-indented lines, and a `custom:` map holding `id`, `severity` and optionally
//! `resources_with: [field, ...]`: the policy only reads resources where one of those fields is
//! set (not null, not false), so it is evaluated on just those (see docs/policies.md).
//!
//! ```rego
//! # METADATA
//! # title: Allowed GPU regions
//! # description: |
//! #   GPUs only in regions with committed capacity.
//! # custom:
//! #   id: allowed-gpu-regions
//! #   severity: warn
//! package costgate.allowed_gpu_regions
//! ```

use super::finding::Severity;

/// One embedded policy file.
pub struct Builtin {
    pub file: &'static str,
    pub text: &'static str,
}

/// The built-in policies.
pub const POLICIES: &[Builtin] = &[
    Builtin {
        file: "required_tags.rego",
        text: include_str!("../../policies/required_tags.rego"),
    },
    Builtin {
        file: "gpu_quota.rego",
        text: include_str!("../../policies/gpu_quota.rego"),
    },
    Builtin {
        file: "idle_autopause.rego",
        text: include_str!("../../policies/idle_autopause.rego"),
    },
    Builtin {
        file: "budget.rego",
        text: include_str!("../../policies/budget.rego"),
    },
    Builtin {
        file: "savings_spot.rego",
        text: include_str!("../../policies/savings_spot.rego"),
    },
    Builtin {
        file: "savings_gp3.rego",
        text: include_str!("../../policies/savings_gp3.rego"),
    },
    Builtin {
        file: "savings_schedule.rego",
        text: include_str!("../../policies/savings_schedule.rego"),
    },
    Builtin {
        file: "savings_min_zero.rego",
        text: include_str!("../../policies/savings_min_zero.rego"),
    },
    Builtin {
        file: "savings_notebook_size.rego",
        text: include_str!("../../policies/savings_notebook_size.rego"),
    },
    Builtin {
        file: "coverage.rego",
        text: include_str!("../../policies/coverage.rego"),
    },
    Builtin {
        file: "idle_commitment.rego",
        text: include_str!("../../policies/idle_commitment.rego"),
    },
];

/// The built-in policies' Rego tests (`costgate policy test`).
pub const TESTS: &[Builtin] = &[
    Builtin {
        file: "required_tags_test.rego",
        text: include_str!("../../policies/required_tags_test.rego"),
    },
    Builtin {
        file: "gpu_quota_test.rego",
        text: include_str!("../../policies/gpu_quota_test.rego"),
    },
    Builtin {
        file: "idle_autopause_test.rego",
        text: include_str!("../../policies/idle_autopause_test.rego"),
    },
    Builtin {
        file: "budget_test.rego",
        text: include_str!("../../policies/budget_test.rego"),
    },
    Builtin {
        file: "savings_spot_test.rego",
        text: include_str!("../../policies/savings_spot_test.rego"),
    },
    Builtin {
        file: "savings_gp3_test.rego",
        text: include_str!("../../policies/savings_gp3_test.rego"),
    },
    Builtin {
        file: "savings_schedule_test.rego",
        text: include_str!("../../policies/savings_schedule_test.rego"),
    },
    Builtin {
        file: "savings_min_zero_test.rego",
        text: include_str!("../../policies/savings_min_zero_test.rego"),
    },
    Builtin {
        file: "savings_notebook_size_test.rego",
        text: include_str!("../../policies/savings_notebook_size_test.rego"),
    },
    Builtin {
        file: "coverage_test.rego",
        text: include_str!("../../policies/coverage_test.rego"),
    },
    Builtin {
        file: "idle_commitment_test.rego",
        text: include_str!("../../policies/idle_commitment_test.rego"),
    },
];

/// What a `# METADATA` header says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    pub id: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub severity: Option<Severity>,
    /// `resources_with`: input resource fields; the policy sees only resources with one set.
    pub resources_with: Option<Vec<String>>,
}

/// Parse the first `# METADATA` block of a Rego file.
pub fn metadata(text: &str) -> Metadata {
    let mut lines = text.lines().skip_while(|l| l.trim() != "# METADATA");
    if lines.next().is_none() {
        return Metadata::default();
    }
    let body: Vec<&str> = lines
        .map_while(|l| l.strip_prefix('#'))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    let mut m = Metadata::default();
    let mut i = 0;
    while i < body.len() {
        let line = body[i];
        i += 1;
        let indent = line.len() - line.trim_start().len();
        let Some((key, value)) = line.trim().split_once(':') else {
            continue;
        };
        let value = value.trim();
        let value = if value == "|" || value == ">" {
            let mut block = Vec::new();
            while i < body.len() && (body[i].trim().is_empty() || leading(body[i]) > indent) {
                block.push(body[i].trim());
                i += 1;
            }
            let sep = if value == "|" { "\n" } else { " " };
            block.join(sep).trim().to_string()
        } else {
            unquote(value).to_string()
        };
        match key.trim() {
            "id" => m.id = Some(value),
            "title" => m.title = Some(value),
            "description" => m.description = Some(value),
            "severity" => m.severity = parse_severity(&value),
            "resources_with" => m.resources_with = Some(inline_list(&value)),
            _ => {}
        }
    }
    m
}

/// `[a, "b"]` (or a single `a`) → `["a", "b"]`.
fn inline_list(v: &str) -> Vec<String> {
    let inner = v
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .unwrap_or(v);
    inner
        .split(',')
        .map(|x| unquote(x.trim()).to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

fn leading(l: &str) -> usize {
    l.len() - l.trim_start().len()
}

fn unquote(v: &str) -> &str {
    v.strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(v)
}

/// `deny`/`error`/`high` → deny, `warn`/`warning`/`medium`/`low` → warn, `info`/`note`/
/// `notice`/`advice` → info.
pub fn parse_severity(s: &str) -> Option<Severity> {
    match s.trim().to_ascii_lowercase().as_str() {
        "deny" | "error" | "high" | "critical" | "failure" => Some(Severity::Deny),
        "warn" | "warning" | "medium" | "low" => Some(Severity::Warn),
        "info" | "note" | "notice" | "advice" => Some(Severity::Info),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_has_metadata() {
        for b in POLICIES {
            let m = metadata(b.text);
            let id = m.id.unwrap_or_else(|| panic!("{} has no id", b.file));
            assert_eq!(
                format!("{}.rego", id.replace('-', "_")),
                b.file,
                "file name follows the id"
            );
            assert!(m.title.is_some() && m.description.is_some(), "{}", b.file);
            let advice = b.file.starts_with("savings_");
            let expected = if advice {
                Severity::Info
            } else if b.file == "coverage.rego" || b.file == "idle_commitment.rego" {
                // Reports what could not be seen; each reason configurable to deny or off.
                Severity::Warn
            } else {
                Severity::Deny
            };
            assert_eq!(m.severity, Some(expected), "{}", b.file);
        }
    }

    #[test]
    fn parses_block_scalars() {
        let m = metadata(
            "package x\n# METADATA\n# title: \"T\"\n# description: |\n#   one\n#   two\n# custom:\n#   id: my-id\n#   severity: warning\npackage y\n",
        );
        assert_eq!(m.title.as_deref(), Some("T"));
        assert_eq!(m.description.as_deref(), Some("one\ntwo"));
        assert_eq!(m.id.as_deref(), Some("my-id"));
        assert_eq!(m.severity, Some(Severity::Warn));
        assert_eq!(metadata("package p\n"), Metadata::default());
        let m = metadata("# METADATA\n# custom:\n#   resources_with: [gpu, \"idle\"]\npackage p\n");
        assert_eq!(m.resources_with, Some(vec!["gpu".into(), "idle".into()]));
    }
}
