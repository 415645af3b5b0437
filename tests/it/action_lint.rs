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
    let mut inputs = vec![repo.join("action.yml"), wf];
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
