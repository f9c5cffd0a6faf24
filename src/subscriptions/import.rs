//! Readers imported by an admin (`POST /api/v1/subscribers/import`, parsed in
//! `subscribers::csv_import`): the steps of a sign-up, in the import's transaction. With
//! consent evidence in the file the subscription is confirmed at once and the ledger says
//! where the consent came from; without it the reader gets the double opt-in email.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::service::{email_hash, request_confirmation};
use super::store;
use super::ConsentEvent;
use crate::domain::Email;
use crate::error::Result;
use crate::newsletters::Newsletter;
use crate::state::AppState;

/// One reader of the file.
pub struct ImportRow<'a> {
    pub email: &'a Email,
    pub name: Option<&'a str>,
    pub newsletter: &'a Newsletter,
    /// When and where consent was given, when the file says.
    pub evidence: Option<(DateTime<Utc>, &'a str)>,
    /// Who imports (the admin's label), for the ledger.
    pub actor: &'a str,
}

/// How an imported reader ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Imported {
    /// Unsubscribed, bounced or erased: not imported.
    Suppressed,
    AlreadyConfirmed,
    Confirmed,
    /// Waiting for the reader to confirm.
    Pending,
}

/// What a batch of rows needs to know before importing them, asked in two queries for the
/// whole batch instead of two per row: which (address, newsletter) are suppressed, and which
/// are confirmed already (their subscriptions locked until the transaction ends, as the
/// per-row check locked each one).
pub struct Known {
    suppressed: HashSet<(String, Uuid)>,
    confirmed: HashSet<(String, Uuid)>,
}

/// Looks up `rows` (address, newsletter) in the caller's transaction.
pub async fn known(tx: &mut sqlx::PgTransaction<'_>, rows: &[(&Email, Uuid)]) -> Result<Known> {
    let emails: Vec<&str> = rows.iter().map(|(e, _)| e.as_str()).collect();
    let hashes: Vec<Vec<u8>> = emails.iter().map(|e| email_hash(e)).collect();
    let newsletters: Vec<Uuid> = rows.iter().map(|(_, n)| *n).collect();
    let suppressed = store::suppressed_of(&mut **tx, &emails, &hashes, &newsletters).await?;
    let confirmed = store::confirmed_of(&mut **tx, &emails, &newsletters).await?;
    Ok(Known {
        suppressed: suppressed.into_iter().collect(),
        confirmed: confirmed.into_iter().collect(),
    })
}

/// Imports one reader; `known` must cover its row.
pub async fn import(
    state: &AppState,
    tx: &mut sqlx::PgTransaction<'_>,
    row: ImportRow<'_>,
    known: &Known,
    now: DateTime<Utc>,
) -> Result<Imported> {
    let newsletter = row.newsletter.id;
    let key = (row.email.as_str().to_owned(), newsletter);
    if known.suppressed.contains(&key) {
        return Ok(Imported::Suppressed);
    }
    let subscriber = store::upsert_subscriber(&mut **tx, row.email.as_str(), row.name, now).await?;
    if known.confirmed.contains(&key) {
        return Ok(Imported::AlreadyConfirmed);
    }
    store::set_pending(&mut **tx, subscriber, newsletter, "import", now).await?;
    let actor = row.actor;
    let source = match row.evidence {
        Some((at, source)) => format!(
            "import by {actor}: {source}, consent given {}",
            at.to_rfc3339()
        ),
        None => format!("import by {actor} without consent evidence: confirmation requested"),
    };
    let event = ConsentEvent {
        subscriber,
        newsletter: Some(newsletter),
        action: super::ConsentAction::Imported,
        at: now,
        ip: None,
        user_agent: None,
        policy_version: None,
        source: &source,
    };
    if row.evidence.is_some() {
        store::set_status(&mut **tx, subscriber, newsletter, "confirmed", now).await?;
        store::record(&mut **tx, &event).await?;
        return Ok(Imported::Confirmed);
    }
    store::record(&mut **tx, &event).await?;
    request_confirmation(
        state,
        tx,
        subscriber,
        row.newsletter,
        row.email.as_str(),
        "import",
    )
    .await?;
    Ok(Imported::Pending)
}
