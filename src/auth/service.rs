//! Login and logout rules: one generic 401 for every bad credential, a per-account throttle
//! counted in PostgreSQL (so it holds across instances), sessions with an absolute expiry.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::{password, store, token, CurrentUser};
use crate::audit::{self, Actor};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::users::{self, User};

/// Attempts allowed per account in one window before logins answer 429.
pub const MAX_ATTEMPTS: i32 = 5;
/// The throttling window.
pub const WINDOW_SECS: i64 = 15 * 60;

/// Where a login comes from, kept on the session and in the audit log.
#[derive(Debug, Default)]
pub struct LoginMeta {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
}

pub struct LoginOutcome {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

pub async fn login(
    state: &AppState,
    email: &str,
    candidate: String,
    meta: LoginMeta,
) -> Result<LoginOutcome> {
    let now = state.clock.now();
    // The throttle key is the normalised address, known or not, so 429s reveal nothing.
    let key: String = email.trim().to_lowercase().chars().take(254).collect();
    let (attempts, window_start) = store::count_attempt(&state.db, &key, now, WINDOW_SECS).await?;
    if attempts > MAX_ATTEMPTS {
        state.metrics.work.refused(crate::metrics::Limit::Login);
        let retry = window_start + Duration::seconds(WINDOW_SECS) - now;
        return Err(AppError::TooManyRequests {
            retry_after_secs: retry.num_seconds().max(1) as u64,
        });
    }
    let account = store::credentials(&state.db, &key).await?;
    let (user_id, hash, active) = match account {
        Some((id, hash, active)) => (Some(id), Some(hash), active),
        None => (None, None, false),
    };
    let matches = password::verify(&state.hashing, hash, candidate).await?;
    let user_id = match user_id {
        Some(id) if matches && active => id,
        _ => return Err(AppError::Unauthorized),
    };
    store::clear_attempts(&state.db, &key).await?;

    let token = token::generate(token::SESSION_PREFIX);
    let expires_at = now + state.config.session_ttl;
    let mut tx = state.db.begin().await?;
    let session = store::NewSession {
        user_id,
        token_hash: &token::digest(&token),
        now,
        expires_at,
        user_agent: meta.user_agent.as_deref(),
        ip: meta.ip.as_deref(),
    };
    let session_id = store::insert_session(&mut *tx, session).await?;
    let actor = Actor {
        id: Some(user_id),
        label: key,
        request_id: meta.request_id,
    };
    let entry = audit::Entry {
        actor: &actor,
        action: "auth.login",
        entity_type: "session",
        entity_id: Some(session_id),
        changes: json!({"ip": meta.ip, "user_agent": meta.user_agent}),
    };
    audit::record(&mut *tx, entry, now).await?;
    tx.commit().await?;
    let user = users::store::get(&state.db, user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok(LoginOutcome {
        token,
        expires_at,
        user,
    })
}

pub async fn logout(state: &AppState, user: &CurrentUser) -> Result<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    store::revoke_session(&mut *tx, user.session_id, now).await?;
    let entry = audit::Entry {
        actor: &user.into(),
        action: "auth.logout",
        entity_type: "session",
        entity_id: Some(user.session_id),
        changes: json!({}),
    };
    audit::record(&mut *tx, entry, now).await?;
    tx.commit().await?;
    Ok(())
}

pub use store::revoke_user_sessions;
