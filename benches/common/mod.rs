//! What both benchmark harnesses need.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs a command to the end; returns its wall time and peak resident memory (bytes).
///
/// The command runs under GNU time (`/usr/bin/time -f %M`, its report written in `dir`), which
/// reports the peak of the command alone: a process spawned by a (large) bench process would
/// start its `ru_maxrss` from the bench's own size. The command's output is discarded.
pub fn run_measured(command: &mut Command, dir: &Path) -> (Duration, u64) {
    let report = dir.join(format!("peak-{}.txt", std::process::id()));
    let mut timed = Command::new("/usr/bin/time");
    timed.arg("-f").arg("%M").arg("-o").arg(&report).arg(command.get_program()).args(command.get_args());
    // The command's own environment too (the cache directory): a new Command starts without it.
    timed.envs(command.get_envs().filter_map(|(key, value)| Some((key, value?))));
    let start = Instant::now();
    let status = timed.stdout(Stdio::null()).stderr(Stdio::null()).status().expect("/usr/bin/time runs");
    let took = start.elapsed();
    assert!(status.success(), "command failed: {command:?}");
    let kib: u64 = std::fs::read_to_string(&report).unwrap().trim().parse().expect("a size in KiB");
    (took, kib * 1024)
}
