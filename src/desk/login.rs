//! Sign in and sign out: `GET/POST /admin/login` and `POST /admin/logout`; signing in lands
//! on the dashboard (`dashboard.rs`). Sign-in goes through `auth::login`, the API's own
//! (same throttle, same sessions), and answers each refusal with a sentence on the page.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use minijinja::context;

use super::page::{redirect, render, DeskError, Form};
use super::session::{cookie, login_cookie, same, session_cookie, set_cookie, Desk};
use crate::auth::{self, token, LoginError, LoginMeta};
use crate::error::AppError;
use crate::state::AppState;
use crate::telemetry::RequestId;

/// How long a sign-in form stays usable.
const LOGIN_FORM_SECS: i64 = 3600;

fn login_page(
    status: StatusCode,
    csrf: &str,
    email: &str,
    message: Option<String>,
) -> Result<HttpResponse, DeskError> {
    render(
        status,
        "desk/login.html",
        context! { title => "Sign in", me => None::<()>, csrf, email, message },
    )
}

/// The sign-in form, with a fresh double-submit token (or the desk, if already signed in).
async fn form(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, DeskError> {
    if let Some(token) = cookie(&req, session_cookie(&state.config)) {
        if auth::session_user(&state, &token).await?.is_some() {
            return Ok(redirect("/admin"));
        }
    }
    let csrf = token::generate("nrl_");
    let mut res = login_page(StatusCode::OK, &csrf, "", None)?;
    add_cookie(
        &mut res,
        &set_cookie(
            &state.config,
            login_cookie(&state.config),
            &csrf,
            LOGIN_FORM_SECS,
        ),
    );
    Ok(res)
}

fn add_cookie(res: &mut HttpResponse, value: &str) {
    if let Ok(value) = header::HeaderValue::from_str(value) {
        res.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// Signs in: a new session (a new id, whatever cookie came in), its token in the cookie.
async fn sign_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    let form = Form::parse(&body);
    let expected = cookie(&req, login_cookie(&state.config));
    let sent = form.get("csrf").unwrap_or_default();
    let csrf = match expected {
        Some(expected) if same(&expected, sent) => expected,
        _ => return Err(DeskError::Csrf),
    };
    let email = form.get("email").unwrap_or_default().trim().to_owned();
    let password = form.get("password").unwrap_or_default().to_owned();
    let refused =
        |status, message: &str| login_page(status, &csrf, &email, Some(message.to_owned()));
    if email.is_empty() || password.is_empty() {
        return refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Enter your email and your password.",
        );
    }
    if password.len() > 4096 {
        return refused(StatusCode::UNAUTHORIZED, WRONG);
    }
    let meta = LoginMeta {
        ip: crate::client::ip(&req, state.config.trust_forwarded).map(|ip| ip.to_string()),
        user_agent: req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(512).collect()),
        request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
    };
    match auth::login(&state, &email, password, meta).await {
        Ok(outcome) => {
            let mut res = redirect("/admin");
            let ttl = (outcome.expires_at - state.clock.now())
                .num_seconds()
                .max(0);
            let config = &state.config;
            add_cookie(
                &mut res,
                &set_cookie(config, session_cookie(config), &outcome.token, ttl),
            );
            add_cookie(&mut res, &set_cookie(config, login_cookie(config), "", 0));
            Ok(res)
        }
        Err(LoginError::WrongCredentials) => refused(StatusCode::UNAUTHORIZED, WRONG),
        Err(LoginError::Throttled(t)) => refused(
            StatusCode::TOO_MANY_REQUESTS,
            &format!(
                "Too many sign-in attempts for this account or from this address. Try again in {}.",
                wait(t.retry_after_secs)
            ),
        ),
        Err(LoginError::Failed(AppError::TooManyRequests { retry_after_secs })) => refused(
            StatusCode::TOO_MANY_REQUESTS,
            &format!(
                "The server is busy signing people in. Try again in {}.",
                wait(retry_after_secs)
            ),
        ),
        Err(LoginError::Failed(AppError::Busy { retry_after_secs })) => refused(
            StatusCode::SERVICE_UNAVAILABLE,
            &format!(
                "The server is busy signing people in. Try again in {}.",
                wait(retry_after_secs)
            ),
        ),
        Err(LoginError::Failed(err)) => Err(err.into()),
    }
}

const WRONG: &str = "That email and password do not match an active account.";

/// "5 seconds", "1 minute", "3 minutes".
fn wait(secs: u64) -> String {
    match secs {
        0..=1 => "a second".into(),
        2..=59 => format!("{secs} seconds"),
        60..=119 => "a minute".into(),
        _ => format!("{} minutes", secs.div_ceil(60)),
    }
}

/// Signs out: the session is revoked at once, the cookie deleted.
async fn sign_out(
    state: web::Data<AppState>,
    desk: Desk,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&req, Form::parse(&body).get("csrf"))?;
    auth::logout(&state, &desk.user).await?;
    let mut res = redirect("/admin/login");
    let config = &state.config;
    add_cookie(&mut res, &set_cookie(config, session_cookie(config), "", 0));
    Ok(res)
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/login")
            .route(web::get().to(form))
            .route(web::post().to(sign_in)),
    )
    .service(web::resource("/admin/logout").route(web::post().to(sign_out)));
}

#[cfg(test)]
mod tests {
    #[test]
    fn waits_read_as_words() {
        assert_eq!(super::wait(1), "a second");
        assert_eq!(super::wait(30), "30 seconds");
        assert_eq!(super::wait(61), "a minute");
        assert_eq!(super::wait(900), "15 minutes");
    }
}
