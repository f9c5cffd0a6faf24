//! Login and logout rules: one generic 401 for every bad credential, throttling counted in
//! PostgreSQL per account, per account and address, and per address (`throttle.rs`), so it
//! holds across instances; sessions with an absolute expiry.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::throttle::{self, Keys, Throttled};
use super::{password, store, token, CurrentUser};
use crate::audit::{self, Actor};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::users::{self, User};

/// Where a login comes from, kept on the session and in the audit log; `ip` is also what
/// the per-address throttle counts.
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

/// Why a sign-in did not succeed, typed so that a caller other than the JSON API (the desk's
/// login page) can answer each case its own way, e.g. show how long to wait.
#[derive(Debug)]
pub enum LoginError {
    /// A wrong email or password, or an inactive account: one answer for all.
    WrongCredentials,
    /// Too many attempts for this account or from this address; try again after the wait.
    Throttled(Throttled),
    /// Anything else: the database, the hashing budget's queue full
    /// (`AppError::TooManyRequests`), or every hashing slot busy (`AppError::Busy`).
    Failed(AppError),
}

impl From<AppError> for LoginError {
    fn from(err: AppError) -> Self {
        LoginError::Failed(err)
    }
}

impl From<sqlx::Error> for LoginError {
    fn from(err: sqlx::Error) -> Self {
        LoginError::Failed(err.into())
    }
}

impl From<LoginError> for AppError {
    fn from(err: LoginError) -> Self {
        match err {
            LoginError::WrongCredentials => AppError::Unauthorized,
            LoginError::Throttled(t) => AppError::TooManyRequests {
                retry_after_secs: t.retry_after_secs,
            },
            LoginError::Failed(err) => err,
        }
    }
}

pub async fn login(
    state: &AppState,
    email: &str,
    candidate: String,
    meta: LoginMeta,
) -> std::result::Result<LoginOutcome, LoginError> {
    let now = state.clock.now();
    // The throttle counts the normalised address, known or not, so 429s reveal nothing. NUL,
    // which PostgreSQL's text cannot hold and no address has, becomes U+FFFD: such a login
    // is wrong credentials like any other unknown address.
    let key: String = email
        .trim()
        .to_lowercase()
        .chars()
        .take(254)
        .map(|c| {
            if c == '\0' {
                char::REPLACEMENT_CHARACTER
            } else {
                c
            }
        })
        .collect();
    // A place in the hashing budget first: in a storm, a refused login costs no database
    // work and no attempt of the account's throttle.
    let ticket = state.hashing.reserve().inspect_err(|_| {
        state.metrics.work.refused(crate::metrics::Limit::Hashing);
    })?;
    let ip = meta.ip.as_deref().and_then(|ip| ip.parse().ok());
    let keys = Keys::new(&key, ip);
    throttle::admit(&state.db, &keys, now)
        .await?
        .map_err(|throttled| {
            state.metrics.work.refused(crate::metrics::Limit::Login);
            LoginError::Throttled(throttled)
        })?;
    let account = store::credentials(&state.db, &key).await?;
    let (user_id, hash, active) = match account {
        Some((id, hash, active)) => (Some(id), Some(hash), active),
        None => (None, None, false),
    };
    let matches = password::verify(ticket, hash, candidate).await?;
    let user_id = match user_id {
        Some(id) if matches && active => id,
        _ => return Err(LoginError::WrongCredentials),
    };
    throttle::succeeded(&state.db, &keys).await?;

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
        .ok_or(LoginError::WrongCredentials)?;
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
