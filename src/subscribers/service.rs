//! The rules of the admin view of subscribers: admins only (editors and writers get 403);
//! erasure removes every personal field in one transaction, keeps the address only as a
//! suppression hash so it is never mailed again, and adds `erased` to the ledger; asked from
//! the desk, it first needs the address typed out. Imports and the CSV export are admins'
//! too (`csv_import.rs`, `staged_import.rs`, `csv_export.rs`).

use actix_web::web::Bytes;
use futures_util::Stream;
use serde_json::json;
use uuid::Uuid;

use super::csv_export;
use super::csv_import::{self, ImportReport, Run};
use super::store::{self, ListFilter};
use super::{Subscriber, SubscriberDetail};
use crate::audit;
use crate::auth::CurrentUser;
use crate::domain::{Key, Page, Role};
use crate::error::{AppError, Result};
use crate::newsletters;
use crate::state::AppState;
use crate::subscriptions::{self, ConsentEvent, SubscriptionStatus};

pub struct Query {
    pub newsletter: Option<String>,
    pub status: Option<SubscriptionStatus>,
    pub q: Option<String>,
}

/// Whether `by` may see and manage subscribers: admins. The desk's header asks it too, so its
/// link and the refusals cannot disagree.
pub fn may_manage(by: &CurrentUser) -> bool {
    by.role.at_least(Role::Admin)
}

/// 403 unless [`may_manage`].
pub fn require_manager(by: &CurrentUser) -> Result<()> {
    if may_manage(by) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn list(
    state: &AppState,
    by: &CurrentUser,
    query: Query,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Page<Subscriber>> {
    require_manager(by)?;
    let newsletter = match &query.newsletter {
        Some(key) => Some(
            newsletters::store::get(&state.db, &Key::parse(key))
                .await?
                .ok_or_else(|| AppError::field("newsletter", "names no newsletter"))?
                .id,
        ),
        None => None,
    };
    let filter = ListFilter {
        newsletter,
        status: query.status.map(SubscriptionStatus::as_str),
        q: query.q,
    };
    let rows = store::list(&state.db, &filter, before, limit).await?;
    Ok(Page::from_rows(rows, limit, |s| s.id))
}

/// A subscriber with the whole ledger (the read view, and the GDPR export).
pub async fn get(state: &AppState, by: &CurrentUser, id: Uuid) -> Result<SubscriberDetail> {
    require_manager(by)?;
    let subscriber = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let ledger = store::ledger(&state.db, id).await?;
    Ok(SubscriberDetail { subscriber, ledger })
}

/// Every subscription as CSV, streamed (admins).
pub fn export_csv(
    state: &AppState,
    by: &CurrentUser,
) -> Result<impl Stream<Item = std::result::Result<Bytes, actix_web::Error>>> {
    require_manager(by)?;
    Ok(csv_export::stream(state.db.clone()))
}

/// Imports a CSV file (`csv_import.rs`), or with `Run::Dry` only reports what it would do.
pub async fn import(
    state: &AppState,
    by: &CurrentUser,
    body: &[u8],
    run: Run,
) -> Result<ImportReport> {
    require_manager(by)?;
    csv_import::import(state, &by.email, body, run).await
}

/// GDPR erasure asked with a typed confirmation: `typed` must be the subscriber's address
/// (case and surrounding spaces aside), or nothing is erased.
pub async fn erase_confirmed(
    state: &AppState,
    by: &CurrentUser,
    id: Uuid,
    typed: &str,
) -> Result<()> {
    require_manager(by)?;
    let subscriber = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if let Some(email) = &subscriber.email {
        if !typed.trim().eq_ignore_ascii_case(email) {
            return Err(AppError::field(
                "confirm",
                "is not the subscriber's address: type it exactly to erase",
            ));
        }
    }
    erase(state, by, id).await
}

/// GDPR erasure. Erasing twice is harmless.
pub async fn erase(state: &AppState, by: &CurrentUser, id: Uuid) -> Result<()> {
    require_manager(by)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (email, erased_at) = store::lock(&mut *tx, id).await?.ok_or(AppError::NotFound)?;
    let (Some(email), None) = (email, erased_at) else {
        return Ok(());
    };
    subscriptions::suppress(&mut *tx, &email, "erased", now).await?;
    store::erase(&mut tx, id, &email, now).await?;
    let event = ConsentEvent {
        subscriber: id,
        newsletter: None,
        action: subscriptions::ConsentAction::Erased,
        at: now,
        ip: None,
        user_agent: None,
        policy_version: None,
        source: "erasure by an admin",
    };
    subscriptions::record_consent(&mut *tx, &event).await?;
    let entry = audit::Entry {
        actor: &by.into(),
        action: "subscriber.erase",
        entity_type: "subscriber",
        entity_id: Some(id),
        changes: json!({}),
    };
    audit::record(&mut *tx, entry, now).await?;
    tx.commit().await?;
    Ok(())
}
