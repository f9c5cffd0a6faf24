//! The rules of the webhook admin API: admins only; a delivery belongs to its partner (a
//! foreign one is a 404); a replay queues the same event id again with a fresh 24-hour
//! window (a 409 when the partner is inactive or has no URL; a paused partner's replay waits
//! for the resume); an admin may pause a partner's webhooks by hand, with a reason (a 409 when
//! they are paused already, by hand or by the worker: nothing changes, and the reason that
//! stands is kept); resuming a paused partner makes its waiting deliveries due at once; a
//! secret rotation shows the new secret once and lets the previous one sign for an overlap.

use serde_json::json;
use uuid::Uuid;

use super::delivery::RETRY_WINDOW;
use super::{pausing, store, Delivery, DeliveryDetail, DeliveryStatus};
use crate::audit;
use crate::auth::{token, CurrentUser};
use crate::domain::Page;
use crate::error::{AppError, Result};
use crate::partners::{self, Partner};
use crate::state::AppState;

pub async fn list(
    state: &AppState,
    by: &CurrentUser,
    partner: Uuid,
    status: Option<&str>,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Page<Delivery>> {
    partners::service::require_manager(by)?;
    if status.is_some_and(|s| !DeliveryStatus::ALL.iter().any(|known| known.as_str() == s)) {
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
    partners::service::require_manager(by)?;
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
    partners::service::require_manager(by)?;
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

/// The longest reason of a pause by hand, in characters.
pub const MAX_REASON_CHARS: usize = 200;

/// Why a pause by hand is made: the `reason` given (trimmed, at most
/// [`MAX_REASON_CHARS`]), or `paused by <email>` when none is.
pub fn pause_reason(by: &CurrentUser, reason: Option<&str>) -> Result<String> {
    let given = reason.map(str::trim).filter(|r| !r.is_empty());
    match given {
        Some(r) if r.chars().count() > MAX_REASON_CHARS => Err(AppError::field(
            "reason",
            format!("must be at most {MAX_REASON_CHARS} characters"),
        )),
        Some(r) if r.chars().any(char::is_control) => {
            Err(AppError::field("reason", "must be one line of text"))
        }
        Some(r) => Ok(r.to_owned()),
        None => Ok(format!("paused by {}", by.email)),
    }
}

/// Pauses a partner's webhooks by hand: the worker sends nothing to it (its deliveries wait,
/// new events queue up) until an admin resumes. A 409 when they are paused already.
pub async fn pause(
    state: &AppState,
    by: &CurrentUser,
    partner: Uuid,
    reason: Option<&str>,
) -> Result<Partner> {
    partners::service::require_manager(by)?;
    let reason = pause_reason(by, reason)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = partners::lock(&mut tx, partner)
        .await?
        .ok_or(AppError::NotFound)?;
    if before.webhooks_paused_at.is_some()
        || !pausing::pause(&mut *tx, partner, &reason, now).await?
    {
        return Err(AppError::conflict(
            "its webhooks are paused already: resume them first to pause them again",
        ));
    }
    let entry = audit::Entry {
        actor: &by.into(),
        action: "partner.webhooks_pause",
        entity_type: "partner",
        entity_id: Some(partner),
        changes: json!({"reason": reason}),
    };
    audit::record(&mut *tx, entry, now).await?;
    let after = partners::lock(&mut tx, partner)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(after)
}

pub async fn resume(state: &AppState, by: &CurrentUser, partner: Uuid) -> Result<Partner> {
    partners::service::require_manager(by)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = partners::lock(&mut tx, partner)
        .await?
        .ok_or(AppError::NotFound)?;
    pausing::resume(&mut tx, partner, now).await?;
    let entry = audit::Entry {
        actor: &by.into(),
        action: "partner.webhooks_resume",
        entity_type: "partner",
        entity_id: Some(partner),
        changes: json!({"paused_at": before.webhooks_paused_at, "reason": before.webhooks_pause_reason, "consecutive_failures": before.webhook_failures}),
    };
    audit::record(&mut *tx, entry, now).await?;
    let after = partners::lock(&mut tx, partner)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(after)
}

/// The longest overlap of a rotation, in hours: a week.
pub const MAX_OVERLAP_HOURS: u32 = 168;

/// A webhook secret just made; shown this once.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RotatedSecret {
    /// Signs every webhook from now on; store it now, it is not shown again.
    pub webhook_secret: String,
    /// Until when the previous secret signs too (a second `v1=` in the signature header);
    /// `null` when it stopped at once (an overlap of 0 hours).
    pub previous_secret_valid_until: Option<chrono::DateTime<chrono::Utc>>,
}

/// Gives the partner a new webhook secret (`secret`, or a generated one); the previous one
/// keeps signing for `overlap_hours`, so the partner can switch over without losing a
/// delivery.
pub async fn rotate_secret(
    state: &AppState,
    by: &CurrentUser,
    partner: Uuid,
    secret: Option<String>,
    overlap_hours: u32,
) -> Result<RotatedSecret> {
    partners::service::require_manager(by)?;
    if overlap_hours > MAX_OVERLAP_HOURS {
        return Err(AppError::field(
            "overlap_hours",
            format!("must be 0 to {MAX_OVERLAP_HOURS}"),
        ));
    }
    let now = state.clock.now();
    let until = (overlap_hours > 0).then(|| now + chrono::Duration::hours(overlap_hours.into()));
    let secret = secret.unwrap_or_else(|| token::generate("whsec_"));
    let mut tx = state.db.begin().await?;
    partners::lock(&mut tx, partner)
        .await?
        .ok_or(AppError::NotFound)?;
    store::rotate_secret(&mut *tx, partner, &secret, until, now).await?;
    let entry = audit::Entry {
        actor: &by.into(),
        action: "partner.rotate_webhook_secret",
        entity_type: "partner",
        entity_id: Some(partner),
        changes: json!({"previous_secret_valid_until": until}),
    };
    audit::record(&mut *tx, entry, now).await?;
    tx.commit().await?;
    Ok(RotatedSecret {
        webhook_secret: secret,
        previous_secret_valid_until: until,
    })
}
