//! The time source of the service layer. Handlers and services ask the injected clock, never
//! `Utc::now()` directly, so tests can move time (session expiry, throttling windows,
//! scheduled publishing) without sleeping.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, DurationRound, Utc};

/// A shared, cheaply clonable clock.
#[derive(Clone)]
pub struct Clock(Arc<Source>);

enum Source {
    System,
    Manual(Mutex<DateTime<Utc>>),
}

impl Clock {
    /// The real wall clock.
    pub fn system() -> Self {
        Clock(Arc::new(Source::System))
    }

    /// A clock that stands still at `at` until moved with [`Clock::advance`] (tests).
    pub fn manual(at: DateTime<Utc>) -> Self {
        Clock(Arc::new(Source::Manual(Mutex::new(at))))
    }

    /// Now, truncated to microseconds: what PostgreSQL stores, so values round-trip exactly.
    pub fn now(&self) -> DateTime<Utc> {
        let now = match &*self.0 {
            Source::System => Utc::now(),
            Source::Manual(at) => *at.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
        };
        now.duration_trunc(Duration::microseconds(1)).unwrap_or(now)
    }

    /// Moves a manual clock forward; the system clock ignores it.
    pub fn advance(&self, by: Duration) {
        if let Source::Manual(at) = &*self.0 {
            let mut at = at.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            *at += by;
        }
    }
}
