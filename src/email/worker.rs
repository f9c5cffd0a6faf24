//! The email worker. One pass claims due emails with `FOR UPDATE SKIP LOCKED`, so several
//! instances share the work without sending a row twice, and leases each for 30 s, renewed
//! every 10 s while the batch is being sent: an email whose instance died before sending it is
//! sent by another instance (or the restarted one) at most 30 s later.
//!
//! An email whose instance died *while* sending it (the SMTP transaction begun, the result not
//! yet recorded) may or may not have arrived; its [`Delivery`] decides:
//! - at least once (confirmations): it goes again with the same Message-ID, so receivers can
//!   spot the duplicate;
//! - at most once (newsletter issues): it was marked `sending` in a commit of its own before
//!   the SMTP transaction, and when its lease ends a pass marks it `interrupted` instead of
//!   sending it again. At most one batch (16) is in flight at a crash.
//!
//! An SMTP reply of 4xx (or 5xx other than a bounce) means the server did not take the
//! message: it is retried with the shared backoff until 24 hours after it was queued, then the
//! email is `failed`. So is a connection lost mid-transaction: RFC 1047's window, where the
//! server took the message and its reply was lost, remains for every kind of email. An email
//! that cannot be built (a bad address or header) fails at once.

use anyhow::Context;
use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use tracing::Instrument;
use uuid::Uuid;

use super::store::{self, Claimed};
use super::transport::{self, Envelope, Parts, Transport};
use super::Delivery;
use crate::config::Config;
use crate::metrics::Email;
use crate::retry::backoff;
use crate::state::AppState;
use crate::subscriptions;

/// Emails sent at once.
const SEND_BATCH: i64 = 16;
/// How long a claimed email is reserved for the instance sending it, unless renewed.
pub const LEASE: chrono::Duration = chrono::Duration::seconds(30);
/// How often the lease of a batch still being sent is renewed (well within `LEASE`, so a
/// slow SMTP server never lets another instance take an email that is being sent).
const RENEW_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub failed_attempts: usize,
    /// At-most-once emails found `sending` after their instance died, marked `interrupted`.
    pub interrupted: u64,
}

/// How one attempt ended.
enum Outcome {
    Sent,
    Failed,
    /// Not attempted: another claim holds the email now.
    Skipped,
}

pub struct Worker {
    transport: Transport,
    from: Mailbox,
}

/// Checks `SMTP_URL` and `MAIL_FROM` without connecting (or starting a connection pool), so
/// `serve` refuses to start with settings that would leave every email queued.
pub fn check_settings(config: &Config) -> anyhow::Result<()> {
    parse_from(config)?;
    transport::check(config)
}

fn parse_from(config: &Config) -> anyhow::Result<Mailbox> {
    config
        .mail_from
        .parse()
        .with_context(|| format!("MAIL_FROM is not a mailbox: {:?}", config.mail_from))
}

impl Worker {
    /// The SMTP transport of `SMTP_URL` (or the `.eml` drop folder) and the `MAIL_FROM` sender.
    pub fn new(config: &Config) -> anyhow::Result<Worker> {
        let from = parse_from(config)?;
        Ok(Worker {
            transport: Transport::new(config)?,
            from,
        })
    }

    /// Where this worker sends: `smtp` or the drop folder (for the start-up log line).
    pub fn describe(&self) -> String {
        self.transport.describe()
    }

    /// Sends everything due, batch after batch, until nothing due is left.
    pub async fn run_once(&self, state: &AppState) -> anyhow::Result<Pass> {
        let mut pass = Pass {
            interrupted: store::mark_interrupted(&state.db, state.clock.now()).await?,
            ..Pass::default()
        };
        state.metrics.work.emails_interrupted(pass.interrupted);
        if pass.interrupted > 0 {
            tracing::warn!(
                emails = pass.interrupted,
                "emails interrupted mid-send by a stopped instance; not sent again (at most once)"
            );
        }
        loop {
            let now = state.clock.now();
            let lease = now + LEASE;
            let claimed = store::claim_due(&state.db, now, lease, SEND_BATCH).await?;
            if claimed.is_empty() {
                break;
            }
            let ids: Vec<Uuid> = claimed.iter().map(|c| c.id).collect();
            let sends =
                futures_util::future::join_all(claimed.into_iter().map(|c| self.attempt(state, c)));
            let outcomes = keep_leased(state, &ids, lease, sends).await;
            for outcome in outcomes {
                match outcome? {
                    Outcome::Sent => pass.sent += 1,
                    Outcome::Failed => pass.failed_attempts += 1,
                    Outcome::Skipped => {}
                }
            }
        }
        Ok(pass)
    }

    /// One attempt of one email, recorded.
    async fn attempt(&self, state: &AppState, c: Claimed) -> anyhow::Result<Outcome> {
        // The suppression list is checked before every send: an address that bounced or was
        // erased after the email was queued is not mailed.
        let address = c.recipient.to_lowercase();
        if subscriptions::suppressed(&state.db, &address, None).await? {
            let reason = "not sent: the address is on the suppression list (bounced or erased)";
            store::mark_failed(&state.db, c.id, "failed", state.clock.now(), reason).await?;
            tracing::info!(email = %c.id, kind = %c.kind, "email not sent: suppressed address");
            state.metrics.work.email(&c.kind, Email::Failed);
            return Ok(Outcome::Failed);
        }
        let envelope = Envelope {
            id: c.id,
            from: &self.from,
            date: state.clock.now(),
        };
        let parts = Parts {
            to: &c.recipient,
            subject: &c.subject,
            text: &c.text_body,
            html: &c.html_body,
            headers: &c.headers,
        };
        let (sent, permanent) = match transport::build(&envelope, &parts) {
            Ok(message) => {
                if c.delivery == Delivery::AtMostOnce.as_str()
                    && !store::mark_sending(&state.db, c.id, c.attempts).await?
                {
                    return Ok(Outcome::Skipped);
                }
                let span = tracing::info_span!("email.send", otel.kind = "client", email = %c.id, kind = %c.kind);
                (
                    self.transport.send(c.id, message).instrument(span).await,
                    false,
                )
            }
            Err(err) => (Err(err), true),
        };
        let at = state.clock.now();
        match sent {
            Ok(()) => {
                store::mark_sent(&state.db, c.id, at).await?;
                tracing::info!(email = %c.id, kind = %c.kind, attempt = c.attempts, via = %self.transport.describe(), "email sent");
                self.transport.log_links(c.id, &c.kind, &parts);
                state.metrics.work.email(&c.kind, Email::Sent);
                Ok(Outcome::Sent)
            }
            Err(err) if bounced(&err) => {
                // The receiving server says the mailbox does not exist: a hard bounce. The
                // address joins the suppression list and is never mailed again.
                let error: String = format!("bounced: {err:#}").chars().take(500).collect();
                let mut tx = state.db.begin().await?;
                store::mark_failed(&mut *tx, c.id, "failed", at, &error).await?;
                subscriptions::suppress(&mut *tx, &address, "bounced", at).await?;
                tx.commit().await?;
                tracing::warn!(email = %c.id, kind = %c.kind, "email bounced; the address is suppressed");
                state.metrics.work.email(&c.kind, Email::Failed);
                Ok(Outcome::Failed)
            }
            Err(err) => {
                let error: String = format!("{err:#}").chars().take(500).collect();
                if permanent || at >= c.give_up_at {
                    store::mark_failed(&state.db, c.id, "failed", at, &error).await?;
                    tracing::error!(email = %c.id, kind = %c.kind, attempt = c.attempts, error, "email failed; giving up");
                    state.metrics.work.email(&c.kind, Email::Failed);
                } else {
                    let next = at + backoff(c.attempts);
                    store::mark_failed(&state.db, c.id, "pending", next, &error).await?;
                    tracing::warn!(email = %c.id, kind = %c.kind, attempt = c.attempts, error, next_attempt_at = %next, "email not sent; will retry");
                    state.metrics.work.email(&c.kind, Email::Retried);
                }
                Ok(Outcome::Failed)
            }
        }
    }
}

/// Runs `sends` while renewing the lease of `ids` every `RENEW_EVERY`. An email already
/// settled (sent, failed, or rescheduled after a failed attempt) no longer holds the lease and
/// is left alone. A renewal that fails is logged; the sends go on.
async fn keep_leased<T>(
    state: &AppState,
    ids: &[Uuid],
    mut lease: DateTime<Utc>,
    sends: impl std::future::Future<Output = T>,
) -> T {
    let mut sends = std::pin::pin!(sends);
    loop {
        tokio::select! {
            outcome = &mut sends => return outcome,
            () = tokio::time::sleep(RENEW_EVERY) => {
                let next = state.clock.now() + LEASE;
                match store::renew(&state.db, ids, lease, next).await {
                    Ok(_) => lease = next,
                    Err(err) => tracing::warn!(error = %err, "could not renew the lease of emails being sent"),
                }
            }
        }
    }
}

/// Whether an SMTP error is a hard bounce: the recipient's mailbox does not exist or is not
/// accepted (550, 551, 553). Other permanent errors (say, the relay refusing our login) are
/// newsroom's problem, not the address's, and are retried.
fn bounced(err: &anyhow::Error) -> bool {
    err.downcast_ref::<lettre::transport::smtp::Error>()
        .and_then(|e| e.status())
        .is_some_and(|code| matches!(code.to_string().as_str(), "550" | "551" | "553"))
}
