//! Where a start's time goes: with `BROADSHEET_TIMINGS` set, each phase of loading and
//! searching prints its duration on stderr (`broadsheet: timing: parse 212.4 ms (total 215.0 ms)`).
//! Off, a phase costs one relaxed load. For measuring the cold path (the scale issue asks for its
//! breakdown), not for users.

use std::sync::Mutex;
use std::sync::OnceLock;
use std::time::Instant;

/// When the process started measuring, and when the last phase ended.
static CLOCK: OnceLock<Option<(Instant, Mutex<Instant>)>> = OnceLock::new();

fn clock() -> Option<&'static (Instant, Mutex<Instant>)> {
    CLOCK
        .get_or_init(|| {
            std::env::var_os("BROADSHEET_TIMINGS").map(|_| {
                let now = Instant::now();
                (now, Mutex::new(now))
            })
        })
        .as_ref()
}

/// Starts the clock (the first phase counts from here).
pub fn start() {
    let _ = clock();
}

/// The phase `name` ended now: its duration since the last one ended.
pub fn phase(name: &str) {
    let Some((start, last)) = clock() else { return };
    let now = Instant::now();
    let Ok(mut last) = last.lock() else { return };
    eprintln!(
        "broadsheet: timing: {name} {:.1} ms (total {:.1} ms)",
        (now - *last).as_secs_f64() * 1e3,
        (now - *start).as_secs_f64() * 1e3
    );
    *last = now;
}
