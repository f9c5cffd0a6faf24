//! The CPU budget of password hashing: a token bucket of hashing seconds per second (a share
//! of one core), with a burst so that the first logins after a quiet spell start at once, a
//! short queue behind it, and a refusal beyond the queue. Capping how many hashes run at once
//! (`hashing::Hashing`'s slots) was not enough: one slot still took a whole core whenever the
//! readers paused, and beside a storm of logins the feed's p99 rose 4.6× (issue #19). Kept as
//! a theoretical arrival time (GCRA): each hash moves it forward by its cost divided by the
//! share; a hash may start once it is at most the burst ahead of now. Pure: every method takes
//! the time, so the tests move a fake clock.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::config::HashingBudget;

/// What a hash is assumed to cost before any has been measured (argon2id, 19 MiB, t=2, on
/// one core: 13.5 ms in release, more in a debug build), in nanoseconds.
const FIRST_ESTIMATE: i64 = 20_000_000;
/// Each measured cost moves the estimate a fifth of the way.
const LEARNING: i64 = 5;

/// Times are whole nanoseconds (so the arithmetic is exact).
fn nanos(d: Duration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

fn duration(ns: i64) -> Duration {
    Duration::from_nanos(u64::try_from(ns).unwrap_or(0))
}

pub struct Budget {
    /// Percent of one core: CPU time of hashing per wall time.
    percent: i64,
    /// How far ahead of now the arrival time may be for a hash to start at once.
    tolerance: i64,
    /// How long a hash may wait for its turn; beyond it the request is refused.
    queue: i64,
    origin: Instant,
    state: Mutex<State>,
}

struct State {
    /// The theoretical arrival time, since `origin`.
    arrival: i64,
    /// The running estimate of one hash's CPU cost.
    estimate: i64,
}

/// A place in the budget: when the hash may start, and the CPU time charged for it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reservation {
    pub start: Instant,
    charged: i64,
}

/// Beyond the queue: retry after this many seconds (at least 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub retry_after_secs: u64,
}

impl Budget {
    pub fn new(settings: &HashingBudget, origin: Instant) -> Budget {
        let percent = i64::from(settings.percent_of_a_core.max(1));
        Budget {
            percent,
            tolerance: nanos(settings.burst).saturating_mul(100) / percent,
            queue: nanos(settings.queue),
            origin,
            state: Mutex::new(State {
                arrival: 0,
                estimate: FIRST_ESTIMATE,
            }),
        }
    }

    /// The wall time that `cpu` of hashing takes from the budget.
    fn wall(&self, cpu: i64) -> i64 {
        cpu.saturating_mul(100) / self.percent
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A place for one hash asked for at `now`, charged at the current estimate; or, when it
    /// would wait longer than the queue allows, a refusal (nothing is charged).
    pub fn reserve(&self, now: Instant) -> Result<Reservation, Refused> {
        let now_ns = nanos(now.saturating_duration_since(self.origin));
        let mut state = self.state();
        let wait = (state.arrival - self.tolerance - now_ns).max(0);
        if wait > self.queue {
            return Err(Refused {
                retry_after_secs: duration(wait).as_secs_f64().ceil().max(1.0) as u64,
            });
        }
        let charged = state.estimate;
        state.arrival = state.arrival.max(now_ns) + self.wall(charged);
        Ok(Reservation {
            start: now + duration(wait),
            charged,
        })
    }

    /// The hash of `reservation` ran and cost `spent` of CPU: the difference from what was
    /// charged is charged (or given back), and the estimate learns from it.
    pub fn settle(&self, reservation: Reservation, spent: Duration) {
        let spent = nanos(spent);
        let difference = self.wall(spent - reservation.charged);
        let mut state = self.state();
        state.arrival += difference;
        state.estimate += (spent - state.estimate) / LEARNING;
    }

    /// The hash of `reservation` never ran (its request went away): its charge is given back.
    pub fn cancel(&self, reservation: Reservation) {
        let charge = self.wall(reservation.charged);
        self.state().arrival -= charge;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    /// 20 % of a core, 100 ms of burst (500 ms of wall time), 1 s of queue; the first
    /// estimate is 20 ms, so each hash moves the arrival time 100 ms.
    fn budget() -> (Budget, Instant) {
        let origin = Instant::now();
        let settings = HashingBudget {
            percent_of_a_core: 20,
            burst: 100 * MS,
            queue: 1000 * MS,
        };
        (Budget::new(&settings, origin), origin)
    }

    fn waits(budget: &Budget, now: Instant, count: usize) -> Vec<Result<u64, Refused>> {
        (0..count)
            .map(|_| {
                budget
                    .reserve(now)
                    .map(|r| (r.start - now).as_millis() as u64)
            })
            .collect()
    }

    #[test]
    fn after_a_quiet_spell_a_burst_starts_at_once_then_queues_then_is_refused() {
        let (budget, t0) = budget();
        let at_once = waits(&budget, t0, 6);
        assert_eq!(at_once, vec![Ok(0); 6], "the burst and the first hash");
        let queued = waits(&budget, t0, 10);
        let expected: Vec<_> = (1..=10).map(|n| Ok(n * 100)).collect();
        assert_eq!(queued, expected, "one every 100 ms, up to 1 s");
        assert_eq!(
            budget.reserve(t0),
            Err(Refused {
                retry_after_secs: 2
            }),
            "1.1 s away: beyond the queue"
        );
        let later = t0 + 600 * MS;
        assert_eq!(
            waits(&budget, later, 1),
            vec![Ok(500)],
            "refusals cost nothing"
        );
    }

    #[test]
    fn the_budget_refills_at_its_share_of_a_core() {
        let (budget, t0) = budget();
        waits(&budget, t0, 16);
        assert!(budget.reserve(t0).is_err());
        // 1.6 s charged: 1.1 s later the arrival time is the burst ahead again.
        assert_eq!(waits(&budget, t0 + 1100 * MS, 1), vec![Ok(0)]);
        // After a long quiet spell the whole burst is back, and no more.
        let idle = t0 + Duration::from_secs(60);
        assert_eq!(waits(&budget, idle, 6), vec![Ok(0); 6]);
        assert_eq!(waits(&budget, idle, 1), vec![Ok(100)]);
    }

    #[test]
    fn a_hash_that_cost_more_than_its_charge_pushes_the_next_ones_back() {
        let (budget, t0) = budget();
        let first = budget.reserve(t0).unwrap();
        // 60 ms of CPU instead of the 20 charged: 200 ms more of wall time at 20 %.
        budget.settle(first, 60 * MS);
        // The arrival time is 300 ms on, and the estimate 28 ms (140 ms of wall time): two
        // more start at once instead of five.
        let next = waits(&budget, t0, 3);
        assert_eq!(next, vec![Ok(0), Ok(0), Ok(80)]);
    }

    #[test]
    fn the_estimate_learns_the_measured_cost() {
        let (budget, t0) = budget();
        for n in 0..50 {
            let r = budget.reserve(t0 + Duration::from_secs(n)).unwrap();
            budget.settle(r, 10 * MS);
        }
        let estimate = budget.state().estimate;
        assert!((estimate - 10_000_000).abs() < 1_000, "{estimate}");
    }

    #[test]
    fn a_cancelled_reservation_gives_its_charge_back() {
        let (budget, t0) = budget();
        let _burst = waits(&budget, t0, 6);
        let queued = budget.reserve(t0).unwrap();
        assert_eq!(queued.start, t0 + 100 * MS);
        budget.cancel(queued);
        assert_eq!(budget.reserve(t0).unwrap().start, t0 + 100 * MS);
    }
}
