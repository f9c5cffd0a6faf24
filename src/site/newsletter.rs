//! The newsletter sign-up from the site: `GET /newsletter/{slug}` is the form on a page of its
//! own (every page's footer block holds the same form), and `POST` hands the reader's answer
//! to the double opt-in flow (`subscriptions::service`): its rules (consent, a valid address,
//! the policy version, the per-address throttle) decide, and a "check your inbox" page
//! follows. A refused field is said next to the field, the address kept, with status 422.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use minijinja::context;

use super::page::{self, Frame, PageResult};
use crate::error::AppError;
use crate::state::AppState;
use crate::subscriptions::service::{self, Origin, SignUp};

pub async fn form(state: web::Data<AppState>, slug: web::Path<String>) -> PageResult {
    let frame = Frame::with_newsletter(&state, &slug).await?;
    let ctx = context! {
        frame, title => "Sign up for the newsletter", email => "", errors => context! {},
    };
    Ok(page::html(
        StatusCode::OK,
        crate::templates::render("site/signup.html", ctx)?,
    ))
}

pub async fn subscribe(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
    body: web::Bytes,
) -> PageResult {
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let email = get("email").unwrap_or_default();
    let frame = Frame::with_newsletter(&state, &slug).await?;
    let result = match SignUp::parse(
        email,
        None,
        get("consent") == Some("yes"),
        get("policy_version").unwrap_or_default(),
    ) {
        Ok(signup) => service::subscribe(&state, &slug, signup, &Origin::of(&req, &state)).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(()) => {
            let ctx = context! { frame, title => "Check your inbox" };
            Ok(page::html(
                StatusCode::OK,
                crate::templates::render("site/signed_up.html", ctx)?,
            ))
        }
        Err(AppError::Validation(errors)) => {
            let ctx = context! { frame, title => "Sign up for the newsletter", email, errors };
            Ok(page::html(
                StatusCode::UNPROCESSABLE_ENTITY,
                crate::templates::render("site/signup.html", ctx)?,
            ))
        }
        Err(err) => Err(err.into()),
    }
}
