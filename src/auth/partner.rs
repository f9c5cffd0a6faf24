//! `PartnerKey`: the syndication partner behind `Authorization: Bearer nr_live_…` or
//! `X-Api-Key`. Keys are read from headers only, never from the query string. Unknown,
//! revoked, expired and malformed keys, keys of inactive partners, and staff tokens all get
//! the same 401.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use super::{api_key, bearer, token};
use crate::error::{AppError, Result};
use crate::metrics::Limit;
use crate::state::AppState;

#[derive(Clone, Debug)]
pub struct PartnerKey {
    pub key_id: Uuid,
    pub partner_id: Uuid,
    /// Entitled outlets; empty means all.
    pub outlet_ids: Vec<Uuid>,
    /// Entitled sections; empty means all.
    pub section_ids: Vec<Uuid>,
}

impl PartnerKey {
    pub fn entitled_to(&self, outlet: Uuid, section: Option<Uuid>) -> bool {
        crate::partners::entitled(&self.outlet_ids, &self.section_ids, outlet, section)
    }
}

fn presented(req: &HttpRequest) -> Option<String> {
    let from_header = req
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    from_header.or_else(|| bearer(req)).map(str::to_owned)
}

impl FromRequest for PartnerKey {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<PartnerKey>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let key = PresentedKey::from_request(req, payload).into_inner();
        Box::pin(async move {
            let state = state.ok_or_else(|| anyhow::anyhow!("AppState is not registered"))?;
            key?.check(&state, &state.read_db).await
        })
    }
}

/// The API key a request presents, not checked yet: for a handler that checks it on a
/// connection it goes on to use ([`PresentedKey::check`]), saving a pool checkout.
pub struct PresentedKey(Option<String>);

impl FromRequest for PresentedKey {
    type Error = AppError;
    type Future = std::future::Ready<Result<PresentedKey>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(PresentedKey(presented(req))))
    }
}

impl PresentedKey {
    /// The partner behind the key, with the same 401 for every kind of bad key, and the
    /// key's rate limit applied: exactly what the [`PartnerKey`] extractor does. `db` is the
    /// read pool or one of its connections.
    pub async fn check(self, state: &AppState, db: impl PgExecutor<'_>) -> Result<PartnerKey> {
        let key = self
            .0
            .filter(|k| api_key::well_formed(k))
            .ok_or(AppError::ApiKeyRequired)?;
        let now = state.clock.now();
        let (found, stale) = lookup(db, &token::digest(&key), now)
            .await?
            .ok_or(AppError::ApiKeyRequired)?;
        if stale {
            state.usage.touch(found.key_id, now);
        }
        state
            .limits
            .partner(found.key_id)
            .inspect_err(|_| state.metrics.work.refused(Limit::Partner))?;
        state.metrics.work.partner_request(found.partner_id);
        state.usage.request(found.partner_id, now);
        Ok(found)
    }
}

/// Finds the key's partner (on the read pool: a replica may lag a revocation by its replay
/// lag, see docs/scaling.md), and whether its `last_used_at` is over a minute old. The use is
/// then recorded by the usage log's flush on the primary, so reads never write and never
/// wait for a write.
async fn lookup(
    db: impl PgExecutor<'_>,
    hash: &[u8],
    now: DateTime<Utc>,
) -> sqlx::Result<Option<(PartnerKey, bool)>> {
    sqlx::query_as::<_, (Uuid, Uuid, Vec<Uuid>, Vec<Uuid>, bool)>(
        "select k.id, p.id, p.outlet_ids, p.section_ids,
                coalesce(k.last_used_at < $2 - interval '60 seconds', true)
         from api_keys k join partners p on p.id = k.partner_id
         where k.key_hash = $1 and k.revoked_at is null and (k.expires_at is null or k.expires_at > $2) and p.active",
    )
    .bind(hash)
    .bind(now)
    .fetch_optional(db)
    .await
    .map(|row| {
        row.map(|(key_id, partner_id, outlet_ids, section_ids, stale)| {
            (PartnerKey { key_id, partner_id, outlet_ids, section_ids }, stale)
        })
    })
}
