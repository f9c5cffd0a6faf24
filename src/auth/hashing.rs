//! Where argon2 work is admitted on this instance. Two limits: the CPU budget
//! (`hash_budget.rs`: a share of one core, a burst, a short queue, then 429 with
//! `Retry-After`), which keeps a storm of logins from slowing the readers; and the slots, at
//! most half the cores hashing at once, which bound the memory (19 MiB per hash). A login
//! takes its place in the budget before anything else ([`Hashing::reserve`]), so a refused
//! one costs no database work and no throttle attempt.

use std::time::{Duration, Instant};

use anyhow::anyhow;
use tokio::sync::{Semaphore, SemaphorePermit};

use super::hash_budget::{Budget, Refused, Reservation};
use crate::config::HashingBudget;
use crate::error::{AppError, Result};

/// The budget and the slots of one instance.
pub struct Hashing {
    budget: Budget,
    free: Semaphore,
    count: u32,
    wait: Duration,
}

/// How long a hash whose turn came waits for a free slot before `503` with `Retry-After`.
pub const SLOT_WAIT: Duration = Duration::from_secs(3);

impl Hashing {
    pub fn new(budget: &HashingBudget, slots: u32, wait: Duration) -> Hashing {
        let count = slots.max(1);
        Hashing {
            budget: Budget::new(budget, Instant::now()),
            free: Semaphore::new(count as usize),
            count,
            wait,
        }
    }

    /// Half the cores (at least one), so hashing always leaves cores to the readers.
    pub fn for_this_machine(budget: &HashingBudget) -> Hashing {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Hashing::new(
            budget,
            u32::try_from(cores / 2).unwrap_or(u32::MAX),
            SLOT_WAIT,
        )
    }

    /// A place in the budget for one hash, or `429` with `Retry-After` when the queue is full.
    pub fn reserve(&self) -> Result<Ticket<'_>> {
        match self.budget.reserve(Instant::now()) {
            Ok(reservation) => Ok(Ticket {
                hashing: self,
                reservation: Some(reservation),
            }),
            Err(Refused { retry_after_secs }) => {
                Err(AppError::TooManyRequests { retry_after_secs })
            }
        }
    }

    /// A free slot, waiting at most `wait`.
    async fn slot(&self) -> Result<SemaphorePermit<'_>> {
        match tokio::time::timeout(self.wait, self.free.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(AppError::Busy {
                retry_after_secs: self.wait.as_secs().max(1),
            }),
        }
    }

    /// Every slot, for tests that need the hashing to be busy.
    pub async fn take_all(&self) -> Result<SemaphorePermit<'_>> {
        self.free
            .acquire_many(self.count)
            .await
            .map_err(|e| anyhow!("hashing slots closed: {e}").into())
    }
}

/// A place in the budget for one hash; given back if dropped unused (its request went away,
/// or the throttle refused it).
pub struct Ticket<'a> {
    hashing: &'a Hashing,
    reservation: Option<Reservation>,
}

impl Ticket<'_> {
    /// Waits for this ticket's turn and a slot, then runs `work` in the background
    /// (`crate::background`), charging the budget the CPU time it took.
    pub(super) async fn run<T: Send + 'static>(
        mut self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        let Some(reservation) = self.reservation else {
            return Err(anyhow!("a hashing ticket used twice").into());
        };
        tokio::time::sleep_until(reservation.start.into()).await;
        let _slot = self.hashing.slot().await?;
        self.reservation = None;
        let (out, spent) = crate::background::run("argon2", move || {
            let started = crate::background::thread_cpu_time();
            let out = work();
            (
                out,
                crate::background::thread_cpu_time().saturating_sub(started),
            )
        })
        .await?;
        self.hashing.budget.settle(reservation, spent);
        Ok(out)
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        if let Some(reservation) = self.reservation.take() {
            self.hashing.budget.cancel(reservation);
        }
    }
}
