//! The rules of the admin view of subscribers: admins only (editors and writers get 403);
//! erasure removes every personal field in one transaction, keeps the address only as a
//! suppression hash so it is never mailed again, and adds `erased` to the ledger.

use serde_json::json;
use uuid::Uuid;

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

pub async fn list(
    state: &AppState,
    by: &CurrentUser,
    query: Query,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Page<Subscriber>> {
    by.require(Role::Admin)?;
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
    by.require(Role::Admin)?;
    let subscriber = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let ledger = store::ledger(&state.db, id).await?;
    Ok(SubscriberDetail { subscriber, ledger })
}

/// GDPR erasure. Erasing twice is harmless.
pub async fn erase(state: &AppState, by: &CurrentUser, id: Uuid) -> Result<()> {
    by.require(Role::Admin)?;
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
