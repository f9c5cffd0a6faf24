//! The retry schedule shared by the background workers that talk to the outside world
//! (webhooks, email): exponential backoff with jitter, so that failures spread out instead of
//! hammering a struggling endpoint in step.

use rand::Rng;

/// The first retry waits about this long; each later one twice as long, up to `MAX_DELAY_SECS`.
const FIRST_DELAY_SECS: i64 = 10;
const MAX_DELAY_SECS: i64 = 3600;

/// Exponential backoff with jitter: after the n-th failed attempt, wait between half and
/// all of `FIRST_DELAY_SECS × 2^(n-1)`, capped at an hour. About 30 attempts fit in 24 h.
pub fn backoff(attempts: i32) -> chrono::Duration {
    let exp = attempts.saturating_sub(1).clamp(0, 20) as u32;
    let full = FIRST_DELAY_SECS
        .saturating_mul(1 << exp)
        .min(MAX_DELAY_SECS)
        * 1000;
    let half = full / 2;
    chrono::Duration::milliseconds(half + rand::thread_rng().gen_range(0..=half))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_an_hour_with_jitter() {
        for _ in 0..50 {
            let first = backoff(1).num_milliseconds();
            assert!((5_000..=10_000).contains(&first), "{first}");
            let fourth = backoff(4).num_milliseconds();
            assert!((40_000..=80_000).contains(&fourth), "{fourth}");
            let late = backoff(40).num_milliseconds();
            assert!((1_800_000..=3_600_000).contains(&late), "{late}");
        }
        let total: i64 = (1..=30).map(|n| backoff(n).num_seconds()).sum();
        assert!(total > 10 * 3600 && total < 24 * 3600, "{total}");
    }
}
