//! The rules of partners: admins only; entitlements name existing outlets and sections; a
//! webhook secret is generated when not given and shown once; keys are shown once, stored
//! hashed, and revoked at once.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde_json::json;
use uuid::Uuid;

use super::store;
use super::{ApiKeyInfo, CreatedPartner, NewApiKey, Partner, Usage};
use crate::audit;
use crate::auth::{api_key, token, CurrentUser};
use crate::db::{all_exist, Table};
use crate::domain::{Page, Role};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::webhooks::{self, address::refused};

pub struct NewPartner {
    pub name: String,
    pub outlet_ids: Vec<Uuid>,
    pub section_ids: Vec<Uuid>,
    pub webhook_url: Option<String>,
    pub webhook_secret: Option<String>,
    pub active: bool,
}

#[derive(Default)]
pub struct PartnerChanges {
    pub name: Option<String>,
    pub outlet_ids: Option<Vec<Uuid>>,
    pub section_ids: Option<Vec<Uuid>>,
    pub webhook_url: Option<Option<String>>,
    pub active: Option<bool>,
}

/// Whether `by` may see and change partners, their keys and their webhooks: admins. The
/// desk's header asks it too, so its link and the refusals cannot disagree.
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
    q: Option<&str>,
    active: Option<bool>,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Page<Partner>> {
    require_manager(by)?;
    let rows = store::list(&state.db, q, active, after, limit).await?;
    Ok(Page::from_rows(rows, limit, |p| p.id))
}

pub async fn get(state: &AppState, by: &CurrentUser, id: Uuid) -> Result<Partner> {
    require_manager(by)?;
    store::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

pub async fn create(state: &AppState, by: &CurrentUser, new: NewPartner) -> Result<CreatedPartner> {
    require_manager(by)?;
    check_entitlements(state, &new.outlet_ids, &new.section_ids).await?;
    check_webhook_url(state, new.webhook_url.as_deref())?;
    let now = state.clock.now();
    let partner = Partner {
        id: Uuid::now_v7(),
        name: new.name,
        outlet_ids: new.outlet_ids,
        section_ids: new.section_ids,
        webhook_url: new.webhook_url,
        active: new.active,
        webhook_failures: 0,
        webhooks_paused_at: None,
        webhooks_pause_reason: None,
        created_at: now,
        updated_at: now,
    };
    let secret = new
        .webhook_secret
        .unwrap_or_else(|| token::generate("whsec_"));
    let mut tx = state.db.begin().await?;
    store::insert(&mut *tx, &partner, &secret).await?;
    audit::record_change(
        &mut *tx,
        &by.into(),
        "partner.create",
        partner.id,
        None,
        Some(&partner),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedPartner {
        partner,
        webhook_secret: secret,
    })
}

pub async fn update(
    state: &AppState,
    by: &CurrentUser,
    id: Uuid,
    changes: PartnerChanges,
) -> Result<Partner> {
    require_manager(by)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = store::get_for_update(&mut *tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut after = before.clone();
    if let Some(name) = changes.name {
        after.name = name;
    }
    if let Some(outlets) = changes.outlet_ids {
        after.outlet_ids = outlets;
    }
    if let Some(sections) = changes.section_ids {
        after.section_ids = sections;
    }
    if let Some(url) = changes.webhook_url {
        after.webhook_url = url;
    }
    if let Some(active) = changes.active {
        after.active = active;
    }
    check_entitlements(state, &after.outlet_ids, &after.section_ids).await?;
    if after.webhook_url != before.webhook_url {
        check_webhook_url(state, after.webhook_url.as_deref())?;
    }
    after.updated_at = now;
    store::update(&mut *tx, &after).await?;
    if before.active && !after.active {
        webhooks::fail_pending(&mut *tx, id, "the partner was deactivated").await?;
    } else if before.webhook_url.is_some() && after.webhook_url.is_none() {
        webhooks::fail_pending(&mut *tx, id, "the partner's webhook URL was removed").await?;
    }
    let action = if before.active && !after.active {
        "partner.deactivate"
    } else {
        "partner.update"
    };
    audit::record_change(
        &mut *tx,
        &by.into(),
        action,
        id,
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn create_key(
    state: &AppState,
    by: &CurrentUser,
    partner: Uuid,
    expires_at: Option<DateTime<Utc>>,
) -> Result<NewApiKey> {
    require_manager(by)?;
    let now = state.clock.now();
    if expires_at.is_some_and(|t| t <= now) {
        return Err(AppError::field("expires_at", "must be in the future"));
    }
    let mut tx = state.db.begin().await?;
    store::get_for_update(&mut *tx, partner)
        .await?
        .ok_or(AppError::NotFound)?;
    let key = api_key::generate();
    let id = Uuid::now_v7();
    let prefix = api_key::display_prefix(&key);
    store::insert_key(
        &mut *tx,
        id,
        partner,
        &prefix,
        &token::digest(&key),
        expires_at,
        now,
    )
    .await?;
    let entry = audit::Entry {
        actor: &by.into(),
        action: "api_key.create",
        entity_type: "api_key",
        entity_id: Some(id),
        changes: json!({"partner_id": partner, "prefix": prefix, "expires_at": expires_at}),
    };
    audit::record(&mut *tx, entry, now).await?;
    tx.commit().await?;
    Ok(NewApiKey {
        id,
        key,
        prefix,
        expires_at,
    })
}

/// A partner's keys, newest first, from before the key `before` (a page's cursor).
pub async fn keys(
    state: &AppState,
    by: &CurrentUser,
    partner: Uuid,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Page<ApiKeyInfo>> {
    require_manager(by)?;
    store::get(&state.db, partner)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = store::keys(&state.db, partner, before, limit).await?;
    Ok(Page::from_rows(rows, limit, |k| k.id))
}

/// One key of the partner (never the key itself); a key of another partner is a 404.
pub async fn key(
    state: &AppState,
    by: &CurrentUser,
    partner: Uuid,
    key: Uuid,
) -> Result<ApiKeyInfo> {
    require_manager(by)?;
    store::key(&state.db, partner, key)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn revoke_key(
    state: &AppState,
    by: &CurrentUser,
    partner: Uuid,
    key: Uuid,
) -> Result<()> {
    require_manager(by)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if !store::revoke_key(&mut *tx, partner, key, now).await? {
        return Err(AppError::NotFound);
    }
    let entry = audit::Entry {
        actor: &by.into(),
        action: "api_key.revoke",
        entity_type: "api_key",
        entity_id: Some(key),
        changes: json!({"partner_id": partner}),
    };
    audit::record(&mut *tx, entry, now).await?;
    tx.commit().await?;
    Ok(())
}

async fn check_entitlements(state: &AppState, outlets: &[Uuid], sections: &[Uuid]) -> Result<()> {
    for (field, table, ids) in [
        ("outlet_ids", Table::Outlets, outlets),
        ("section_ids", Table::Sections, sections),
    ] {
        let mut unique = ids.to_vec();
        unique.sort();
        unique.dedup();
        if unique.len() != ids.len() || !all_exist(&state.db, table, &unique).await? {
            return Err(AppError::field(
                field,
                "must list existing entries, each once",
            ));
        }
    }
    Ok(())
}

/// Webhook URLs must not reach the internal network (see `webhooks::address`).
fn check_webhook_url(state: &AppState, url: Option<&str>) -> Result<()> {
    match url.and_then(|u| refused(u, state.config.webhook_allow_private)) {
        Some(why) => Err(AppError::field("webhook_url", why)),
        None => Ok(()),
    }
}

/// The longest usage report, in days.
const MAX_REPORT_DAYS: u64 = 366;

/// Usage per outlet and day; by default the last 30 days up to today (UTC). Fetches of the
/// last second or so may not be written yet (see `syndication::usage`).
pub async fn usage(
    state: &AppState,
    by: &CurrentUser,
    partner: Uuid,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Usage> {
    require_manager(by)?;
    store::get(&state.db, partner)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = to.unwrap_or_else(|| state.clock.now().date_naive());
    let from = match from {
        Some(from) => from,
        None => to.checked_sub_days(Days::new(29)).unwrap_or(to),
    };
    if from > to {
        return Err(AppError::field("from", "must not be after `to`"));
    }
    if (to - from).num_days() >= MAX_REPORT_DAYS as i64 {
        return Err(AppError::field("to", "the report covers at most 366 days"));
    }
    let days = crate::syndication::usage_report::report(&state.db, partner, from, to).await?;
    let requests = crate::syndication::usage_report::requests(&state.db, partner, from, to).await?;
    Ok(Usage {
        partner_id: partner,
        from,
        to,
        total_fetches: days.iter().map(|d| d.fetches).sum(),
        days,
        total_requests: requests.iter().map(|d| d.requests).sum(),
        requests,
    })
}
