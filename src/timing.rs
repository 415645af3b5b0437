//! Phase timings for profiling: with `COSTGATE_TIMINGS=1` each phase prints
//! `costgate timing: <phase> <ms> ms` to stderr. Benchmarks (benches/) measure speed; this only
//! shows where a slow real-world run spends its time.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("COSTGATE_TIMINGS").is_some_and(|v| v != "0"))
}

/// Run `f`, printing how long it took when timings are on.
pub fn phase<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let (t, cpu) = (Instant::now(), cpu_ms());
    let out = f();
    eprintln!(
        "costgate timing: {name} {:.1} ms (cpu {:.0} ms, rss {:.0} MiB, peak {:.0} MiB)",
        t.elapsed().as_secs_f64() * 1e3,
        cpu_ms() - cpu,
        status_mib("VmRSS:").unwrap_or(f64::NAN),
        status_mib("VmHWM:").unwrap_or(f64::NAN)
    );
    out
}

/// CPU time of the whole process so far (user + system, all threads), from /proc.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at `) `.
    let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
    let ticks: f64 = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|v| v.parse::<f64>().ok())
        .sum();
    ticks * 10.0 // clock ticks of 10 ms (USER_HZ = 100 on Linux)
}

/// Print the process's peak resident memory (Linux `VmHWM`) when timings are on.
pub fn peak_memory() {
    if !enabled() {
        return;
    }
    if let Some(mib) = status_mib("VmHWM:") {
        eprintln!("costgate timing: peak memory {mib:.1} MiB");
    }
}

/// A memory figure from /proc/self/status (`VmRSS:`, `VmHWM:`), in MiB.
fn status_mib(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())?;
    Some(kib / 1024.0)
}
