//! The sticky PR comment: find costgate's comment by its hidden marker line (and, optionally,
//! its author), then update it, or post a new one after hiding/deleting the old ones. A stamp
//! line with the Actions run id, attempt and time makes sure an older run never overwrites the
//! comment of a newer one.

use clap::ValueEnum;
use reqwest::Method;
use serde_json::{json, Value};

use super::client::{ApiError, Client};
use crate::report::markdown::marker;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Behavior {
    /// Edit the latest costgate comment, or post one.
    #[default]
    Update,
    /// Always post a new comment.
    New,
    /// Minimize earlier costgate comments as outdated, then post a new one.
    HideAndNew,
    /// Delete earlier costgate comments, then post a new one.
    DeleteAndNew,
}

/// Which run produced a body. GitHub run ids grow over time; the time breaks ties outside
/// Actions (run id 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunStamp {
    pub run_id: u64,
    pub attempt: u64,
    /// RFC 3339 UTC, e.g. `2025-01-02T03:04:05Z`.
    pub at: String,
}

impl RunStamp {
    pub fn line(&self) -> String {
        format!(
            "<!-- costgate:run id={} attempt={} at={} -->",
            self.run_id, self.attempt, self.at
        )
    }

    pub fn parse(line: &str) -> Option<RunStamp> {
        let inner = line
            .trim()
            .strip_prefix("<!-- costgate:run ")?
            .strip_suffix("-->")?;
        let mut s = RunStamp {
            run_id: 0,
            attempt: 0,
            at: String::new(),
        };
        for kv in inner.split_whitespace() {
            match kv.split_once('=')? {
                ("id", v) => s.run_id = v.parse().ok()?,
                ("attempt", v) => s.attempt = v.parse().ok()?,
                ("at", v) => s.at = v.to_string(),
                _ => {}
            }
        }
        Some(s)
    }

    /// Is `self` from a later run than `other`?
    pub fn is_newer_than(&self, other: &RunStamp) -> bool {
        if self.run_id > 0 && other.run_id > 0 && self.run_id != other.run_id {
            return self.run_id > other.run_id;
        }
        if self.run_id == other.run_id && self.attempt != other.attempt {
            return self.attempt > other.attempt;
        }
        self.at > other.at
    }
}

/// The body we post: marker line, stamp line, then the Markdown (without any costgate marker
/// or stamp lines it already starts with).
pub fn prepare_body(markdown: &str, key: Option<&str>, stamp: &RunStamp) -> String {
    let mut rest = markdown;
    while let Some(line) = rest.lines().next() {
        let t = line.trim();
        if t.starts_with("<!-- costgate:comment") || t.starts_with("<!-- costgate:run ") {
            rest = rest[line.len()..].trim_start_matches(['\r', '\n']);
        } else {
            break;
        }
    }
    truncate(format!("{}\n{}\n{rest}", marker(key), stamp.line()))
}

/// GitHub rejects a comment longer than this many characters.
pub const GITHUB_COMMENT_MAX_CHARS: usize = 65_536;

const TRUNCATED_NOTE: &str =
    "\n\n…(truncated: the report is longer than a GitHub comment may be; see the job summary)\n";

/// A body over [`GITHUB_COMMENT_MAX_CHARS`] cut at a character boundary, with a note; the
/// marker and stamp lines come first, so they are kept.
fn truncate(body: String) -> String {
    if body.chars().count() <= GITHUB_COMMENT_MAX_CHARS {
        return body;
    }
    let keep = GITHUB_COMMENT_MAX_CHARS - TRUNCATED_NOTE.chars().count();
    let end = body.char_indices().nth(keep).map_or(body.len(), |(i, _)| i);
    let mut out = body[..end].to_string();
    out.push_str(TRUNCATED_NOTE);
    out
}

/// The body without its stamp line (to detect an unchanged report).
fn without_stamp(body: &str) -> String {
    body.lines()
        .filter(|l| !l.trim().starts_with("<!-- costgate:run "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A comment on the PR as the REST API lists it.
#[derive(Debug, Clone)]
pub struct Existing {
    pub id: u64,
    pub node_id: String,
    pub body: String,
    pub login: String,
    pub created_at: String,
}

impl Existing {
    fn from_json(v: &Value) -> Option<Existing> {
        Some(Existing {
            id: v.get("id")?.as_u64()?,
            node_id: v
                .get("node_id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .into(),
            body: v.get("body").and_then(Value::as_str).unwrap_or("").into(),
            login: v
                .pointer("/user/login")
                .and_then(Value::as_str)
                .unwrap_or("")
                .into(),
            created_at: v
                .get("created_at")
                .and_then(Value::as_str)
                .unwrap_or("")
                .into(),
        })
    }

    fn stamp(&self) -> Option<RunStamp> {
        self.body.lines().nth(1).and_then(RunStamp::parse)
    }
}

/// Where to comment.
#[derive(Debug, Clone)]
pub struct Target {
    pub owner: String,
    pub repo: String,
    pub pr: u64,
}

/// What `upsert` did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Created {
        id: u64,
        url: String,
    },
    Updated {
        id: u64,
        url: String,
    },
    /// A newer run already wrote the comment.
    SkippedNewer {
        id: u64,
    },
    /// The existing comment already says the same.
    Unchanged {
        id: u64,
    },
}

pub struct Upsert<'a> {
    pub client: &'a Client,
    pub target: &'a Target,
    pub key: Option<&'a str>,
    /// Only comments by this login count as ours (e.g. `github-actions[bot]`).
    pub author: Option<&'a str>,
    pub behavior: Behavior,
    pub stamp: &'a RunStamp,
}

impl Upsert<'_> {
    fn issue_comments(&self) -> String {
        self.client.url(&format!(
            "/repos/{}/{}/issues/{}/comments?per_page=100",
            self.target.owner, self.target.repo, self.target.pr
        ))
    }

    fn comment_url(&self, id: u64) -> String {
        self.client.url(&format!(
            "/repos/{}/{}/issues/comments/{id}",
            self.target.owner, self.target.repo
        ))
    }

    /// Our comments on the PR, oldest first.
    pub fn find(&self) -> Result<Vec<Existing>, ApiError> {
        let want = marker(self.key);
        let mut found: Vec<Existing> = self
            .client
            .get_all(&self.issue_comments())?
            .iter()
            .filter_map(Existing::from_json)
            .filter(|c| c.body.lines().next().map(str::trim) == Some(want.as_str()))
            .filter(|c| self.author.is_none_or(|a| c.login.eq_ignore_ascii_case(a)))
            .collect();
        found.sort_by(|a, b| (&a.created_at, a.id).cmp(&(&b.created_at, b.id)));
        Ok(found)
    }

    /// Post, edit, hide or delete so that the PR shows `markdown` once.
    pub fn run(&self, markdown: &str) -> Result<Outcome, ApiError> {
        let body = prepare_body(markdown, self.key, self.stamp);
        let existing = self.find()?;
        if let Some(c) = existing
            .iter()
            .find(|c| c.stamp().is_some_and(|s| s.is_newer_than(self.stamp)))
        {
            return Ok(Outcome::SkippedNewer { id: c.id });
        }
        match self.behavior {
            Behavior::Update => match existing.last() {
                Some(c) if without_stamp(&c.body) == without_stamp(&body) => {
                    Ok(Outcome::Unchanged { id: c.id })
                }
                Some(c) => {
                    let r = self.client.send(
                        Method::PATCH,
                        &self.comment_url(c.id),
                        Some(&json!({ "body": body })),
                    )?;
                    Ok(Outcome::Updated {
                        id: c.id,
                        url: html_url(&r.body),
                    })
                }
                None => self.create(&body),
            },
            Behavior::New => self.create(&body),
            Behavior::HideAndNew => {
                for c in &existing {
                    self.hide(c)?;
                }
                self.create(&body)
            }
            Behavior::DeleteAndNew => {
                for c in &existing {
                    self.client
                        .send(Method::DELETE, &self.comment_url(c.id), None)?;
                }
                self.create(&body)
            }
        }
    }

    fn create(&self, body: &str) -> Result<Outcome, ApiError> {
        let r = self.client.send(
            Method::POST,
            &self.issue_comments().replace("?per_page=100", ""),
            Some(&json!({ "body": body })),
        )?;
        Ok(Outcome::Created {
            id: r.body.get("id").and_then(Value::as_u64).unwrap_or(0),
            url: html_url(&r.body),
        })
    }

    fn hide(&self, c: &Existing) -> Result<(), ApiError> {
        const MINIMIZE: &str = "mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }";
        self.client
            .graphql(MINIMIZE, json!({ "id": c.node_id }))
            .map(|_| ())
    }
}

fn html_url(v: &Value) -> String {
    v.get("html_url")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(run_id: u64, attempt: u64, at: &str) -> RunStamp {
        RunStamp {
            run_id,
            attempt,
            at: at.into(),
        }
    }

    #[test]
    fn stamps_round_trip_and_order() {
        let s = stamp(42, 2, "2025-01-02T03:04:05Z");
        assert_eq!(RunStamp::parse(&s.line()), Some(s.clone()));
        assert!(
            stamp(43, 1, "2025-01-01T00:00:00Z").is_newer_than(&s),
            "run id wins over time"
        );
        assert!(stamp(42, 3, "2025-01-01T00:00:00Z").is_newer_than(&s));
        assert!(!s.is_newer_than(&s));
        assert!(stamp(0, 0, "2025-01-03T00:00:00Z").is_newer_than(&stamp(
            0,
            0,
            "2025-01-02T00:00:00Z"
        )));
        assert_eq!(RunStamp::parse("<!-- costgate:comment -->"), None);
    }

    #[test]
    fn bodies_over_the_limit_are_cut_with_a_note_keeping_the_marker() {
        let s = RunStamp {
            run_id: 1,
            attempt: 1,
            at: "2026-01-01T00:00:00Z".into(),
        };
        let md = format!("# big\n{}", "é€".repeat(40_000));
        let b = prepare_body(&md, Some("prod"), &s);
        assert_eq!(b.chars().count(), GITHUB_COMMENT_MAX_CHARS);
        assert!(b.starts_with("<!-- costgate:comment key=prod -->\n<!-- costgate:run "));
        assert!(b.ends_with("see the job summary)\n"));
        assert_eq!(prepare_body(&b, Some("prod"), &s), b, "idempotent");
        let small = prepare_body("# ok\n", None, &s);
        assert!(!small.contains("truncated"));
    }

    #[test]
    fn body_gets_exactly_one_marker_and_stamp() {
        let s = stamp(7, 1, "2025-01-01T00:00:00Z");
        let md = "<!-- costgate:comment -->\n### report\n";
        let b = prepare_body(md, Some("prod"), &s);
        assert_eq!(
            b,
            "<!-- costgate:comment key=prod -->\n<!-- costgate:run id=7 attempt=1 at=2025-01-01T00:00:00Z -->\n### report\n"
        );
        assert_eq!(prepare_body(&b, Some("prod"), &s), b, "idempotent");
        assert_eq!(
            without_stamp(&b),
            "<!-- costgate:comment key=prod -->\n### report"
        );
    }
}
