//! GitHub pull-request integration: `costgate comment github` upserts one sticky PR comment.
//!
//! Context comes from flags or the GitHub Actions environment: `GITHUB_REPOSITORY`,
//! `GITHUB_EVENT_PATH` (`pull_request.number`), `GITHUB_API_URL` / `GITHUB_GRAPHQL_URL`
//! (Enterprise), `GITHUB_RUN_ID` + `GITHUB_RUN_ATTEMPT` (ordering of runs) and the token from
//! the variable named by `--token-env` (default `GITHUB_TOKEN`; the token is never printed).
//! When the token may not write (403, e.g. a PR from a fork), the comment step warns, writes
//! the report to the job summary instead and still exits 0: the gate is `check`'s exit code.

pub mod client;
pub mod comment;

use std::io::Read as _;
use std::path::Path;

use miette::miette;

use crate::error::Result;
use client::{ApiError, Client, Token};
use comment::{Behavior, Outcome, RunStamp, Target, Upsert};

/// What posting needs, resolved from the command line by `cli::github`: the repository, PR
/// and endpoints fall back to the GitHub Actions environment.
#[derive(Debug, Clone, Default)]
pub struct PostOptions {
    /// `owner/repo` (else `$GITHUB_REPOSITORY`).
    pub repo: Option<String>,
    /// Pull request number (else from `$GITHUB_EVENT_PATH` or `$GITHUB_REF`).
    pub pr: Option<u64>,
    /// REST API base (else `$GITHUB_API_URL`, else the public API).
    pub api_url: Option<String>,
    /// GraphQL endpoint (else `$GITHUB_GRAPHQL_URL`, else derived from the API URL).
    pub graphql_url: Option<String>,
    /// Name of the environment variable holding the token.
    pub token_env: String,
    pub behavior: Behavior,
    /// Separate sticky comment per key.
    pub key: Option<String>,
    /// Only comments by this login are costgate's.
    pub author: Option<String>,
    /// Print what would be posted; no network.
    pub dry_run: bool,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The PR number from the Actions event payload, else from `refs/pull/<n>/…`.
pub fn pr_from_env() -> Option<u64> {
    if let Some(path) = env("GITHUB_EVENT_PATH") {
        if let Some(n) = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|ev| pr_from_event(&ev))
        {
            return Some(n);
        }
    }
    env("GITHUB_REF").and_then(|r| {
        r.strip_prefix("refs/pull/")?
            .split('/')
            .next()?
            .parse()
            .ok()
    })
}

fn pr_from_event(ev: &serde_json::Value) -> Option<u64> {
    ev.pointer("/pull_request/number")
        .and_then(|n| n.as_u64())
        .or_else(|| {
            ev.pointer("/issue/pull_request")?;
            ev.pointer("/issue/number")?.as_u64()
        })
}

/// GraphQL endpoint for a REST base: GHES `…/api/v3` → `…/api/graphql`, else `…/graphql`.
pub fn graphql_for(api: &str) -> String {
    let api = api.trim_end_matches('/');
    match api.strip_suffix("/api/v3") {
        Some(host) => format!("{host}/api/graphql"),
        None => format!("{api}/graphql"),
    }
}

fn stamp_from_env() -> RunStamp {
    RunStamp {
        run_id: env("GITHUB_RUN_ID")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        attempt: env("GITHUB_RUN_ATTEMPT")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}

/// The Markdown of `--body-file` (`-` reads stdin); an empty body is an error.
pub fn read_body(path: &Path) -> Result<String> {
    let mut s = String::new();
    let r = if path == Path::new("-") {
        std::io::stdin().read_to_string(&mut s).map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| s = t)
    };
    r.map_err(|e| {
        miette!(
            code = crate::error::Code::Io,
            "cannot read {}: {e}",
            path.display()
        )
    })?;
    if s.trim().is_empty() {
        return Err(miette!(
            code = crate::error::Code::Comment,
            "{} is empty: nothing to post",
            path.display()
        ));
    }
    Ok(s)
}

/// `costgate comment github` with the Markdown to post (from `--body-file`, or the report of
/// `--path`, see `commands::comment_github`): returns the exit code.
pub fn run(a: &PostOptions, body: &str) -> Result<i32> {
    let in_actions = env("GITHUB_ACTIONS").as_deref() == Some("true");
    let repo = a
        .repo
        .clone()
        .or_else(|| env("GITHUB_REPOSITORY"))
        .ok_or_else(|| {
            miette!(
                code = crate::error::Code::Comment,
                help = "pass --repo owner/repo",
                "no repository: $GITHUB_REPOSITORY is not set"
            )
        })?;
    let (owner, name) = repo
        .split_once('/')
        .filter(|(o, r)| !o.is_empty() && !r.is_empty() && !r.contains('/'))
        .ok_or_else(|| {
            miette!(
                code = crate::error::Code::Comment,
                "--repo must be owner/repo, got `{repo}`"
            )
        })?;
    let pr = match a.pr.or_else(pr_from_env) {
        Some(n) => n,
        None if in_actions => {
            eprintln!("costgate: this run is not for a pull request; no comment posted");
            return Ok(crate::EXIT_OK);
        }
        None => {
            return Err(miette!(
                code = crate::error::Code::Comment,
                help = "pass --pr N, or run in a pull_request workflow",
                "no pull request number"
            ))
        }
    };
    let api = a
        .api_url
        .clone()
        .or_else(|| env("GITHUB_API_URL"))
        .unwrap_or_else(|| "https://api.github.com".into());
    let graphql = a
        .graphql_url
        .clone()
        .or_else(|| env("GITHUB_GRAPHQL_URL"))
        .unwrap_or_else(|| graphql_for(&api));
    let target = Target {
        owner: owner.into(),
        repo: name.into(),
        pr,
    };
    let stamp = stamp_from_env();
    if a.dry_run {
        println!(
            "would comment on {owner}/{name}#{pr} via {api} ({:?})",
            a.behavior
        );
        print!("{}", comment::prepare_body(body, a.key.as_deref(), &stamp));
        return Ok(crate::EXIT_OK);
    }
    let token = env(&a.token_env).ok_or_else(|| {
        miette!(
            code = crate::error::Code::Comment,
            help = "in a workflow: env: GITHUB_TOKEN: ${{ github.token }} (with permissions: pull-requests: write)",
            "no token: ${} is not set",
            a.token_env
        )
    })?;
    let client = Client::new(&api, &graphql, Token::new(token)).map_err(|e| miette!("{e}"))?;
    let up = Upsert {
        client: &client,
        target: &target,
        key: a.key.as_deref(),
        author: a.author.as_deref(),
        behavior: a.behavior,
        stamp: &stamp,
    };
    match up.run(body) {
        Ok(o) => {
            report(&o, &target);
            Ok(crate::EXIT_OK)
        }
        Err(ApiError::Forbidden(msg)) => {
            eprintln!(
                "costgate: warning: cannot write the comment on {owner}/{name}#{pr} (403: {msg}). \
                 Pull requests from forks get a read-only token; the report goes to the job summary instead."
            );
            match crate::report::github::append_step_summary(body) {
                Ok(true) => eprintln!("costgate: report written to the job summary"),
                Ok(false) => {
                    eprintln!("costgate: $GITHUB_STEP_SUMMARY is not set; report not written")
                }
                Err(e) => eprintln!("costgate: cannot write the job summary: {e}"),
            }
            Ok(crate::EXIT_OK)
        }
        Err(e) => Err(miette!(
            code = crate::error::Code::Comment,
            "cannot update the comment on {owner}/{name}#{pr}: {e}"
        )),
    }
}

fn report(o: &Outcome, t: &Target) {
    let pr = format!("{}/{}#{}", t.owner, t.repo, t.pr);
    match o {
        Outcome::Created { id, url } => println!("costgate: posted comment {id} on {pr} {url}"),
        Outcome::Updated { id, url } => println!("costgate: updated comment {id} on {pr} {url}"),
        Outcome::Unchanged { id } => println!("costgate: comment {id} on {pr} is up to date"),
        Outcome::SkippedNewer { id } => {
            println!("costgate: comment {id} on {pr} comes from a newer run; left as is")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pr_numbers_from_events() {
        assert_eq!(
            pr_from_event(&json!({"pull_request": {"number": 42}})),
            Some(42)
        );
        assert_eq!(
            pr_from_event(&json!({"issue": {"number": 7, "pull_request": {}}})),
            Some(7)
        );
        assert_eq!(
            pr_from_event(&json!({"issue": {"number": 7}})),
            None,
            "plain issue"
        );
        assert_eq!(pr_from_event(&json!({"ref": "refs/heads/main"})), None);
    }

    #[test]
    fn graphql_urls() {
        assert_eq!(
            graphql_for("https://api.github.com"),
            "https://api.github.com/graphql"
        );
        assert_eq!(
            graphql_for("https://ghe.example/api/v3/"),
            "https://ghe.example/api/graphql"
        );
    }
}
