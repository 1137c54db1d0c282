//! `PHONELINT_TIMINGS=1`: the time each stage of a check took, on stderr, for
//! profiling and for bug reports about speed (see BENCHMARKS.md), with the
//! process's resident memory at the end of the stage and at its peak so far
//! (where the system says, as Linux does in /proc/self/status). Silent and
//! nearly free otherwise.

use std::time::{Duration, Instant};

/// Marks the end of stages, each measured from the previous mark.
#[derive(Debug)]
pub struct Timings {
    last: Option<Instant>,
}

impl Timings {
    /// Starts timing when `PHONELINT_TIMINGS` is set to anything but empty
    /// or `0`.
    pub fn start() -> Self {
        Self {
            last: enabled().then(Instant::now),
        }
    }

    /// Reports the stage that ends now.
    pub fn mark(&mut self, stage: &str) {
        if let Some(last) = self.last {
            let now = Instant::now();
            report(stage, now.duration_since(last));
            self.last = Some(now);
        }
    }
}

/// Says something about how the check went (`phonelint: note: ...`) when
/// stages are timed, as a timing does: what the cache held, why it was not
/// used. Silent otherwise.
pub fn note(what: &str) {
    use std::io::Write;
    if enabled() {
        // Never fails a check, as a timing does not.
        let _ = writeln!(std::io::stderr().lock(), "phonelint: timing: note: {what}");
    }
}

fn enabled() -> bool {
    std::env::var_os("PHONELINT_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0")
}

fn report(stage: &str, took: Duration) {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    // Never fails a check: a lost timing line is not worth an error.
    let _ = writeln!(
        stderr,
        "phonelint: timing: {stage:<24} {:>9.1} ms",
        took.as_secs_f64() * 1000.0
    );
    if let Some((now, peak)) = resident() {
        let _ = writeln!(
            stderr,
            "phonelint: memory: {stage:<24} {:>9.1} MB resident, {:.1} MB at most",
            mb(now),
            mb(peak)
        );
    }
}

fn mb(kilobytes: u64) -> f64 {
    kilobytes as f64 / 1024.0
}

/// The resident set now and at its peak, in kilobytes (`VmRSS`, `VmHWM`).
fn resident() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kilobytes| kilobytes.parse().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}
