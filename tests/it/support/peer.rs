//! Optional peer tools (real OPA, act, zizmor, Chromium). A test whose peer is missing never
//! reports a silent `ok`: under CI (env `CI` set to anything but `""`, `0` or `false`) it
//! fails, since `.ci/run` installs every peer; elsewhere it prints a visible `SKIP` line
//! (written straight to stderr, past the test harness's output capture) and returns.

use std::io::Write;
use std::process::Command;

/// Whether this run is CI, where every peer must be present.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

/// The peer `name` is missing (`install` says how to get it): panics under CI, otherwise
/// prints `SKIP: <test>: ...` past the capture. The caller returns right after.
pub fn missing(name: &str, install: &str) {
    let test = std::thread::current().name().unwrap_or("?").to_string();
    let line = format!("SKIP: {test}: {name} not installed ({install})");
    if in_ci() {
        panic!("{line}; CI is set, so every peer must be installed (see .ci/run)");
    }
    // `eprintln!` output is captured for passing tests; a direct write to stderr is not.
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Whether `tool --version` runs and succeeds.
pub fn runs(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}
