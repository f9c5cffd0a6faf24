//! Signing in to the desk by cookie: the cookie holds a staff session token of the same
//! sessions table, lifetime and throttle as the API (`auth::login`), but only the desk reads
//! it: `/api/v1` takes bearer tokens alone. Every state-changing request carries a CSRF token
//! derived from the session token (a form field or the `X-CSRF-Token` header), which a page
//! of another origin cannot know; the sign-in form has its own, double-submitted in a cookie.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use sha2::{Digest, Sha256};

use super::page::{DeskError, Me};
use crate::auth::{self, CurrentUser};
use crate::config::Config;
use crate::state::AppState;
use crate::telemetry::RequestId;

/// The header htmx and desk.js send the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A signed-in desk user and the CSRF token of their session.
pub struct Desk {
    pub user: CurrentUser,
    pub csrf: String,
}

/// Whether cookies are marked `Secure` with the `__Host-` prefix (an https public URL).
fn secure(config: &Config) -> bool {
    config.public_url.starts_with("https://")
}

/// The session cookie's name.
pub fn session_cookie(config: &Config) -> &'static str {
    if secure(config) {
        "__Host-newsroom_desk"
    } else {
        "newsroom_desk"
    }
}

/// The sign-in form's CSRF cookie's name.
pub fn login_cookie(config: &Config) -> &'static str {
    if secure(config) {
        "__Host-newsroom_login"
    } else {
        "newsroom_login"
    }
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, whole site (the `__Host-` rules), Secure
/// on https; `max_age` 0 deletes it.
pub fn set_cookie(config: &Config, name: &str, value: &str, max_age: i64) -> String {
    let secure = if secure(config) { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// The value of cookie `name` in the request.
pub fn cookie(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The CSRF token of a session: a digest of its (secret) token.
fn csrf_for(session_token: &str) -> String {
    let digest = Sha256::digest(format!("newsroom desk csrf\0{session_token}").as_bytes());
    hex::encode(&digest[..16])
}

/// Compares without stopping at the first difference.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl Desk {
    /// 403 unless the request carries this session's CSRF token (header or form field).
    pub fn check_csrf(&self, req: &HttpRequest, field: Option<&str>) -> Result<(), DeskError> {
        let header = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        match header.or(field) {
            Some(sent) if same(sent, &self.csrf) => Ok(()),
            _ => Err(DeskError::Csrf),
        }
    }
}

impl FromRequest for Desk {
    type Error = DeskError;
    type Future = Pin<Box<dyn Future<Output = Result<Desk, DeskError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let request_id = req.extensions().get::<RequestId>().map(|id| id.0.clone());
        let token = state
            .as_ref()
            .and_then(|s| cookie(req, session_cookie(&s.config)));
        let req = req.clone();
        Box::pin(async move {
            let state = state.ok_or_else(|| anyhow::anyhow!("AppState is not registered"))?;
            let token = token.ok_or(DeskError::SignIn)?;
            let mut user = auth::session_user(&state, &token)
                .await?
                .ok_or(DeskError::SignIn)?;
            user.request_id = request_id;
            req.extensions_mut().insert(auth::SignedIn);
            Ok(Desk {
                csrf: csrf_for(&token),
                user,
            })
        })
    }
}

impl From<&Desk> for Me {
    fn from(desk: &Desk) -> Me {
        Me {
            email: desk.user.email.clone(),
            role: format!("{:?}", desk.user.role).to_lowercase(),
            csrf: desk.csrf.clone(),
            catalogue: crate::outlets::service::may_change(&desk.user).is_ok()
                || crate::sections::service::may_change(&desk.user).is_ok()
                || crate::authors::service::may_manage_some(&desk.user).is_ok(),
            staff: crate::users::service::may_manage(&desk.user),
            audit_log: crate::audit::may_read(&desk.user),
            partners: crate::partners::service::may_manage(&desk.user),
            subscribers: crate::subscribers::service::may_manage(&desk.user),
            newsletters: crate::newsletters::issues::may_compose(&desk.user),
        }
    }
}
