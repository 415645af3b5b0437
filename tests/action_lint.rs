//! Static analysis of the composite action, the act test workflows and the copy-paste workflow
//! in docs/github.md with zizmor (offline; settings in testdata/action/zizmor.yml): template
//! injection, credential persistence, unpinned actions, excessive permissions. Skips when
//! zizmor (PyPI `zizmor`) is not installed.

use std::path::Path;
use std::process::Command;

fn zizmor() -> Option<String> {
    let z = std::env::var("ZIZMOR").unwrap_or_else(|_| "zizmor".into());
    let ok = Command::new(&z)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(z)
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
        eprintln!("skipped: zizmor not installed (pip install zizmor)");
        return;
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
    // A stand-in binary (a script): the macOS target, whose step does not check static linking.
    let target = "aarch64-apple-darwin";
    for t in [target, "x86_64-unknown-linux-musl"] {
        let bin = dir.path().join(format!("target/{t}/release"));
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::write(bin.join("costgate"), "#!/bin/sh\n").unwrap();
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
    assert_eq!(String::from_utf8_lossy(&list.stdout), "costgate\n");
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
