//! `PHONELINT_TIMINGS=1`: the time each stage of a check took, on stderr, for
//! profiling and for bug reports about speed (see BENCHMARKS.md). Silent and
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
        let enabled =
            std::env::var_os("PHONELINT_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0");
        Self {
            last: enabled.then(Instant::now),
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

fn report(stage: &str, took: Duration) {
    use std::io::Write;
    // Never fails a check: a lost timing line is not worth an error.
    let _ = writeln!(
        std::io::stderr(),
        "phonelint: timing: {stage:<24} {:>9.1} ms",
        took.as_secs_f64() * 1000.0
    );
}
