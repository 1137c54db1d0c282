//! `PHONELINT_TIMINGS=1`: the time each stage of a check took, on stderr, for
//! profiling and for bug reports about speed (see BENCHMARKS.md), with the
//! process's resident memory at the end of the stage and at its peak so far
//! (where the system says, as Linux does in /proc/self/status), and the
//! processor time the stage took on all cores (user and system, on Unix):
//! on a busy machine that tells what a stage costs when its wall time says
//! mostly how long it waited. Silent and nearly free otherwise.

use std::time::{Duration, Instant};

/// Marks the end of stages, each measured from the previous mark.
#[derive(Debug)]
pub struct Timings {
    last: Option<Instant>,
    /// The processor time used at the last mark.
    cpu: Option<Duration>,
}

impl Timings {
    /// Starts timing when `PHONELINT_TIMINGS` is set to anything but empty
    /// or `0`.
    pub fn start() -> Self {
        let last = enabled().then(Instant::now);
        Self {
            last,
            cpu: last.and_then(|_| cpu_time()),
        }
    }

    /// Reports the stage that ends now.
    pub fn mark(&mut self, stage: &str) {
        if let Some(last) = self.last {
            let now = Instant::now();
            let cpu = cpu_time();
            let spent = cpu
                .zip(self.cpu)
                .map(|(now, then)| now.saturating_sub(then));
            report(stage, now.duration_since(last), spent);
            self.last = Some(now);
            self.cpu = cpu;
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

/// The processor time the process has used so far, on all its threads.
#[cfg(unix)]
fn cpu_time() -> Option<Duration> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a rusage into the pointer it is given, which
    // points at one; the value is read only when it says it did.
    let usage = unsafe {
        (libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) == 0).then(|| usage.assume_init())
    }?;
    let time = |t: libc::timeval| {
        let seconds = u64::try_from(t.tv_sec).ok()?;
        let micros = u64::try_from(t.tv_usec).ok()?;
        Some(Duration::from_secs(seconds) + Duration::from_micros(micros))
    };
    Some(time(usage.ru_utime)? + time(usage.ru_stime)?)
}

#[cfg(not(unix))]
fn cpu_time() -> Option<Duration> {
    None
}

fn report(stage: &str, took: Duration, cpu: Option<Duration>) {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    // Never fails a check: a lost timing line is not worth an error.
    let _ = writeln!(
        stderr,
        "phonelint: timing: {stage:<24} {:>9.1} ms",
        took.as_secs_f64() * 1000.0
    );
    if let Some(cpu) = cpu {
        let _ = writeln!(
            stderr,
            "phonelint: cpu: {stage:<27} {:>9.1} ms on all cores",
            cpu.as_secs_f64() * 1000.0
        );
    }
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
