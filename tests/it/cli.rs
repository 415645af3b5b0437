//! The small comforts around the commands: shell completions and man pages, generated from the
//! clap definition (so a flag added to a command shows up in both).

use assert_cmd::Command;

fn costgate() -> Command {
    Command::cargo_bin("costgate").unwrap()
}

fn stdout(args: &[&str]) -> String {
    let out = costgate().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn completions_cover_every_subcommand_and_flag() {
    let bash = stdout(&["completions", "bash"]);
    assert!(bash.contains("complete -F _costgate"), "{bash:.200}");
    for word in [
        "estimate",
        "explain",
        "check",
        "pricing",
        "--base-ref",
        "--fail-on",
    ] {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    let zsh = stdout(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef costgate"), "{zsh:.80}");
    let fish = stdout(&["completions", "fish"]);
    assert!(fish.contains("complete -c costgate"), "{fish:.80}");
    let bad = costgate().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn man_pages_render_as_roff_for_commands_and_subcommands() {
    let main = stdout(&["man"]);
    assert!(main.contains(".TH costgate 1"), "{main:.300}");
    assert!(
        main.contains("\\-\\-pricing\\-dir"),
        "global flags documented"
    );
    let refresh = stdout(&["man", "pricing", "refresh"]);
    assert!(
        refresh.contains(".TH costgate-pricing-refresh 1"),
        "{refresh:.300}"
    );
    assert!(refresh.contains(env!("CARGO_PKG_VERSION")));
    assert!(refresh.contains("\\-\\-cloud"));

    let bad = costgate().args(["man", "nope"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("no subcommand `nope`") && err.contains("check"),
        "{err}"
    );
}

#[test]
fn man_out_writes_one_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    costgate()
        .args(["man", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    for page in [
        "costgate.1",
        "costgate-check.1",
        "costgate-pricing-refresh.1",
        "costgate-policy-test.1",
        "costgate-comment-github.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(page))
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.starts_with(".ie") && text.contains(".TH"), "{page}");
    }
    assert!(!dir.path().join("costgate-help.1").exists());
}
