//! Public sign-up, confirmation and unsubscribe, under `/public/v1` (no login, per-address
//! rate limit of the public scope).
//!
//! - `POST /newsletters/{slug}/subscribe` `{email, name?, consent: true, policy_version}`
//!   → always the same 202.
//! - `GET /subscriptions/confirm?token=` shows a page with a button; only its `POST`
//!   confirms, so mail scanners that fetch links do not subscribe anyone.
//! - `POST /subscriptions/confirm` `{token}` (JSON, or the page's form).
//! - A form post (`application/x-www-form-urlencoded`: the pages' buttons, RFC 8058) gets
//!   pages, errors included, so a reader never sees raw JSON; anything else is the JSON API,
//!   with problem documents.
//! - `GET /subscriptions/unsubscribe?token=` shows a page with a button;
//!   `POST /subscriptions/unsubscribe?token=` is RFC 8058 one-click (the mail client posts
//!   `List-Unsubscribe=One-Click`), and `POST` with `{token}` in JSON works too.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, ContentType};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::pages::{self, Flow};
use super::service::{self, Origin, SignUp};
use super::SubscriptionStatus;
use crate::domain::{required_text, Email};
use crate::error::{AppError, Problem, Result};
use crate::json_body::{self, Json};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscribeRequest {
    pub email: String,
    pub name: Option<String>,
    /// Must be `true`: the reader ticked the consent box.
    pub consent: bool,
    /// The privacy policy the reader agreed to, e.g. `2026-11`.
    pub policy_version: String,
}

/// The one answer to every sign-up.
#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    pub status: AcceptedStatus,
    pub detail: &'static str,
}

/// A sign-up is always `accepted`, whoever the address belongs to.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AcceptedStatus {
    Accepted,
}

const ACCEPTED: Accepted = Accepted {
    status: AcceptedStatus::Accepted,
    detail: "If this address can receive the newsletter, a confirmation email is on its way. Follow its link within 48 hours.",
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    pub token: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TokenQuery {
    pub token: Option<String>,
}

/// The answer to a confirmation or an unsubscribe.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionState {
    pub status: SubscriptionStatus,
    pub newsletter: String,
    pub newsletter_name: String,
}

fn origin(req: &HttpRequest, state: &AppState) -> Origin {
    Origin {
        ip: crate::client::ip(req, state.config.trust_forwarded).map(|ip| ip.to_string()),
        user_agent: req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(512).collect()),
    }
}

/// Signs an address up for a newsletter: a double opt-in email goes out; the answer is the
/// same whatever the address's state.
#[utoipa::path(post, operation_id = "public_subscribe", path = "/public/v1/newsletters/{slug}/subscribe", tag = "public",
    request_body = SubscribeRequest,
    responses((status = 202, body = Accepted), (status = 404, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn subscribe(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    body: Json<SubscribeRequest>,
) -> Result<HttpResponse> {
    let body = body.into_inner();
    if !body.consent {
        return Err(AppError::field(
            "consent",
            "must be true: we only send newsletters to readers who asked for them",
        ));
    }
    let signup = SignUp {
        email: Email::parse("email", &body.email)?,
        name: body
            .name
            .as_deref()
            .map(|n| required_text("name", n, 200))
            .transpose()?,
        policy_version: required_text("policy_version", &body.policy_version, 50)?,
    };
    service::subscribe(&state, &slug, signup, &origin(&req, &state)).await?;
    Ok(HttpResponse::Accepted().json(ACCEPTED))
}

/// A page with a "Confirm" button; it changes nothing by itself.
#[utoipa::path(get, operation_id = "public_confirm_page", path = "/public/v1/subscriptions/confirm", tag = "public",
    params(TokenQuery), responses((status = 200, description = "HTML page", content_type = "text/html")))]
pub async fn confirm_page(query: web::Query<TokenQuery>) -> Result<HttpResponse> {
    let page = pages::confirm_form(query.token.as_deref().unwrap_or_default())?;
    Ok(html(StatusCode::OK, page))
}

/// Confirms a subscription with the token of the double opt-in email. JSON gets JSON; the
/// page's form gets a page, for a refusal too (a button pressed twice).
#[utoipa::path(post, operation_id = "public_confirm", path = "/public/v1/subscriptions/confirm", tag = "public",
    request_body = TokenBody,
    responses((status = 200, body = SubscriptionState), (status = 422, body = Problem)))]
pub async fn confirm(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse> {
    if !is_form(&req) {
        let token = json_body::declared::<TokenBody>(&req, &body)?.token;
        let target = service::confirm(&state, &token, &origin(&req, &state)).await?;
        return Ok(HttpResponse::Ok().json(SubscriptionState {
            status: SubscriptionStatus::Confirmed,
            newsletter: target.newsletter_slug,
            newsletter_name: target.newsletter_name,
        }));
    }
    let done = async {
        let token = form_token(&body)?;
        let target = service::confirm(&state, &token, &origin(&req, &state)).await?;
        pages::confirmed(&target.newsletter_name)
    };
    Ok(page_or_refusal(Flow::Confirm, done.await))
}

/// A page with an "Unsubscribe" button, for readers who follow the link in an email.
#[utoipa::path(get, operation_id = "public_unsubscribe_page", path = "/public/v1/subscriptions/unsubscribe", tag = "public",
    params(TokenQuery), responses((status = 200, description = "HTML page", content_type = "text/html")))]
pub async fn unsubscribe_page(query: web::Query<TokenQuery>) -> Result<HttpResponse> {
    let page = pages::unsubscribe_form(query.token.as_deref().unwrap_or_default())?;
    Ok(html(StatusCode::OK, page))
}

/// Unsubscribes at once: RFC 8058 one-click (`?token=` with the form body
/// `List-Unsubscribe=One-Click`), the page's form, or JSON `{token}`. No login, no cookie.
/// JSON gets JSON; a form gets a page, for a refusal too.
#[utoipa::path(post, operation_id = "public_unsubscribe", path = "/public/v1/subscriptions/unsubscribe", tag = "public",
    params(TokenQuery), request_body = TokenBody,
    responses((status = 200, body = SubscriptionState), (status = 422, body = Problem)))]
pub async fn unsubscribe(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<TokenQuery>,
    body: web::Bytes,
) -> Result<HttpResponse> {
    if !is_form(&req) {
        let token = match &query.token {
            Some(token) => token.clone(),
            None => json_body::declared::<TokenBody>(&req, &body)?.token,
        };
        let target = service::unsubscribe(&state, &token, &origin(&req, &state)).await?;
        return Ok(HttpResponse::Ok().json(SubscriptionState {
            status: SubscriptionStatus::Unsubscribed,
            newsletter: target.newsletter_slug,
            newsletter_name: target.newsletter_name,
        }));
    }
    let done = async {
        let token = match &query.token {
            Some(token) => token.clone(),
            None => form_token(&body)?,
        };
        let target = service::unsubscribe(&state, &token, &origin(&req, &state)).await?;
        pages::unsubscribed(&target.newsletter_name)
    };
    Ok(page_or_refusal(Flow::Unsubscribe, done.await))
}

/// Whether the request is a form post (`application/x-www-form-urlencoded`): the pages'
/// buttons and RFC 8058 one-click unsubscribes. Those get pages; everything else is the JSON
/// API, with its problem documents.
fn is_form(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// Middleware around the public API's rate limit (`ratelimit::per_client`), which refuses a
/// request before any handler sees it: a reader's button pressed too often (a form post to
/// confirm or unsubscribe) gets the "too many requests" page with its `Retry-After`, not a
/// problem document. Every other answer passes unchanged.
pub async fn refusals_as_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> std::result::Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // Decided before the call: a clone of the request held across it would stop actix from
    // handing the request on.
    let flow = match req.path() {
        "/public/v1/subscriptions/confirm" => Some(Flow::Confirm),
        "/public/v1/subscriptions/unsubscribe" => Some(Flow::Unsubscribe),
        _ => None,
    }
    .filter(|_| is_form(req.request()));
    let res = next.call(req).await?.map_into_boxed_body();
    let refused = res
        .response()
        .extensions()
        .get::<crate::ratelimit::PublicRefusal>()
        .copied();
    let (Some(flow), Some(refused)) = (flow, refused) else {
        return Ok(res);
    };
    let retry_after_secs = refused.retry_after_secs;
    let page = page_or_refusal(flow, Err(AppError::TooManyRequests { retry_after_secs }));
    Ok(res.into_response(page))
}

/// The `token` of a form body (`token=nrsub_…`).
fn form_token(body: &[u8]) -> Result<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()
        .and_then(|fields| fields.into_iter().find(|(name, _)| name == "token"))
        .map(|(_, token)| token)
        .ok_or_else(|| AppError::field("token", "is required"))
}

/// The answer to a form post: the page, or, when it was refused, the page that says what to
/// do, with the problem's status and headers (`Retry-After`). Building the problem response
/// first also logs an unexpected error as every other route does.
fn page_or_refusal(flow: Flow, result: Result<String>) -> HttpResponse {
    let err = match result {
        Ok(page) => return html(StatusCode::OK, page),
        Err(err) => err,
    };
    let problem = err.error_response();
    let Ok(page) = pages::refused(flow, &err) else {
        return problem;
    };
    let mut res = html(problem.status(), page);
    if let Some(retry) = problem.headers().get(header::RETRY_AFTER) {
        res.headers_mut().insert(header::RETRY_AFTER, retry.clone());
    }
    res
}

fn html(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(ContentType::html())
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("referrer-policy", "no-referrer"))
        .body(body)
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/newsletters/{slug}/subscribe").route(web::post().to(subscribe)))
        .service(
            web::resource("/subscriptions/confirm")
                .route(web::get().to(confirm_page))
                .route(web::post().to(confirm)),
        )
        .service(
            web::resource("/subscriptions/unsubscribe")
                .route(web::get().to(unsubscribe_page))
                .route(web::post().to(unsubscribe)),
        );
}
