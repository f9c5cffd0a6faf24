//! The rules of the webhook admin API: admins only; a delivery belongs to its partner (a
//! foreign one is a 404); a replay queues the same event id again with a fresh 24-hour
//! window (a 409 when the partner is inactive or has no URL; a paused partner's replay waits
//! for the resume); resuming a paused partner makes its waiting deliveries due at once.

use serde_json::json;
use uuid::Uuid;

use super::delivery::RETRY_WINDOW;
use super::{store, Delivery, DeliveryDetail};
use crate::audit;
use crate::auth::CurrentUser;
use crate::domain::{Page, Role};
use crate::error::{AppError, Result};
use crate::partners::{self, Partner};
use crate::state::AppState;

const STATUSES: [&str; 3] = ["pending", "delivered", "failed"];

pub async fn list(
    state: &AppState,
    by: &CurrentUser,
    partner: Uuid,
    status: Option<&str>,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Page<Delivery>> {
    by.require(Role::Admin)?;
    if status.is_some_and(|s| !STATUSES.contains(&s)) {
        return Err(AppError::field(
            "status",
            "must be pending, delivered or failed",
        ));
    }
    partners::get(state, by, partner).await?;
    let rows = store::list(&state.db, partner, status, before, limit).await?;
    Ok(Page::from_rows(rows, limit, |d| d.id))
}

pub async fn get(
    state: &AppState,
    by: &CurrentUser,
    partner: Uuid,
    id: Uuid,
) -> Result<DeliveryDetail> {
    by.require(Role::Admin)?;
    let delivery = store::get(&state.db, partner, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let attempt_log = store::attempts(&state.db, id).await?;
    Ok(DeliveryDetail {
        delivery,
        attempt_log,
    })
}

pub async fn replay(
    state: &AppState,
    by: &CurrentUser,
    partner: Uuid,
    id: Uuid,
) -> Result<Delivery> {
    by.require(Role::Admin)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let owner = partners::lock(&mut tx, partner)
        .await?
        .ok_or(AppError::NotFound)?;
    store::get(&mut *tx, partner, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !owner.active || owner.webhook_url.is_none() {
        return Err(AppError::conflict(
            "the partner is inactive or has no webhook URL: nothing would be sent",
        ));
    }
    if !store::replay(&mut *tx, partner, id, now, now + RETRY_WINDOW).await? {
        return Err(AppError::NotFound);
    }
    let entry = audit::Entry {
        actor: &by.into(),
        action: "webhook_delivery.replay",
        entity_type: "webhook_delivery",
        entity_id: Some(id),
        changes: json!({"partner_id": partner}),
    };
    audit::record(&mut *tx, entry, now).await?;
    let delivery = store::get(&mut *tx, partner, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(delivery)
}

pub async fn resume(state: &AppState, by: &CurrentUser, partner: Uuid) -> Result<Partner> {
    by.require(Role::Admin)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = partners::lock(&mut tx, partner)
        .await?
        .ok_or(AppError::NotFound)?;
    store::resume(&mut tx, partner, now).await?;
    let entry = audit::Entry {
        actor: &by.into(),
        action: "partner.webhooks_resume",
        entity_type: "partner",
        entity_id: Some(partner),
        changes: json!({"paused_at": before.webhooks_paused_at, "consecutive_failures": before.webhook_failures}),
    };
    audit::record(&mut *tx, entry, now).await?;
    let after = partners::lock(&mut tx, partner)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(after)
}
