//! `CurrentUser`: the signed-in staff member behind `Authorization: Bearer nrs_…`.
//! Taking it as a handler argument is that handler's authentication rule; a missing,
//! malformed, expired or revoked token, or a deactivated user, all get the same 401.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpMessage, HttpRequest};
use uuid::Uuid;

use super::{store, token};
use crate::domain::Role;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::telemetry::RequestId;

#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    /// The outlets this user belongs to (admins act on all outlets regardless).
    pub outlet_ids: Vec<Uuid>,
    pub session_id: Uuid,
    /// The request's id, carried into audit entries.
    pub request_id: Option<String>,
}

impl CurrentUser {
    /// The one-line authorization rule of a handler: `user.require(Role::Admin)?`.
    pub fn require(&self, role: Role) -> Result<()> {
        if self.role.at_least(role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Whether this user acts for `outlet_id` (admins act for every outlet).
    pub fn belongs_to(&self, outlet_id: Uuid) -> bool {
        self.is_admin() || self.outlet_ids.contains(&outlet_id)
    }

    /// The 403 for a change this user may not make to something of `outlet_id`: it is the
    /// outlet when they do not belong to it, else their role.
    pub fn refusal(&self, outlet_id: Option<Uuid>) -> AppError {
        match outlet_id {
            Some(outlet) if !self.belongs_to(outlet) => AppError::ForbiddenBecause(
                "This belongs to an outlet you are not a member of: only that outlet's staff \
                 (and admins) may change it.",
            ),
            _ => AppError::Forbidden,
        }
    }
}

/// The bearer token of a request, if it carries one.
pub fn bearer(req: &HttpRequest) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The user of a staff session token, if it is one that is current (the desk's cookie holds
/// such a token; the API takes it only as a bearer token).
pub async fn session_user(state: &AppState, token: &str) -> Result<Option<CurrentUser>> {
    if !token::well_formed(token::SESSION_PREFIX, token) {
        return Ok(None);
    }
    Ok(store::session_user(&state.db, &token::digest(token), state.clock.now()).await?)
}

/// Marks a request whose staff session was found (by the API's bearer token or the desk's
/// cookie): what the reader site's cache asks before a write may empty it.
#[derive(Clone, Copy, Debug)]
pub struct SignedIn;

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<CurrentUser>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer(req).map(str::to_owned);
        let request_id = req.extensions().get::<RequestId>().map(|id| id.0.clone());
        let req = req.clone();
        Box::pin(async move {
            let state = state.ok_or_else(|| anyhow::anyhow!("AppState is not registered"))?;
            let token = token
                .filter(|t| token::well_formed(token::SESSION_PREFIX, t))
                .ok_or(AppError::Unauthorized)?;
            let found =
                store::session_user(&state.db, &token::digest(&token), state.clock.now()).await?;
            let mut user = found.ok_or(AppError::Unauthorized)?;
            user.request_id = request_id;
            req.extensions_mut().insert(SignedIn);
            Ok(user)
        })
    }
}
