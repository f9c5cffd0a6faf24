//! `Idempotency-Key`: a client that retries a create or an action with the same key gets the
//! first result back and the change happens once. The response is saved in the transaction
//! of the change, so "done" and "remembered" commit together; keys live for 24 hours.

use actix_web::http::header::{HeaderName, HeaderValue, ETAG};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::{AppError, Result};

pub const HEADER: &str = "idempotency-key";
const TTL_HOURS: i64 = 24;

/// A request's claim on a key: who, which key, and what request it was.
pub struct Claim {
    user_id: Uuid,
    key: String,
    fingerprint: Vec<u8>,
}

impl Claim {
    /// The claim of a request that carries `Idempotency-Key` (1-255 visible ASCII characters).
    pub fn from_request(
        req: &HttpRequest,
        user: &CurrentUser,
        body: &impl Serialize,
    ) -> Result<Option<Claim>> {
        let Some(value) = req.headers().get(HEADER) else {
            return Ok(None);
        };
        let key = value
            .to_str()
            .ok()
            .filter(|k| (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or_else(|| {
                AppError::field("Idempotency-Key", "must be 1-255 visible ASCII characters")
            })?;
        let mut hasher = Sha256::new();
        hasher.update(req.method().as_str());
        hasher.update(req.path());
        hasher.update(serde_json::to_vec(body).unwrap_or_default());
        Ok(Some(Claim {
            user_id: user.id,
            key: key.to_owned(),
            fingerprint: hasher.finalize().to_vec(),
        }))
    }
}

/// The saved response of an earlier request with this key, if any (422 if the key was used
/// for a different request).
pub async fn replay(
    db: impl PgExecutor<'_>,
    claim: &Claim,
    now: DateTime<Utc>,
) -> Result<Option<HttpResponse>> {
    let row: Option<(Vec<u8>, i16, serde_json::Value, Option<String>)> = sqlx::query_as(
        "select fingerprint, status, response, etag from idempotency_keys
         where user_id = $1 and key = $2 and created_at > $3",
    )
    .bind(claim.user_id)
    .bind(&claim.key)
    .bind(now - Duration::hours(TTL_HOURS))
    .fetch_optional(db)
    .await?;
    let Some((fingerprint, status, body, etag)) = row else {
        return Ok(None);
    };
    if fingerprint != claim.fingerprint {
        return Err(AppError::field(
            "Idempotency-Key",
            "was already used for a different request",
        ));
    }
    let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response.insert_header((
        HeaderName::from_static("idempotent-replayed"),
        HeaderValue::from_static("true"),
    ));
    if let Some(etag) = etag {
        response.insert_header((ETAG, etag));
    }
    Ok(Some(response.json(body)))
}

/// Remembers the response of the request that made the change (in its transaction).
pub async fn save(
    db: impl PgExecutor<'_>,
    claim: &Claim,
    status: u16,
    body: &impl Serialize,
    version: Option<i32>,
    now: DateTime<Utc>,
) -> Result<()> {
    let body = serde_json::to_value(body).map_err(anyhow::Error::from)?;
    let saved = sqlx::query(
        "insert into idempotency_keys (user_id, key, fingerprint, status, response, etag, created_at)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (user_id, key) do update set fingerprint = $3, status = $4, response = $5, etag = $6, created_at = $7
             where idempotency_keys.created_at <= $8",
    )
    .bind(claim.user_id)
    .bind(&claim.key)
    .bind(&claim.fingerprint)
    .bind(status as i16)
    .bind(body)
    .bind(version.map(crate::articles::http::etag))
    .bind(now)
    .bind(now - Duration::hours(TTL_HOURS))
    .execute(db)
    .await?;
    if saved.rows_affected() == 0 {
        return Err(AppError::conflict_on(
            "idempotency_key",
            "was used by a concurrent request",
        ));
    }
    Ok(())
}

/// Forgets keys older than a day (called by the background worker).
pub async fn purge(db: impl PgExecutor<'_>, now: DateTime<Utc>) -> sqlx::Result<u64> {
    let done = sqlx::query("delete from idempotency_keys where created_at <= $1")
        .bind(now - Duration::hours(TTL_HOURS))
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}
