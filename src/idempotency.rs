//! `Idempotency-Key`: a client that retries a create or an action with the same key gets the
//! first result back and the change happens once. [`once`] owns the whole sequence: replay a
//! saved answer, or run the change in a transaction, save its answer in that transaction (so
//! "done" and "remembered" commit together), commit, and answer; when a concurrent request
//! with the same key committed first, roll back and answer what it saved. The change itself
//! never sees the key. Keys live for 24 hours.

use actix_web::http::header::{HeaderName, HeaderValue, ETAG};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{PgExecutor, PgPool, PgTransaction};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::{AppError, Result};
use crate::http_cache;

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

/// What an idempotent change answers: a JSON body about one version of a resource.
pub trait Answer: Serialize {
    /// The version the change made: the answer's `ETag`.
    fn version(&self) -> i32;
}

/// Runs `change` at most once per key (see the module comment) and answers with `status`,
/// the body and its `ETag`. Without a key it is a plain transaction.
pub async fn once<T: Answer>(
    db: &PgPool,
    claim: Option<&Claim>,
    now: DateTime<Utc>,
    status: StatusCode,
    change: impl AsyncFnOnce(&mut PgTransaction<'static>) -> Result<T>,
) -> Result<HttpResponse> {
    if let Some(claim) = claim {
        if let Some(saved) = replay(db, claim, now).await? {
            return Ok(saved);
        }
    }
    let mut tx = db.begin().await?;
    let answer = change(&mut tx).await?;
    if let Some(claim) = claim {
        match save(&mut *tx, claim, status, &answer, now).await {
            Ok(()) => {}
            Err(AppError::Conflict {
                field: Some("idempotency_key"),
                ..
            }) => {
                // A concurrent request with this key committed first: its change stands,
                // this one rolls back, and the client gets the first answer.
                drop(tx);
                return replay(db, claim, now).await?.ok_or_else(|| {
                    AppError::conflict("a request with this Idempotency-Key is in progress; retry")
                });
            }
            Err(err) => return Err(err),
        }
    }
    tx.commit().await?;
    Ok(http_cache::versioned(status, &answer, answer.version()))
}

/// The saved response of an earlier request with this key, if any (422 if the key was used
/// for a different request).
async fn replay(
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

/// Remembers the answer of the request that made the change (in its transaction).
async fn save(
    db: impl PgExecutor<'_>,
    claim: &Claim,
    status: StatusCode,
    answer: &impl Answer,
    now: DateTime<Utc>,
) -> Result<()> {
    let body = serde_json::to_value(answer).map_err(anyhow::Error::from)?;
    let saved = sqlx::query(
        "insert into idempotency_keys (user_id, key, fingerprint, status, response, etag, created_at)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (user_id, key) do update set fingerprint = $3, status = $4, response = $5, etag = $6, created_at = $7
             where idempotency_keys.created_at <= $8",
    )
    .bind(claim.user_id)
    .bind(&claim.key)
    .bind(&claim.fingerprint)
    .bind(status.as_u16() as i16)
    .bind(body)
    .bind(http_cache::version_etag(answer.version()))

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
