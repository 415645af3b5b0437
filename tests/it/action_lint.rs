//! Static analysis of the composite action, the act test workflows and the copy-paste workflow
//! in docs/github.md with zizmor (offline; settings in testdata/action/zizmor.yml): template
//! injection, credential persistence, unpinned actions, excessive permissions. Without zizmor
//! (PyPI `zizmor`) it fails under CI and prints a SKIP line elsewhere.

use std::path::Path;
use std::process::Command;

use crate::support::peer;

fn zizmor() -> Option<String> {
    let z = std::env::var("ZIZMOR").unwrap_or_else(|_| "zizmor".into());
    peer::runs(&z).then_some(z)
}

/// The first ```yaml block of docs/github.md: the workflow users copy.
fn docs_workflow(repo: &Path) -> String {
    let doc = std::fs::read_to_string(repo.join("docs/github.md")).unwrap();
    let start = doc.find("```yaml\n").expect("a yaml block") + "```yaml\n".len();
    let len = doc[start..].find("```").expect("closed block");
    let yaml = &doc[start..start + len];
    assert!(yaml.starts_with("# .github/workflows/"), "{yaml}");
    yaml.to_string()
}

#[test]
fn zizmor_finds_nothing_in_the_action_and_workflows() {
    let Some(z) = zizmor() else {
        return peer::missing("zizmor", "pip install zizmor");
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let wf = dir.path().join(".github/workflows/cost.yml");
    std::fs::create_dir_all(wf.parent().unwrap()).unwrap();
    std::fs::write(&wf, docs_workflow(repo)).unwrap();
    let mut inputs = vec![
        repo.join("action.yml"),
        wf,
        repo.join(".github/workflows/release.yml"),
    ];
    for e in std::fs::read_dir(repo.join("testdata/action")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("workflow") && name.ends_with(".yml") {
            inputs.push(p);
        }
    }
    let out = Command::new(&z)
        .args(["--offline", "--no-progress", "--color", "never", "--config"])
        .arg(repo.join("testdata/action/zizmor.yml"))
        .args(&inputs)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "zizmor reports:\n{text}");
    assert!(text.contains("No findings"), "{text}");
    // Every input was audited (a file zizmor cannot parse would only be skipped with a warning).
    assert_eq!(text.matches("completed").count(), inputs.len(), "{text}");
}

/// The release job's `package` step (.github/release-build.sh) names its archive and checksum
/// as action/install.sh downloads them, with the binary at the archive's root.
#[test]
fn release_assets_have_the_names_install_sh_expects() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    // The macOS target, whose step does not check static linking, gets this build's binary (the
    // package step runs it for the man pages and completions); the musl one a script.
    let target = "aarch64-apple-darwin";
    for t in [target, "x86_64-unknown-linux-musl"] {
        let bin = dir.path().join(format!("target/{t}/release"));
        std::fs::create_dir_all(&bin).unwrap();
        if t == target {
            std::fs::copy(env!("CARGO_BIN_EXE_costgate"), bin.join("costgate")).unwrap();
        } else {
            std::fs::write(bin.join("costgate"), "#!/bin/sh\n").unwrap();
        }
    }
    std::fs::copy(repo.join("Cargo.toml"), dir.path().join("Cargo.toml")).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let run_for = |target: &str, tag: &str| {
        Command::new("bash")
            .arg(repo.join(".github/release-build.sh"))
            .arg("package")
            .current_dir(dir.path())
            .env("TARGET", target)
            .env("TAG", tag)
            .env("PATH", "/usr/bin:/bin")
            .output()
            .unwrap()
    };
    let run = |tag: &str| run_for(target, tag);
    let out = run(&format!("v{version}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // install.sh: costgate-v$version-$(target).tar.gz and .sha256, version without the `v`.
    let install = std::fs::read_to_string(repo.join("action/install.sh")).unwrap();
    assert!(install.contains("asset=\"costgate-v$version-$(target).tar.gz\""));
    let asset = format!("costgate-v{version}-{target}.tar.gz");
    let sum = std::fs::read_to_string(dir.path().join(format!("dist/{asset}.sha256"))).unwrap();
    assert!(sum.ends_with(&format!("  {asset}\n")), "{sum}");
    let check = Command::new("sha256sum")
        .args(["-c", &format!("{asset}.sha256")])
        .current_dir(dir.path().join("dist"))
        .output()
        .unwrap();
    assert!(check.status.success());
    let list = Command::new("tar")
        .args(["-tzf", &asset])
        .current_dir(dir.path().join("dist"))
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&list.stdout);
    let entries: Vec<&str> = listed.lines().collect();
    assert_eq!(entries.first(), Some(&"costgate"), "{listed}");
    for page in [
        "man/costgate.1",
        "man/costgate-check.1",
        "completions/costgate.bash",
        "completions/costgate.zsh",
        "completions/costgate.fish",
    ] {
        assert!(
            entries.contains(&page),
            "{page} not in the archive: {listed}"
        );
    }
    // A tag that is not the crate's version is refused.
    assert_eq!(run("v9.9.9").status.code(), Some(2));
    // A Linux binary that is not statically linked is refused (when `file` is there to tell).
    if Command::new("file").arg("--version").output().is_ok() {
        let out = run_for("x86_64-unknown-linux-musl", &format!("v{version}"));
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stdout).contains("is not static"));
    }
}

/// `cargo install costgate` builds from the published crate: it must hold the embedded
/// catalogs and policies (include_str!) and no test fixtures.
#[test]
fn the_published_crate_holds_the_catalogs_and_policies() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(repo)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect();
    for f in [
        "Cargo.lock",
        "README.md",
        "src/main.rs",
        "pricing/aws.json",
        "pricing/machines/gcp.json",
        "policies/defaults.json",
        "policies/budget.rego",
        "benches/pipeline.rs",
    ] {
        assert!(files.iter().any(|x| x == f), "{f} missing from the package");
    }
    // Every file the code embeds is in the package.
    for e in walkdir::WalkDir::new(repo.join("src")) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        for (i, _) in text.match_indices("include_str!(\"") {
            let rel = &text[i + 14..];
            let rel = &rel[..rel.find('"').unwrap()];
            let p = crate_path(repo, e.path().parent().unwrap(), rel);
            assert!(
                files.contains(&p),
                "{p} (embedded by {}) missing",
                e.path().display()
            );
        }
    }
    assert!(!files
        .iter()
        .any(|f| f.starts_with("testdata/") || f.starts_with("tests/")));
}

/// `dir/rel` relative to the crate root, `/`-separated.
fn crate_path(repo: &Path, dir: &Path, rel: &str) -> String {
    let mut parts: Vec<String> = dir
        .strip_prefix(repo)
        .unwrap()
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    for seg in rel.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s.to_string()),
        }
    }
    parts.join("/")
}

/// Runs action/check.sh with a stand-in `costgate` (a shell script) first on PATH; returns
/// (exit code, stdout, the environment the stand-in saw, $GITHUB_OUTPUT).
fn run_check_sh(fake_json: &str) -> (i32, String, String, String) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let fake = bin.join("costgate");
    let env_dump = dir.path().join("env.txt");
    std::fs::write(
        &fake,
        format!(
            "#!/usr/bin/env bash\nenv >> '{}'\ncase \"$*\" in *'--format json'*) printf '%s' '{}' ;; *'--format markdown'*) echo '<!-- costgate:comment -->' ;; esac\nexit 0\n",
            env_dump.display(),
            fake_json
        ),
    )
    .unwrap();
    let mut perm = std::fs::metadata(&fake).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o755);
    std::fs::set_permissions(&fake, perm).unwrap();
    let output = dir.path().join("output.txt");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let out = Command::new("bash")
        .arg(repo.join("action/check.sh"))
        .current_dir(dir.path())
        .env("PATH", path)
        .env("RUNNER_TEMP", dir.path())
        .env("GITHUB_OUTPUT", &output)
        .env("CG_PATH", "plan.json")
        .env("CG_COMMENT", "true")
        .env("CG_TOKEN", "tok-cg-secret")
        .env("GITHUB_TOKEN", "tok-gh-secret")
        .env("GH_TOKEN", "tok-gh2-secret")
        .env("INPUT_GITHUB-TOKEN", "tok-input-secret")
        .env("ACTIONS_RUNTIME_TOKEN", "tok-runtime-secret")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        std::fs::read_to_string(&env_dump).unwrap_or_default(),
        std::fs::read_to_string(&output).unwrap_or_default(),
    )
}

/// The check step (which evaluates the PR's files) never sees a token, even one the workflow
/// put in the job's environment; it writes the comment body for the comment step.
#[test]
fn check_step_runs_costgate_without_any_token() {
    let ok = r#"{"totals":{"monthly_after":"10.00","monthly_delta":"-1.50"},"findings":[{"severity":"deny","waived":false},{"severity":"deny","waived":true},{"severity":"warn"}]}"#;
    let (code, stdout, env, output) = run_check_sh(ok);
    assert_eq!(code, 0, "{stdout}");
    assert!(env.contains("PATH="), "the stand-in ran");
    assert!(!env.contains("secret"), "a token reached costgate:\n{env}");
    assert!(
        output.contains("deny-count=1\n") && output.contains("warn-count=1\n"),
        "{output}"
    );
    assert!(output.contains("monthly-delta=-1.50\n"), "{output}");
    assert!(output.contains("comment-file="), "{output}");
    // The action gives the token to the comment step only.
    let action =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    assert_eq!(action.matches("inputs.github-token").count(), 1);
    let comment_step = action
        .split("- name: Update the PR comment")
        .nth(1)
        .unwrap();
    let comment_step = comment_step.split("- name:").next().unwrap();
    assert!(comment_step.contains("CG_TOKEN: ${{ inputs.github-token }}"));
    assert!(comment_step.contains("action/comment.sh"));
}

/// A report that cannot be read fails the step (exit 2), never counts as zero findings.
#[test]
fn check_step_fails_closed_on_an_unreadable_report() {
    for bad in [
        "",
        "not json",
        r#"{"totals":{"monthly_after":"1"}"#,
        r#"{"findings":"x"}"#,
        r#"[1,2]"#,
    ] {
        let (code, stdout, _, output) = run_check_sh(bad);
        assert_eq!(code, 2, "{bad:?}: {stdout}");
        assert!(
            stdout.contains("::error title=costgate::cannot read costgate's JSON report"),
            "{stdout}"
        );
        assert!(!output.contains("deny-count"), "{bad:?}: {output}");
    }
}

#[test]
fn gate_fails_closed_without_counts() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let gate = |deny: &str, warn: &str, fail_on: &str| {
        Command::new("bash")
            .arg(repo.join("action/gate.sh"))
            .env("CG_DENY", deny)
            .env("CG_WARN", warn)
            .env("CG_FAIL_ON", fail_on)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(gate("0", "0", "deny"), Some(0));
    assert_eq!(gate("1", "0", "deny"), Some(1));
    assert_eq!(gate("0", "2", "deny"), Some(0));
    assert_eq!(gate("0", "2", "warn"), Some(1));
    assert_eq!(gate("3", "0", "never"), Some(0));
    assert_eq!(gate("", "0", "deny"), Some(2));
    assert_eq!(gate("0", "x", "never"), Some(2));
    assert_eq!(gate("0", "0", "sometimes"), Some(2));
}
