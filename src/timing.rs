//! Stage timings on stderr when `BDTX_TIMINGS` is set: where a run spends its time and
//! memory (resident and peak resident size, on Linux).

use std::sync::Mutex;
use std::time::Instant;

/// When the previous mark was made, and the process's CPU seconds then.
static LAST: Mutex<Option<(Instant, f64)>> = Mutex::new(None);

/// Prints the time since the previous mark, labelled `stage`, when `BDTX_TIMINGS` is set.
pub fn mark(stage: &str) {
    if std::env::var_os("BDTX_TIMINGS").is_none() {
        return;
    }
    let (now, cpu) = (Instant::now(), cpu_seconds());
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((prev, prev_cpu)) = *last {
        // CPU seconds over wall seconds: how many cores the stage kept busy.
        eprintln!(
            "{stage:>24}: {:7.3} s  cpu {:6.2} s {}",
            (now - prev).as_secs_f64(),
            cpu - prev_cpu,
            memory()
        );
    }
    *last = Some((now, cpu));
}

/// CPU seconds the process has used (user and system, every thread), from /proc/self/stat
/// in clock ticks of 1/100 s; 0 where there is none.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: u64 = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse::<u64>().ok())
        .sum();
    ticks as f64 / 100.0
}

/// "rss … MB, peak … MB" from /proc/self/status, or nothing where there is none.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kb| kb / 1024)
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(rss), Some(peak)) => format!(" rss {rss:6} MB, peak {peak:6} MB"),
        _ => String::new(),
    }
}

/// Runs `f` and, when `BDTX_TIMINGS` is set, prints how long it took (for tasks that run
/// side by side, where marks between stages cannot tell them apart).
pub fn timed<T>(task: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    if std::env::var_os("BDTX_TIMINGS").is_some() {
        eprintln!("{:>24}  {:7.3} s", task, start.elapsed().as_secs_f64());
    }
    out
}
