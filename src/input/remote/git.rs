//! Git sources through the system `git` CLI: never prompting for credentials
//! (`GIT_TERMINAL_PROMPT=0`, SSH in batch mode), no hooks, no fsmonitor, no submodules, no
//! system or global configuration, no `file://`/`ext::` transports, with a time limit and a
//! size limit (the clone is stopped once its directory grows past it).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::source::{redact_url, GitSource};

/// Clone `g` into `dest` (which must not exist) and drop its `.git` directory.
pub fn clone(g: &GitSource, dest: &Path, timeout: Duration, max_bytes: u64) -> Result<(), String> {
    let full_sha = g
        .reference
        .as_deref()
        .is_some_and(|r| r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit()));
    let mut args: Vec<String> = vec!["clone".into(), "--quiet".into(), "--no-tags".into()];
    if full_sha {
        args.push("--no-checkout".into());
    } else {
        if let Some(d) = g.depth {
            args.push(format!("--depth={d}"));
        }
        if let Some(r) = &g.reference {
            args.push(format!("--branch={r}"));
        }
    }
    args.push("--".into());
    args.push(g.url.clone());
    args.push(dest.display().to_string());
    run(&args, None, timeout, &g.url, Some((dest, max_bytes)))?;
    if full_sha {
        let r = g.reference.as_deref().unwrap_or_default();
        run(
            &[
                "checkout".into(),
                "--quiet".into(),
                "--detach".into(),
                r.to_string(),
            ],
            Some(dest),
            timeout,
            &g.url,
            Some((dest, max_bytes)),
        )?;
    }
    let _ = std::fs::remove_dir_all(dest.join(".git"));
    Ok(())
}

/// Bytes under `d` (not following links).
fn size_of(d: &Path) -> u64 {
    walkdir::WalkDir::new(d)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

fn run(
    args: &[String],
    cwd: Option<&Path>,
    timeout: Duration,
    url: &str,
    watch: Option<(&Path, u64)>,
) -> Result<(), String> {
    let mut cmd = Command::new("git");
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("GIT_") {
            cmd.env_remove(k);
        }
    }
    cmd.args([
        "-c",
        "core.hooksPath=/dev/null",
        "-c",
        "core.fsmonitor=false",
        "-c",
        "protocol.ext.allow=never",
        "-c",
        "protocol.file.allow=never",
        "-c",
        "credential.helper=",
        "-c",
        "safe.bareRepository=explicit",
    ])
    .env("GIT_CONFIG_NOSYSTEM", "1")
    .env("GIT_CONFIG_GLOBAL", "/dev/null")
    .args(args)
    .env("GIT_TERMINAL_PROMPT", "0")
    .env("GIT_ASKPASS", "true")
    .env("SSH_ASKPASS", "true")
    .env(
        "GIT_SSH_COMMAND",
        "ssh -o BatchMode=yes -o StrictHostKeyChecking=yes",
    )
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    if let Some(d) = cwd {
        cmd.current_dir(d);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run `git` (is it installed?): {e}"))?;
    let mut stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(e) = stderr.as_mut() {
            use std::io::Read;
            let _ = e.take(64 * 1024).read_to_string(&mut s);
        }
        s
    });
    let start = Instant::now();
    let mut polls: u32 = 0;
    let status = loop {
        polls = polls.wrapping_add(1);
        if let Some((d, max)) = watch.filter(|_| polls % 25 == 0) {
            if size_of(d) > max {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "`git clone` of {} grew past {max} bytes; stopped",
                    redact_url(url)
                ));
            }
        }
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "`git clone` of {} took longer than {}s; stopped",
                    redact_url(url),
                    timeout.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("git failed: {e}")),
        }
    };
    let err = reader.join().unwrap_or_default();
    if status.success() {
        return Ok(());
    }
    // git's last message line, with the URL (which may carry user info) redacted.
    let last = err
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .replace(url, &redact_url(url));
    let last: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    Err(format!("`git clone` of {} failed: {last}", redact_url(url)))
}
