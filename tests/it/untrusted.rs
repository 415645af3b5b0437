//! Hostile pull requests (issue 13, input side): a configuration that tries to read the
//! runner's files and environment, sensitive values that must not show through derived fields,
//! resource bombs, and plan JSON errors that must not quote the plan.

use std::path::Path;

const TOKEN: &str = "TOPSECRET-cg-token-5d1f";
const LEAK: &str = "testdata/untrusted/leak";

fn costgate(args: &[&str], cwd: Option<&Path>) -> std::process::Output {
    let mut c = assert_cmd::Command::cargo_bin("costgate").unwrap();
    c.env("NO_COLOR", "1")
        .env("CG_TOKEN", TOKEN)
        .env_remove("COSTGATE_PRICING_DIR")
        .args(args)
        .timeout(std::time::Duration::from_secs(120));
    if let Some(d) = cwd {
        c.current_dir(d);
    }
    c.output().unwrap()
}

/// The leak fixture in a fresh directory (no repository around it), with the symlinks a
/// pull request can commit.
fn leak_checkout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("leak");
    for e in walkdir::WalkDir::new(LEAK) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(LEAK).unwrap();
        if e.file_type().is_dir() {
            std::fs::create_dir_all(to.join(rel)).unwrap();
        } else {
            std::fs::copy(e.path(), to.join(rel)).unwrap();
        }
    }
    let link =
        |target: &str, name: &str| std::os::unix::fs::symlink(target, to.join(name)).unwrap();
    link("/proc/self/environ", "env.tf");
    link("/etc/passwd", "passwd-link.txt");
    link("/dev/zero", "zero.txt");
    link("..", "outside");
    dir
}

#[test]
fn a_pull_request_cannot_read_the_runners_files_or_environment() {
    let dir = leak_checkout();
    let cwd = Some(dir.path());
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let passwd_line = passwd.lines().next().unwrap_or("root:x:0:0").to_string();
    let mut runs = Vec::new();
    for f in ["table", "json", "markdown", "html"] {
        runs.push(costgate(&["estimate", "leak", "--format", f], cwd));
    }
    for f in ["text", "json", "sarif", "github", "markdown"] {
        runs.push(costgate(
            &["check", "leak", "--no-config", "--format", f],
            cwd,
        ));
    }
    for out in &runs {
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(matches!(out.status.code(), Some(0 | 1)), "{all}");
        for secret in [
            TOKEN,
            "CG_TOKEN",
            passwd_line.as_str(),
            "INSIDE-NOTE-CONTENT",
            "SENSITIVE-KEY",
            "SENSITIVE-TYPE",
        ] {
            assert!(!all.contains(secret), "{secret} leaked:\n{all}");
        }
    }
    let json: serde_json::Value = serde_json::from_slice(&runs[1].stdout).unwrap();
    let reason = |addr: &str| {
        json["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["address"] == addr)
            .unwrap_or_else(|| panic!("{addr} missing: {json}"))["unpriced_reason"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    // Refused reads are unknown values (never a fallback), with the path named.
    for addr in [
        "aws_instance.environ",
        "aws_instance.environ_try",
        "aws_instance.glob",
    ] {
        assert!(
            reason(addr).contains("outside the project root"),
            "{addr}: {}",
            reason(addr)
        );
    }
    assert!(reason("aws_instance.sensitive_keys").contains("Invalid for_each argument"));
    assert_eq!(
        reason("aws_instance.sensitive_type"),
        "`instance_type` is sensitive"
    );
    assert_eq!(
        reason("aws_ebs_volume.size_from_file"),
        "`size` is not a number"
    );
    // Reads inside the checkout work.
    assert_eq!(
        json["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["address"] == "aws_instance.template_ok")
            .unwrap()["monthly_cost"],
        "7.59"
    );
    let stderr = format!(
        "{}{}",
        String::from_utf8_lossy(&runs[0].stdout),
        String::from_utf8_lossy(&runs[0].stderr)
    );
    for w in [
        "leak/env.tf: not read: `leak/env.tf` is outside the project root",
        "module outside (leak/main.tf:",
        "passwd-link.txt` is outside the project root",
        "zero.txt` is outside the project root",
        "etc/hostname` is outside the project root",
        "recursive_template: instance_type: templatefile cannot be called from inside a template",
        "aws_instance.environ (leak/main.tf:22): for_each cannot be evaluated: `/proc/self/environ` is outside",
    ] {
        assert!(stderr.contains(w), "no warning {w:?}:\n{stderr}");
    }
    // --allow-path widens the sandbox: the checkout's parent holds the symlinked module.
    let wide = costgate(
        &[
            "estimate",
            "leak",
            "--format",
            "json",
            "--allow-path",
            "/etc",
        ],
        cwd,
    );
    let stderr =
        String::from_utf8_lossy(&wide.stderr).to_string() + &String::from_utf8_lossy(&wide.stdout);
    assert!(!stderr.contains("passwd-link.txt` is outside"), "{stderr}");
    assert!(
        stderr.contains("zero.txt` is outside"),
        "devices stay refused: {stderr}"
    );
}

#[test]
fn resource_bombs_end_with_an_error() {
    // miette wraps long messages: compare with the line breaks and gutters taken out.
    let flat = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .split_whitespace()
            .filter(|w| *w != "│")
            .collect::<Vec<_>>()
            .join(" ")
    };
    let out = costgate(&["estimate", "testdata/untrusted/self-call"], None);
    let err = flat(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("already being called above it"), "{err}");
    let out = costgate(&["estimate", "testdata/untrusted/nested"], None);
    let err = flat(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("more than 200000 module and resource instances")
            && err.contains("--max-instances"),
        "{err}"
    );
    // The bound is configurable both ways.
    let out = costgate(
        &[
            "estimate",
            "testdata/untrusted/nested/l2",
            "--max-instances",
            "999",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let out = costgate(
        &[
            "estimate",
            "testdata/untrusted/nested/l2",
            "--max-instances",
            "1000",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sensitive_plan_values_do_not_show_through_derived_fields() {
    let plan = "testdata/untrusted/sensitive-plan.json";
    let mut outs = Vec::new();
    for f in ["json", "table", "markdown", "html", "focus", "focus-json"] {
        outs.push(costgate(&["estimate", plan, "--format", f], None));
    }
    outs.push(costgate(
        &["explain", plan, "aws_instance.secret_gpu"],
        None,
    ));
    outs.push(costgate(
        &["check", plan, "--no-config", "--format", "json"],
        None,
    ));
    for out in &outs {
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for secret in [
            "p5.48xlarge",
            "p5",
            "ap-southeast-2",
            "4321",
            "CC-SENSITIVE-42",
            "H100",
        ] {
            assert!(!all.contains(secret), "{secret} leaked:\n{all}");
        }
    }
    let json: serde_json::Value = serde_json::from_slice(&outs[0].stdout).unwrap();
    let r = &json["resources"];
    assert_eq!(r[0]["unpriced_reason"], "`instance_type` is sensitive");
    assert_eq!(
        r[0]["region"], "us-east-1",
        "the provider's, not the zone's"
    );
    assert_eq!(r[0]["tags"]["cost_center"], "(sensitive)");
    assert_eq!(r[1]["unpriced_reason"], "`size` is sensitive");
    assert_eq!(r[2]["monthly_cost"], "8.00");
}

/// A one-line plan of `n` bytes with a secret everywhere, cut short.
fn big_plan(secret: &str, n: usize) -> String {
    let mut t = String::from("{\"format_version\":\"1.2\",\"resource_changes\":[");
    let mut i = 0;
    while t.len() < n {
        t.push_str(&format!(
            "{{\"address\":\"aws_db_instance.d{i}\",\"type\":\"aws_db_instance\",\"name\":\"d{i}\",\"change\":{{\"actions\":[\"create\"],\"after\":{{\"password\":\"{secret}\",\"port\":54321}},\"after_sensitive\":{{\"password\":true}}}}}},"
        ));
        i += 1;
    }
    t
}

#[test]
fn plan_errors_show_a_short_masked_window() {
    let secret = "pw-SECRET-9f8e7d";
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("truncated.json", big_plan(secret, 200_000)),
        ("bad-value.json", format!("{}{{\"address\": nope}}]}}", big_plan(secret, 200_000))),
        ("wrong-type.json", format!("{}{{\"address\":\"{secret}\",\"type\":\"x\",\"name\":\"y\",\"change\":{{\"actions\":\"{secret}\"}}}}]}}", big_plan(secret, 100_000))),
        ("wrapper.json", format!("[command]/usr/bin/terraform show -json plan.tfplan\n{}]}}", big_plan(secret, 1000))),
    ];
    for (name, text) in &cases {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        let out = costgate(&["estimate", p.to_str().unwrap()], None);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(
            !err.contains(secret) && !err.contains("54321"),
            "{name}: {err}"
        );
        assert!(err.len() < 2_000, "{name}: {} bytes:\n{err}", err.len());
        assert!(err.contains("(line "), "{name}: {err}");
        if *name == "wrapper.json" {
            assert!(err.contains("terraform_wrapper: false"), "{err}");
        }
    }
}

/// `[[projects]]` var_files and usage go through the sandbox: a symlink to the environment,
/// a device or a file outside the repository is an error naming the entry, never its content.
#[cfg(unix)]
#[test]
fn projects_var_files_and_usage_are_sandboxed() {
    let outer = tempfile::tempdir().unwrap();
    let secret = outer.path().join("credentials");
    std::fs::write(&secret, format!("nodes = \"{TOKEN}\"\n")).unwrap();
    let root = outer.path().join("repo");
    std::fs::create_dir_all(root.join("envs/prod")).unwrap();
    std::fs::write(
        root.join("envs/prod/main.tf"),
        "variable \"nodes\" {\n  default = 1\n}\nresource \"aws_instance\" \"x\" {\n  count         = var.nodes\n  instance_type = \"t3.micro\"\n}\n",
    )
    .unwrap();
    let link = |target: &Path, name: &str| {
        std::os::unix::fs::symlink(target, root.join("envs/prod").join(name)).unwrap()
    };
    link(Path::new("/proc/self/environ"), "env.tfvars");
    link(Path::new("/dev/zero"), "zero.tfvars");
    link(&secret, "creds.tfvars");
    link(&secret, "creds.toml");
    for (key, value) in [
        ("var_files", "[\"env.tfvars\"]"),
        ("var_files", "[\"zero.tfvars\"]"),
        ("var_files", "[\"creds.tfvars\"]"),
        ("usage", "\"creds.toml\""),
    ] {
        std::fs::write(
            root.join("costgate.toml"),
            format!("[[projects]]\npath = \"envs/prod\"\n{key} = {value}\n"),
        )
        .unwrap();
        let out = costgate(
            &["estimate", root.to_str().unwrap(), "--format", "json"],
            None,
        );
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{key} = {value}: {text}");
        assert!(text.contains("refused by the costgate sandbox"), "{text}");
        assert!(!text.contains(TOKEN), "{key} = {value}: {text}");
    }
    // A regular file of the repository is read as before.
    std::fs::write(root.join("envs/prod/two.tfvars"), "nodes = 2\n").unwrap();
    std::fs::write(
        root.join("costgate.toml"),
        "[[projects]]\npath = \"envs/prod\"\nvar_files = [\"two.tfvars\"]\n",
    )
    .unwrap();
    let out = costgate(
        &["estimate", root.to_str().unwrap(), "--format", "json"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["resources"].as_array().unwrap().len(), 2);
}

/// The instance bound is for the whole run: projects of a monorepo share it (four projects of
/// 3 instances pass `--max-instances 12`, not 11), each under it on its own.
#[test]
fn the_instance_bound_is_global_across_monorepo_projects() {
    let root = tempfile::tempdir().unwrap();
    for p in ["a", "b", "c", "d"] {
        let d = root.path().join("envs").join(p);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join("main.tf"),
            "resource \"aws_instance\" \"x\" {\n  count         = 3\n  instance_type = \"t3.micro\"\n}\n",
        )
        .unwrap();
    }
    let run = |n: &str| {
        costgate(
            &[
                "estimate",
                root.path().to_str().unwrap(),
                "--max-instances",
                n,
                "--format",
                "json",
            ],
            None,
        )
    };
    let out = run("11");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--max-instances"), "{err}");
    let out = run("12");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Coverage gaps count inside monorepo projects: a module that cannot be loaded in one project
/// is a coverage finding under the project's prefix (a PR cannot hide resources that way).
#[test]
fn coverage_gaps_count_inside_monorepo_projects() {
    let root = tempfile::tempdir().unwrap();
    for (p, extra) in [
        ("a", ""),
        (
            "b",
            "module \"gone\" {\n  source = \"git::file:///nowhere/repo.git\"\n}\n",
        ),
    ] {
        let d = root.path().join("envs").join(p);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join("main.tf"),
            format!(
                "resource \"aws_instance\" \"x\" {{\n  instance_type = \"t3.micro\"\n}}\n{extra}"
            ),
        )
        .unwrap();
    }
    let out = costgate(
        &[
            "check",
            root.path().to_str().unwrap(),
            "--offline",
            "--no-config",
            "--format",
            "json",
            "--fail-on",
            "warn",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["policy"] == "coverage" && f["address"] == "envs/b:module.gone"),
        "{}",
        doc["findings"]
    );
}
