//! `costgate comment github` against a fake GitHub API on 127.0.0.1.

use crate::support;

use assert_cmd::Command;
use support::fake_github::FakeGitHub;

const TOKEN: &str = "ghs_TOPSECRET_token_value_123";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn comment(gh: &FakeGitHub, body: &str, run_id: u64, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let body_file = dir.path().join("body.md");
    std::fs::write(&body_file, body).unwrap();
    let mut args = vec!["--body-file", body_file.to_str().unwrap()];
    args.extend_from_slice(extra);
    run_comment(gh, run_id, &args, env)
}

/// `costgate comment github ARGS` in a pull_request workflow for PR 42 of acme/infra.
fn run_comment(gh: &FakeGitHub, run_id: u64, args: &[&str], env: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let event = dir.path().join("event.json");
    std::fs::write(
        &event,
        r#"{"action":"synchronize","pull_request":{"number":42}}"#,
    )
    .unwrap();
    let mut cmd = Command::cargo_bin("costgate").unwrap();
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_API_URL", &gh.url)
        .env("GITHUB_REPOSITORY", "acme/infra")
        .env("GITHUB_EVENT_PATH", &event)
        .env("GITHUB_RUN_ID", run_id.to_string())
        .env("GITHUB_RUN_ATTEMPT", "1")
        .env("GITHUB_TOKEN", TOKEN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["comment", "github"])
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let r = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    };
    assert!(
        !r.stdout.contains(TOKEN) && !r.stderr.contains(TOKEN),
        "token leaked"
    );
    r
}

#[test]
fn creates_then_updates_one_comment() {
    let gh = FakeGitHub::start();
    gh.seed("octocat", "LGTM");
    let r = comment(&gh, "### first report\n", 100, &[], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("posted comment"), "{}", r.stdout);
    let r = comment(&gh, "### second report\n", 101, &[], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("updated comment"), "{}", r.stdout);
    let bodies = gh.bodies();
    assert_eq!(
        bodies.len(),
        2,
        "user comment + one costgate comment: {bodies:#?}"
    );
    assert!(
        bodies[1].starts_with("<!-- costgate:comment -->\n<!-- costgate:run id=101 attempt=1 at=")
    );
    assert!(bodies[1].ends_with("### second report\n"));
    // The required headers reached the server; the token only in Authorization.
    for req in gh.requests() {
        assert_eq!(
            req.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(req.header("x-github-api-version"), Some("2022-11-28"));
        assert_eq!(req.header("accept"), Some("application/vnd.github+json"));
        assert!(req.header("user-agent").unwrap().starts_with("costgate/"));
        assert!(!req.body.contains(TOKEN));
    }
}

#[test]
fn older_run_never_overwrites_a_newer_one() {
    let gh = FakeGitHub::start();
    assert_eq!(comment(&gh, "new\n", 200, &[], &[]).code, 0);
    let r = comment(&gh, "old\n", 199, &[], &[]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("newer run"), "{}", r.stdout);
    assert_eq!(gh.bodies().len(), 1);
    assert!(gh.bodies()[0].ends_with("new\n"));
    // Same content from a later run: no write at all.
    let before = gh.requests().len();
    let r = comment(&gh, "new\n", 201, &[], &[]);
    assert!(r.stdout.contains("up to date"), "{}", r.stdout);
    assert!(gh.requests()[before..].iter().all(|q| q.method == "GET"));
}

#[test]
fn finds_the_comment_on_a_later_page() {
    let gh = FakeGitHub::start();
    gh.state.lock().unwrap().page_size = 2;
    for i in 0..5 {
        gh.seed("octocat", &format!("chatter {i}"));
    }
    assert_eq!(comment(&gh, "v1\n", 300, &[], &[]).code, 0);
    gh.seed("octocat", "more chatter");
    let r = comment(&gh, "v2\n", 301, &[], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("updated comment"), "{}", r.stdout);
    let ours: Vec<_> = gh
        .bodies()
        .into_iter()
        .filter(|b| b.contains("costgate:comment"))
        .collect();
    assert_eq!(ours.len(), 1);
    assert!(ours[0].ends_with("v2\n"));
    let gets = gh
        .requests()
        .iter()
        .filter(|q| q.method == "GET" && q.path.contains("page="))
        .count();
    assert!(gets >= 3, "followed Link headers");
}

#[test]
fn markers_from_other_authors_or_keys_are_ignored() {
    let gh = FakeGitHub::start();
    gh.seed("mallory", "<!-- costgate:comment -->\nplanted");
    let r = comment(
        &gh,
        "real\n",
        400,
        &["--author", "github-actions[bot]"],
        &[],
    );
    assert!(r.stdout.contains("posted"), "{}", r.stdout);
    assert_eq!(
        gh.bodies()[0],
        "<!-- costgate:comment -->\nplanted",
        "not edited"
    );
    // A keyed comment is separate from the unkeyed one.
    let r = comment(&gh, "prod\n", 401, &["--key", "prod"], &[]);
    assert!(r.stdout.contains("posted"), "{}", r.stdout);
    assert_eq!(gh.bodies().len(), 3);
    assert!(gh.bodies()[2].starts_with("<!-- costgate:comment key=prod -->"));
}

#[test]
fn hide_and_new_and_delete_and_new() {
    let gh = FakeGitHub::start();
    comment(&gh, "a\n", 500, &[], &[]);
    let first = gh.state.lock().unwrap().comments[0]["node_id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = comment(&gh, "b\n", 501, &["--behavior", "hide-and-new"], &[]);
    assert!(r.stdout.contains("posted"), "{} {}", r.stdout, r.stderr);
    assert_eq!(gh.state.lock().unwrap().minimized, vec![first]);
    assert_eq!(gh.bodies().len(), 2);
    let gql = gh
        .requests()
        .into_iter()
        .find(|q| q.path == "/graphql")
        .unwrap();
    assert!(gql.body.contains("minimizeComment") && gql.body.contains("OUTDATED"));
    let r = comment(&gh, "c\n", 502, &["--behavior", "delete-and-new"], &[]);
    assert!(r.stdout.contains("posted"), "{}", r.stdout);
    assert_eq!(gh.bodies().len(), 1);
    assert!(gh.bodies()[0].ends_with("c\n"));
}

#[test]
fn fork_pr_403_warns_and_falls_back_to_the_summary() {
    let gh = FakeGitHub::start();
    gh.state.lock().unwrap().read_only = true;
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let s = summary.to_str().unwrap();
    let r = comment(&gh, "### report\n", 600, &[], &[("GITHUB_STEP_SUMMARY", s)]);
    assert_eq!(
        r.code, 0,
        "the comment step never fails the job on a read-only token"
    );
    assert!(
        r.stderr.contains("403") && r.stderr.contains("forks"),
        "{}",
        r.stderr
    );
    assert!(std::fs::read_to_string(&summary)
        .unwrap()
        .contains("### report"));
    assert!(gh.bodies().is_empty());
}

#[test]
fn retries_after_a_rate_limit() {
    let gh = FakeGitHub::start();
    gh.state.lock().unwrap().rate_limit_next = 1;
    let r = comment(&gh, "x\n", 700, &[], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("posted"));
    let reqs = gh.requests();
    assert_eq!(reqs[0].method, "GET");
    assert_eq!(reqs[1].method, "GET", "the rate-limited GET is repeated");
    assert_eq!(gh.bodies().len(), 1);
}

#[test]
fn errors_exit_2_without_leaking_the_token() {
    // Nothing listens on this port: transport error after retries.
    let dead = FakeGitHub {
        url: "http://127.0.0.1:9".into(),
        state: Default::default(),
    };
    let r = comment(&dead, "x\n", 1, &[], &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot update the comment"),
        "{}",
        r.stderr
    );
    // Missing token names the variable, not a value.
    let gh = FakeGitHub::start();
    let r = comment(&gh, "x\n", 1, &["--token-env", "MY_TOKEN"], &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("$MY_TOKEN is not set"), "{}", r.stderr);
}

#[test]
fn dry_run_prints_the_body() {
    let gh = FakeGitHub::start();
    let r = comment(&gh, "hello\n", 5, &["--dry-run", "--key", "dev"], &[]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("acme/infra#42"));
    assert!(r
        .stdout
        .contains("<!-- costgate:comment key=dev -->\n<!-- costgate:run id=5 attempt=1"));
    assert!(gh.requests().is_empty());
}

const POLICY_CASES: &str = "testdata/plans/aws-policy-cases/plan.json";

#[test]
fn path_runs_the_check_and_posts_its_markdown() {
    let gh = FakeGitHub::start();
    let r = run_comment(&gh, 800, &["--path", POLICY_CASES, "--key", "infra"], &[]);
    assert_eq!(
        r.code, 1,
        "exits like check: this plan has deny findings\n{}",
        r.stderr
    );
    assert!(r.stdout.contains("posted comment"), "{}", r.stdout);
    let bodies = gh.bodies();
    assert_eq!(bodies.len(), 1);
    let body = &bodies[0];
    assert!(body.starts_with("<!-- costgate:comment key=infra -->\n<!-- costgate:run id=800 "));
    assert_eq!(
        body.matches("<!-- costgate:comment").count(),
        1,
        "one marker"
    );
    assert!(
        body.contains("**Monthly cost: $0.00 → $122,563.64"),
        "{body}"
    );
    assert!(body.contains("❌ **3 deny**"), "{body}");
    assert!(
        body.contains("- `aws_ebs_volume.untagged` is missing required tag(s): owner, team (`"),
        "{body}"
    );
    // The next push with the same plan: nothing to rewrite.
    let r = run_comment(&gh, 801, &["--path", POLICY_CASES, "--key", "infra"], &[]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("up to date"), "{}", r.stdout);
    assert_eq!(gh.bodies().len(), 1);
}

#[test]
fn path_takes_the_policy_flags_of_check() {
    let gh = FakeGitHub::start();
    let dir = tempfile::tempdir().unwrap();
    let weak = dir.path().join("weak.toml");
    std::fs::write(
        &weak,
        "[policies.required-tags]\nenabled = false\n[policies.idle-autopause]\nenabled = false\n",
    )
    .unwrap();
    let r = run_comment(
        &gh,
        900,
        &["--path", POLICY_CASES, "--config", weak.to_str().unwrap()],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(gh.bodies()[0].contains("✅ **No policy failures**"));
    // --fail-on never: the deny is reported, the exit code stays 0.
    let r = run_comment(
        &gh,
        901,
        &["--path", POLICY_CASES, "--fail-on", "never"],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(gh.bodies()[0].contains("❌ **3 deny**"));
}

#[test]
fn path_and_body_file_are_exclusive_and_policy_flags_need_path() {
    let gh = FakeGitHub::start();
    let r = run_comment(
        &gh,
        1,
        &["--path", POLICY_CASES, "--body-file", "x.md"],
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot be used with"), "{}", r.stderr);
    let r = run_comment(&gh, 1, &[], &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--body-file") && r.stderr.contains("--path"),
        "{}",
        r.stderr
    );
    let r = comment(&gh, "x\n", 1, &["--policy", "policies"], &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("need --path"), "{}", r.stderr);
    assert!(gh.requests().is_empty());
}

/// A `--body-file` over GitHub's 65,536 characters is cut (on a character boundary, the
/// sticky marker kept) with a note, never posted whole.
#[test]
fn oversized_body_file_is_truncated_before_posting() {
    let gh = FakeGitHub::start();
    let body = format!("# report\n{}", "€x".repeat(50_000));
    let r = comment(&gh, &body, 9, &[], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bodies = gh.bodies();
    assert_eq!(bodies.len(), 1);
    let posted = &bodies[0];
    assert_eq!(posted.chars().count(), 65_536);
    assert!(posted.starts_with("<!-- costgate:comment -->\n<!-- costgate:run id=9"));
    assert!(posted.contains("truncated"), "a note says so");
}
