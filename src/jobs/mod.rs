//! Background work: three loops per server instance (jobs, webhooks, email). Every job claims rows with
//! `FOR UPDATE SKIP LOCKED`, so any number of instances can run against one database and each
//! row is handled exactly once.

pub mod scheduler;

use std::time::Duration;

use crate::state::AppState;

/// How often expired idempotency keys are purged; they only need to go within the hour.
const PURGE_EVERY: Duration = Duration::from_secs(600);
/// How often rate-limit buckets that are full again are dropped, so memory follows the
/// clients of the last minute.
const FORGET_BUCKETS_EVERY: Duration = Duration::from_secs(60);

/// Runs the periodic jobs every `every` until the task is dropped or aborted.
pub async fn run(state: AppState, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_purge: Option<tokio::time::Instant> = None;
    let mut last_forget: Option<tokio::time::Instant> = None;
    loop {
        tick.tick().await;
        if let Err(err) = scheduler::run_once(&state).await {
            tracing::error!(
                error = format!("{err:#}"),
                "scheduled publishing failed; retrying next tick"
            );
        }
        if let Err(err) = crate::newsletters::issues::resume_sending(&state).await {
            tracing::error!(error = %err, "finishing newsletter issues failed; retrying next tick");
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
        }
    }
}

/// Delivers webhooks every `every` until the task is dropped or aborted.
pub async fn deliver_webhooks(state: AppState, every: Duration) {
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
    loop {
        tick.tick().await;
        if let Err(err) = worker.run_once(&state).await {
            tracing::error!(
                error = format!("{err:#}"),
                "webhook delivery failed; retrying next tick"
            );
        }
    }
}

/// Sends queued emails every `every` until the task is dropped or aborted.
pub async fn deliver_email(state: AppState, every: Duration) {
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
    loop {
        tick.tick().await;
        if let Err(err) = worker.run_once(&state).await {
            tracing::error!(
                error = format!("{err:#}"),
                "email delivery failed; retrying next tick"
            );
        }
    }
}
