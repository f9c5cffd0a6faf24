//! Progress of a seed run on standard error: a bar redrawn in place on a terminal, otherwise a
//! plain line every few seconds (for logs and CI).

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub struct Progress {
    enabled: bool,
    terminal: bool,
    total: u64,
    /// Stories already there when the run started (not counted in the rate).
    start: u64,
    started: Instant,
    shown: Option<Instant>,
}

impl Progress {
    /// `enabled = false` prints nothing (the library's tests).
    pub fn new(enabled: bool, start: u64, total: u64) -> Progress {
        Progress {
            enabled,
            terminal: std::io::stderr().is_terminal(),
            total,
            start,
            started: Instant::now(),
            shown: None,
        }
    }

    pub fn update(&mut self, done: u64) {
        let every = if self.terminal {
            Duration::from_millis(200)
        } else {
            Duration::from_secs(5)
        };
        if self.enabled && self.shown.is_none_or(|t| t.elapsed() >= every) {
            self.shown = Some(Instant::now());
            self.print(done);
        }
    }

    pub fn finish(&mut self, done: u64) {
        if self.enabled {
            self.print(done);
            if self.terminal {
                eprintln!();
            }
        }
    }

    fn print(&self, done: u64) {
        let line = line(
            done,
            self.total,
            done.saturating_sub(self.start),
            self.started.elapsed(),
        );
        let mut err = std::io::stderr().lock();
        let _ = if self.terminal {
            write!(err, "\r{line}\x1b[K")
        } else {
            writeln!(err, "{line}")
        };
        let _ = err.flush();
    }
}

/// `[#####---------------]  25% 250,000/1,000,000 articles  8,123/s  ETA 1m32s`
fn line(done: u64, total: u64, this_run: u64, elapsed: Duration) -> String {
    let share = if total == 0 {
        1.0
    } else {
        done as f64 / total as f64
    };
    let filled = (share * 20.0).round() as usize;
    let rate = this_run as f64 / elapsed.as_secs_f64().max(0.001);
    let eta = if rate > 0.0 {
        clock(((total - done.min(total)) as f64 / rate) as u64)
    } else {
        "?".to_owned()
    };
    format!(
        "[{}{}] {:>3.0}% {}/{} articles  {}/s  ETA {eta}",
        "#".repeat(filled.min(20)),
        "-".repeat(20 - filled.min(20)),
        share * 100.0,
        grouped(done),
        grouped(total),
        grouped(rate as u64),
    )
}

fn clock(secs: u64) -> String {
    match secs {
        0..=59 => format!("{secs}s"),
        60..=3599 => format!("{}m{:02}s", secs / 60, secs % 60),
        _ => format!("{}h{:02}m", secs / 3600, secs / 60 % 60),
    }
}

/// 1234567 -> `1,234,567`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_shows_count_rate_and_eta() {
        let l = line(250_000, 1_000_000, 200_000, Duration::from_secs(20));
        assert_eq!(
            l,
            "[#####---------------]  25% 250,000/1,000,000 articles  10,000/s  ETA 1m15s"
        );
        assert!(line(0, 10, 0, Duration::ZERO).ends_with("ETA ?"));
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
    }
}
