//! Background work: four loops per server instance (jobs, webhooks, email, story docs). Every job claims rows with
//! `FOR UPDATE SKIP LOCKED`, and each claim's locking scan states every condition of "due"
//! (so a row another instance claimed meanwhile is skipped), so any number of instances can
//! run against one database and one instance at a time handles a row: scheduled publishing
//! exactly once, webhooks and confirmations at least once, newsletters at most once (see
//! docs/scaling.md).

pub mod scheduler;

use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Interval;

use crate::state::AppState;

/// Tells the loops that the server is stopping: each finishes the pass it is in (so an email
/// handed to the SMTP server is also marked sent) and returns instead of starting another.
#[derive(Clone, Debug)]
pub struct Stop(watch::Receiver<bool>);

impl Stop {
    /// A signal and the sender that raises it (`send(true)`).
    pub fn new() -> (watch::Sender<bool>, Stop) {
        let (tx, rx) = watch::channel(false);
        (tx, Stop(rx))
    }

    /// A signal that is never raised (loops that run until aborted, as in the tests).
    pub fn never() -> Stop {
        Stop::new().1
    }

    /// Waits for the next tick; false when the server is stopping instead.
    async fn tick(&mut self, tick: &mut Interval) -> bool {
        if *self.0.borrow() {
            return false;
        }
        tokio::select! {
            _ = tick.tick() => !*self.0.borrow(),
            // A dropped sender (`never`) disables this branch rather than stopping the loop.
            Ok(()) = self.0.changed() => !*self.0.borrow(),
        }
    }
}

/// How often expired idempotency keys are purged; they only need to go within the hour.
const PURGE_EVERY: Duration = Duration::from_secs(600);
/// How often rate-limit buckets that are full again are dropped, so memory follows the
/// clients of the last minute.
const FORGET_BUCKETS_EVERY: Duration = Duration::from_secs(60);

/// Runs the periodic jobs every `every` until `stop` is raised or the task is aborted.
pub async fn run(state: AppState, every: Duration, mut stop: Stop) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_purge: Option<tokio::time::Instant> = None;
    let mut last_forget: Option<tokio::time::Instant> = None;
    while stop.tick(&mut tick).await {
        if let Err(err) = scheduler::run_once(&state).await {
            tracing::error!(
                error = format!("{err:#}"),
                "scheduled publishing failed; retrying next tick"
            );
        }
        if let Err(err) = crate::newsletters::issues::resume_sending(&state).await {
            tracing::error!(error = %err, "finishing newsletter issues failed; retrying next tick");
        }
        if let Err(err) = crate::subscribers::import_run::resume(&state).await {
            tracing::error!(error = %err, "resuming subscriber imports failed; retrying next tick");
        }
        if let Err(err) = state.usage.flush(&state.db).await {
            tracing::warn!(error = %err, "writing the usage log failed; retrying next tick");
        }
        if last_forget.is_none_or(|at| at.elapsed() >= FORGET_BUCKETS_EVERY) {
            last_forget = Some(tokio::time::Instant::now());
            state.limits.forget_idle();
        }
        if last_purge.is_none_or(|at| at.elapsed() >= PURGE_EVERY) {
            last_purge = Some(tokio::time::Instant::now());
            if let Err(err) = crate::idempotency::purge(&state.db, state.clock.now()).await {
                tracing::warn!(error = %err, "purging idempotency keys failed");
            }
            if let Err(err) = crate::auth::throttle::purge(&state.db, state.clock.now()).await {
                tracing::warn!(error = %err, "purging login throttle counters failed");
            }
        }
    }
}

/// How often the server makes the story docs that are due: a changed story is read from its
/// tables until then.
pub const STORY_DOCS_EVERY: Duration = Duration::from_millis(250);

/// Makes the public JSON of every story whose doc is due (`public::story_docs`), every
/// `every`, until `stop` is raised or the task is aborted. Its own loop: a burst of changes
/// (an outlet renamed) never delays a publication.
pub async fn make_story_docs(state: AppState, every: Duration, mut stop: Stop) {
    use crate::public::story_docs;
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while stop.tick(&mut tick).await {
        match story_docs::make_due(&state.db).await {
            Ok(_) => {}
            Err(err) if story_docs::is_stale_snapshot(&err) => {
                tracing::debug!("a story changed while its doc was made; making it again");
            }
            Err(err) => tracing::warn!(error = %err, "making story docs failed; retrying"),
        }
    }
}

/// Delivers webhooks every `every` until `stop` is raised or the task is aborted.
pub async fn deliver_webhooks(state: AppState, every: Duration, mut stop: Stop) {
    let worker = match crate::webhooks::Worker::new(&state.config) {
        Ok(worker) => worker,
        Err(err) => {
            tracing::error!(
                error = format!("{err:#}"),
                "cannot build the webhook client; webhooks are off"
            );
            return;
        }
    };
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while stop.tick(&mut tick).await {
        if let Err(err) = worker.run_once(&state).await {
            tracing::error!(
                error = format!("{err:#}"),
                "webhook delivery failed; retrying next tick"
            );
        }
    }
}

/// Sends queued emails every `every` until `stop` is raised or the task is aborted.
pub async fn deliver_email(state: AppState, every: Duration, mut stop: Stop) {
    let worker = match crate::email::Worker::new(&state.config) {
        Ok(worker) => worker,
        Err(err) => {
            tracing::error!(
                error = format!("{err:#}"),
                "cannot set up email delivery; emails stay queued"
            );
            return;
        }
    };
    tracing::info!(via = %worker.describe(), "email delivery started");
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while stop.tick(&mut tick).await {
        if let Err(err) = worker.run_once(&state).await {
            tracing::error!(
                error = format!("{err:#}"),
                "email delivery failed; retrying next tick"
            );
        }
    }
}
