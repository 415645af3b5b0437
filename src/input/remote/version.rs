//! Terraform version constraints (`~> 1.2`, `>= 1.0, < 2.0`, `!= 1.3.0`, `1.2.3`) and picking
//! the newest version that meets them, as `terraform init` does for registry modules.
//!
//! Terraform's syntax differs from Cargo's: `~>` pins the last given part (`~> 1.2` is
//! `>= 1.2.0, < 2.0.0`; `~> 1.2.3` is `>= 1.2.3, < 1.3.0`), a bare version means `=`, and a
//! pre-release is chosen only when a constraint names that exact version.

use semver::Version;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Tilde,
}

#[derive(Debug, Clone)]
struct Clause {
    op: Op,
    v: Version,
    /// How many parts were written (`~> 1.2` → 2).
    parts: usize,
}

/// A parsed constraint list (all clauses must hold).
#[derive(Debug, Clone, Default)]
pub struct Constraints(Vec<Clause>);

/// Parse `1.2.3`, `v1.2`, `1.2.3-beta.1` (missing parts are 0); the number of parts given.
pub fn parse_version(s: &str) -> Option<(Version, usize)> {
    let s = s.trim();
    let s = s.strip_prefix('v').unwrap_or(s);
    let (core, rest) = match s.find(['-', '+']) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let nums: Vec<&str> = core.split('.').collect();
    if nums.is_empty()
        || nums.len() > 3
        || nums
            .iter()
            .any(|n| n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut full = nums.clone();
    while full.len() < 3 {
        full.push("0");
    }
    let text = format!("{}{rest}", full.join("."));
    Version::parse(&text).ok().map(|v| (v, nums.len()))
}

impl Constraints {
    /// Parse a constraint string; an empty string allows every (non pre-release) version.
    pub fn parse(s: &str) -> Result<Constraints, String> {
        let mut out = Vec::new();
        for part in s.split(',') {
            let part = part.trim();
            if part.is_empty() {
                if s.trim().is_empty() {
                    continue;
                }
                return Err(format!("version constraint `{s}` has an empty part"));
            }
            let (op, rest) = [
                ("~>", Op::Tilde),
                (">=", Op::Ge),
                ("<=", Op::Le),
                ("!=", Op::Ne),
                (">", Op::Gt),
                ("<", Op::Lt),
                ("=", Op::Eq),
            ]
            .iter()
            .find_map(|(p, op)| part.strip_prefix(p).map(|r| (*op, r)))
            .unwrap_or((Op::Eq, part));
            let (v, parts) = parse_version(rest)
                .ok_or_else(|| format!("`{part}` is not a valid version constraint"))?;
            out.push(Clause { op, v, parts });
        }
        Ok(Constraints(out))
    }

    /// Does `v` satisfy every clause?
    pub fn allows(&self, v: &Version) -> bool {
        if !v.pre.is_empty() {
            // Only an exact request selects a pre-release.
            let exact = self.0.iter().any(|c| c.op == Op::Eq && c.v == *v);
            if !exact {
                return false;
            }
        }
        self.0.iter().all(|c| c.allows(v))
    }

    /// The newest of `versions` (as the registry lists them) that the constraints allow.
    pub fn newest<'a>(
        &self,
        versions: impl IntoIterator<Item = &'a str>,
    ) -> Option<(&'a str, Version)> {
        versions
            .into_iter()
            .filter_map(|s| parse_version(s).map(|(v, _)| (s, v)))
            .filter(|(_, v)| self.allows(v))
            .max_by(|a, b| a.1.cmp(&b.1))
    }
}

impl Clause {
    fn allows(&self, v: &Version) -> bool {
        let cmp = cmp_release(v, &self.v);
        use std::cmp::Ordering::*;
        match self.op {
            Op::Eq => v == &self.v,
            Op::Ne => v != &self.v,
            Op::Gt => cmp == Greater,
            Op::Ge => cmp != Less,
            Op::Lt => cmp == Less,
            Op::Le => cmp != Greater,
            Op::Tilde => {
                if cmp == Less {
                    return false;
                }
                match self.parts {
                    // `~> 1` and `~> 1.2`: same major.
                    1 | 2 => v.major == self.v.major,
                    _ => v.major == self.v.major && v.minor == self.v.minor,
                }
            }
        }
    }
}

/// Compare with pre-release order (1.0.0-beta < 1.0.0), ignoring build metadata.
fn cmp_release(a: &Version, b: &Version) -> std::cmp::Ordering {
    (a.major, a.minor, a.patch)
        .cmp(&(b.major, b.minor, b.patch))
        .then_with(|| match (a.pre.is_empty(), b.pre.is_empty()) {
            (true, true) => std::cmp::Ordering::Equal,
            (true, false) => std::cmp::Ordering::Greater,
            (false, true) => std::cmp::Ordering::Less,
            (false, false) => a.pre.cmp(&b.pre),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(c: &str, vs: &[&str]) -> Option<String> {
        Constraints::parse(c)
            .unwrap()
            .newest(vs.iter().copied())
            .map(|(s, _)| s.to_string())
    }

    const VS: &[&str] = &[
        "1.0.0",
        "1.2.0",
        "1.2.5",
        "1.3.0",
        "1.10.1",
        "2.0.0",
        "2.1.0-beta.1",
        "v3.0.0",
    ];

    #[test]
    fn pessimistic_pins_the_last_given_part() {
        assert_eq!(pick("~> 1.2", VS).as_deref(), Some("1.10.1"));
        assert_eq!(pick("~> 1.2.0", VS).as_deref(), Some("1.2.5"));
        assert_eq!(pick("~> 1", VS).as_deref(), Some("1.10.1"));
        assert_eq!(pick("~> 2.0", VS).as_deref(), Some("2.0.0"));
        assert_eq!(pick("~> 1.3.1", VS), None);
    }

    #[test]
    fn ranges_lists_and_exclusions() {
        assert_eq!(pick(">= 1.2, < 2.0.0", VS).as_deref(), Some("1.10.1"));
        assert_eq!(
            pick(">= 1.2, < 1.10, != 1.3.0", VS).as_deref(),
            Some("1.2.5")
        );
        assert_eq!(pick("<= 1.2.0", VS).as_deref(), Some("1.2.0"));
        assert_eq!(pick("> 2.0.0", VS).as_deref(), Some("v3.0.0"));
        assert_eq!(pick("", VS).as_deref(), Some("v3.0.0"));
        assert_eq!(pick("1.2.0", VS).as_deref(), Some("1.2.0"));
        assert_eq!(pick("= 1.2", VS).as_deref(), Some("1.2.0"));
    }

    #[test]
    fn pre_releases_only_when_named_exactly() {
        assert_eq!(pick(">= 2.0.0, < 3.0.0", VS).as_deref(), Some("2.0.0"));
        assert_eq!(pick("~> 2.1", VS), None);
        assert_eq!(pick("2.1.0-beta.1", VS).as_deref(), Some("2.1.0-beta.1"));
        assert_eq!(pick("= 2.1.0-beta.1", VS).as_deref(), Some("2.1.0-beta.1"));
    }

    #[test]
    fn bad_constraints_are_errors() {
        for bad in ["~>", ">= x", "1.2.3.4", ">= 1,", "latest"] {
            assert!(Constraints::parse(bad).is_err(), "{bad}");
        }
    }
}
