//! Stage timings on stderr when `BDTX_TIMINGS` is set: where a run spends its time.

use std::sync::Mutex;
use std::time::Instant;

static LAST: Mutex<Option<Instant>> = Mutex::new(None);

/// Prints the time since the previous mark, labelled `stage`, when `BDTX_TIMINGS` is set.
pub fn mark(stage: &str) {
    if std::env::var_os("BDTX_TIMINGS").is_none() {
        return;
    }
    let now = Instant::now();
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(prev) = *last {
        eprintln!("{stage:>24}: {:7.3} s", (now - prev).as_secs_f64());
    }
    *last = Some(now);
}
