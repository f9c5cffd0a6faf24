//! Outgoing email through a transactional outbox. A feature that sends an email calls
//! [`enqueue`] inside the transaction of the change that causes it, so the email exists if and
//! only if the change committed. The [`Worker`] (the `jobs::deliver_email` loop) sends due
//! rows over SMTP, or drops them as `.eml` files when no SMTP server is set, retrying with
//! backoff for 24 hours. Each email says how it is delivered ([`Delivery`]): at least once, or
//! at most once for bulk email, where a second copy is worse than a missing one.
//! `templates.rs` renders bodies, `transport.rs` builds and sends messages, `store.rs` holds
//! the SQL, and `drop_folder.rs` reads the `.eml` folder back for people (`newsroom mail`).

pub mod drop_folder;
pub mod store;
pub mod templates;
pub mod transport;
pub mod worker;

use chrono::{DateTime, Utc};

pub use worker::{check_settings, Pass, Worker};

/// How long an email is retried after it was queued.
pub const RETRY_WINDOW: chrono::Duration = chrono::Duration::hours(24);

/// One email to send: a multipart/alternative message (plain text and HTML) from
/// `MAIL_FROM` to one recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// What the email is (`confirm`, `newsletter`, …): for logs and queries.
    pub kind: &'static str,
    /// The recipient's address.
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Extra headers, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post`.
    pub headers: Vec<(String, String)>,
    /// When set, a second enqueue with the same key does nothing (e.g. one confirmation per
    /// token, one copy of an issue per subscriber).
    pub dedupe_key: Option<String>,
    pub delivery: Delivery,
}

/// What happens to an email whose instance died while it was being sent (after the SMTP
/// transaction began, before the result was recorded): it may or may not have arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// It is sent again once its lease ends, with the same Message-ID: nothing is lost, and a
    /// receiver may see it twice. For emails a reader waits for (confirmations).
    AtLeastOnce,
    /// It is marked `interrupted` and not sent again: nobody gets it twice, and the few in
    /// flight at a crash may be missing (they are counted, e.g. in an issue's progress). For
    /// bulk email (newsletter issues).
    AtMostOnce,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::AtLeastOnce => "at_least_once",
            Delivery::AtMostOnce => "at_most_once",
        }
    }
}

/// Queues `msg`, due at `now`; true when queued, false when its dedupe key was queued before.
/// Meant to run inside the caller's transaction (pass `&mut *tx`).
pub async fn enqueue(
    db: impl sqlx::PgExecutor<'_>,
    msg: &Message,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    store::insert(db, msg, now, now + RETRY_WINDOW).await
}
