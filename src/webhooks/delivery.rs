//! The webhook worker. One pass: fan new outbox events out into deliveries (one per entitled
//! partner with a webhook URL), then attempt every due delivery. Rows are claimed with
//! `FOR UPDATE SKIP LOCKED`, so several instances share the work; a claimed delivery is
//! leased for a minute, so one whose instance died mid-attempt is retried by another:
//! delivery is at least once, and the event id lets the partner drop duplicates.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Serialize;
use tracing::Instrument;
use uuid::Uuid;

use super::address::{self, GuardedResolver};
use super::pausing;
use super::signature;
use super::store::{self, AttemptRecord, Claimed};
use crate::audit::{self, Actor};
use crate::config::Config;
use crate::metrics::Attempt;
use crate::partners::entitled;
use crate::retry::backoff;
use crate::state::AppState;
use crate::syndication::{self, Ninjs};

/// Events fanned out per transaction.
const FAN_OUT_BATCH: i64 = 500;
/// Deliveries attempted at once, and at most this many of one partner among them.
const SEND_BATCH: i64 = 16;
const PER_PARTNER: i64 = 4;
/// How much of a partner's answer is read (and thrown away).
const MAX_ANSWER_BYTES: usize = 64 * 1024;
/// How long a claimed delivery is reserved for the instance attempting it.
const LEASE: chrono::Duration = chrono::Duration::seconds(60);
/// A delivery is attempted for this long after it was queued (or replayed).
pub const RETRY_WINDOW: chrono::Duration = chrono::Duration::hours(24);
const TIMEOUT: Duration = Duration::from_secs(10);

/// The JSON body of a webhook.
#[derive(Debug, Serialize)]
pub struct Body<'a> {
    /// The outbox event id: the same on every attempt and replay.
    pub id: Uuid,
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub occurred_at: DateTime<Utc>,
    /// The story as it is now: whole when visible, else a tombstone.
    pub story: Ninjs,
}

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub queued: u64,
    pub delivered: usize,
    pub failed_attempts: usize,
}

pub struct Worker {
    client: reqwest::Client,
    allow_private: bool,
    pause_after: i32,
}

impl Worker {
    pub fn new(config: &Config) -> anyhow::Result<Worker> {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .user_agent(concat!("newsroom-webhooks/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(std::sync::Arc::new(GuardedResolver {
                allow_private: config.webhook_allow_private,
            }))
            .build()?;
        Ok(Worker {
            client,
            allow_private: config.webhook_allow_private,
            pause_after: config.webhook_pause_after as i32,
        })
    }

    /// Fans out everything new, then attempts everything due, until nothing is left.
    pub async fn run_once(&self, state: &AppState) -> anyhow::Result<Pass> {
        let mut pass = Pass::default();
        loop {
            let (events, queued) = fan_out(state).await?;
            pass.queued += queued;
            if events == 0 {
                break;
            }
        }
        store::expire(&state.db, state.clock.now()).await?;
        loop {
            let now = state.clock.now();
            let claimed =
                store::claim_due(&state.db, now, now + LEASE, SEND_BATCH, PER_PARTNER).await?;
            if claimed.is_empty() {
                break;
            }
            let outcomes =
                futures_util::future::join_all(claimed.into_iter().map(|c| self.attempt(state, c)))
                    .await;
            for outcome in outcomes {
                if outcome? {
                    pass.delivered += 1;
                } else {
                    pass.failed_attempts += 1;
                }
            }
        }
        Ok(pass)
    }

    /// One attempt of one delivery, recorded; true when the partner took it.
    async fn attempt(&self, state: &AppState, c: Claimed) -> anyhow::Result<bool> {
        let story = syndication::story_by_id(&state.db, c.article_id).await?;
        let now = state.clock.now();
        let started = Instant::now();
        // Reasons to give up at once that are not the partner's fault: not retried, and not
        // counted towards pausing its webhooks.
        let cancelled = match &story {
            None => Some("the article no longer exists"),
            Some(row)
                if !entitled(&c.outlet_ids, &c.section_ids, row.outlet_id, row.section_id) =>
            {
                Some("the partner is no longer entitled to this story")
            }
            Some(_) if c.secret.is_empty() => {
                Some("the partner has no webhook secret to sign with")
            }
            Some(_) => None,
        };
        let (status_code, error) = match (cancelled, &story) {
            (Some(reason), _) => (None, Some(reason.to_owned())),
            (None, Some(row)) => {
                let body = Body {
                    id: c.event_id,
                    kind: &c.event_type,
                    occurred_at: c.occurred_at,
                    story: syndication::story(row, &state.config.public_url, now),
                };
                self.post(&c, &serde_json::to_vec(&body)?, now)
                    .instrument(tracing::info_span!("webhook.post", otel.kind = "client", partner = %c.partner_id, delivery = %c.id))
                    .await
            }
            (None, None) => (None, None),
        };
        let delivered = status_code.is_some_and(|s| (200..300).contains(&s));
        let at = state.clock.now();
        let record = AttemptRecord {
            delivery: c.id,
            at,
            duration_ms: started.elapsed().as_millis().min(i32::MAX as u128) as i32,
            status_code,
            error: error.as_deref(),
        };
        let mut tx = state.db.begin().await?;
        store::insert_attempt(&mut *tx, &record).await?;
        if delivered {
            store::settle(&mut *tx, &record, "delivered", at).await?;
            pausing::reset_failures(&mut *tx, c.partner_id).await?;
        } else if cancelled.is_some() {
            store::settle(&mut *tx, &record, "failed", at).await?;
        } else {
            let gave_up = at >= c.give_up_at;
            let status = if gave_up { "failed" } else { "pending" };
            store::settle(&mut *tx, &record, status, at + backoff(c.attempts)).await?;
            if pausing::count_failure(&mut *tx, c.partner_id, self.pause_after, at).await? {
                tracing::warn!(partner = %c.partner_id, failures = self.pause_after, "webhooks paused after consecutive failures");
                let entry = audit::Entry {
                    actor: &Actor {
                        id: None,
                        label: "webhooks".into(),
                        request_id: None,
                    },
                    action: "partner.webhooks_paused",
                    entity_type: "partner",
                    entity_id: Some(c.partner_id),
                    changes: serde_json::json!({"consecutive_failures": self.pause_after, "last_error": error, "last_status": status_code}),
                };
                audit::record(&mut *tx, entry, at).await?;
            }
        }
        tx.commit().await?;
        let outcome = Attempt::of(delivered, cancelled.is_some());
        let took = Duration::from_millis(record.duration_ms.max(0) as u64);
        state
            .metrics
            .work
            .webhook_attempt(outcome, took, at - c.occurred_at);
        Ok(delivered)
    }

    /// Posts a signed body; the status code, or why there was none, and a note for a non-2xx.
    async fn post(
        &self,
        c: &Claimed,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> (Option<i16>, Option<String>) {
        if let Some(why) = address::refused(&c.url, self.allow_private) {
            return (None, Some(format!("webhook URL refused: it {why}")));
        }
        let sent = self
            .client
            .post(&c.url)
            .header("content-type", "application/json")
            .header(
                "x-newsroom-signature",
                signature::sign_with_all(&secrets(c), now.timestamp(), body),
            )
            .header("x-newsroom-event", c.event_type.as_str())
            .header("x-newsroom-delivery", c.id.to_string())
            .body(body.to_vec())
            .send()
            .await;
        match sent {
            Ok(res) => {
                let code = res.status().as_u16() as i16;
                let note =
                    (!res.status().is_success()).then(|| format!("answered {}", res.status()));
                drain(res).await;
                (Some(code), note)
            }
            Err(err) => (None, Some(describe(&err))),
        }
    }
}

/// The secrets a delivery is signed with: the partner's, then the previous one while a
/// rotation's overlap lasts.
fn secrets(c: &Claimed) -> Vec<&str> {
    std::iter::once(c.secret.as_str())
        .chain(c.previous_secret.as_deref())
        .collect()
}

/// Reads (and drops) at most `MAX_ANSWER_BYTES` of the answer, for a second at most, so
/// the connection can be reused; an endpoint that streams more only loses its connection.
async fn drain(mut res: reqwest::Response) {
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let mut read = 0;
        while let Ok(Some(chunk)) = res.chunk().await {
            read += chunk.len();
            if read > MAX_ANSWER_BYTES {
                break;
            }
        }
    })
    .await;
}

/// Fans one batch of new events out into deliveries; (events handled, deliveries queued).
async fn fan_out(state: &AppState) -> anyhow::Result<(usize, u64)> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let events = store::lock_new_events(&mut *tx, FAN_OUT_BATCH).await?;
    if events.is_empty() {
        return Ok((0, 0));
    }
    let subscribers = store::subscribers(&mut *tx).await?;
    let pairs: Vec<(Uuid, Uuid)> = events
        .iter()
        .flat_map(|e| {
            subscribers
                .iter()
                .filter(|p| entitled(&p.outlet_ids, &p.section_ids, e.outlet_id, e.section_id))
                .map(move |p| (e.id, p.id))
        })
        .collect();
    let queued = if pairs.is_empty() {
        0
    } else {
        store::queue(&mut *tx, &pairs, now, now + RETRY_WINDOW).await?
    };
    let ids: Vec<Uuid> = events.iter().map(|e| e.id).collect();
    store::mark_fanned_out(&mut *tx, &ids, now).await?;
    tx.commit().await?;
    Ok((events.len(), queued))
}

/// An error with its causes (reqwest hides the interesting part in the source chain).
fn describe(err: &reqwest::Error) -> String {
    let mut text = if err.is_timeout() {
        "timed out after 10 s".to_owned()
    } else if err.is_connect() {
        "could not connect".to_owned()
    } else {
        "request failed".to_owned()
    };
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text.chars().take(500).collect()
}
