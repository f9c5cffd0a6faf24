//! The rules of signing up and leaving:
//! - a sign-up needs explicit consent and a policy version (422 otherwise), and always gets
//!   the same 202 whether the address is new, pending, confirmed or suppressed, so nobody
//!   can learn who subscribes;
//! - sign-ups are counted per address (5 an hour, then 429) before anything else;
//! - a pending subscription becomes confirmed only through the single-use link of the
//!   double opt-in email, within 48 hours;
//! - an unsubscribe takes effect at once and suppresses the address for that newsletter;
//!   an erased or bounced address is never mailed again;
//! - every step is a row of the append-only consent ledger, with time, address, browser and
//!   policy version.

use chrono::Duration;
use serde_json::json;

use super::store::{self, Target};
use super::ConsentEvent;
use crate::auth::token;
use crate::domain::{required_text, Email, Key};
use crate::email::{self, Message};
use crate::error::{AppError, Result};
use crate::newsletters::{self, Newsletter};
use crate::state::AppState;

/// How long a confirmation link works.
pub const CONFIRMATION_TTL_HOURS: i64 = 48;
const SIGNUPS_PER_WINDOW: i32 = 5;
const SIGNUP_WINDOW_SECS: i64 = 3600;
/// Prefix of the tokens in confirmation and unsubscribe links.
const TOKEN_PREFIX: &str = "nrsub_";

/// Where a request came from, for the consent ledger.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl Origin {
    /// The client's address (as `NEWSROOM_TRUST_FORWARDED` says to read it) and browser.
    pub fn of(req: &actix_web::HttpRequest, state: &AppState) -> Origin {
        Origin {
            ip: crate::client::ip(req, state.config.trust_forwarded).map(|ip| ip.to_string()),
            user_agent: req
                .headers()
                .get(actix_web::http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.chars().take(512).collect()),
        }
    }
}

pub struct SignUp {
    pub email: Email,
    pub name: Option<String>,
    pub policy_version: String,
}

impl SignUp {
    /// A sign-up as a reader sent it (the JSON API or the reader site's form): consent must be
    /// given, the address valid, the name and policy version short text.
    pub fn parse(
        email: &str,
        name: Option<&str>,
        consent: bool,
        policy_version: &str,
    ) -> Result<SignUp> {
        if !consent {
            return Err(AppError::field(
                "consent",
                "must be true: we only send newsletters to readers who asked for them",
            ));
        }
        Ok(SignUp {
            email: Email::parse("email", email)?,
            name: name.map(|n| required_text("name", n, 200)).transpose()?,
            policy_version: required_text("policy_version", policy_version, 50)?,
        })
    }
}

/// The SHA-256 of the normalised address: what suppressions and throttles keep.
pub fn email_hash(email: &str) -> Vec<u8> {
    token::digest(email)
}

pub async fn subscribe(
    state: &AppState,
    newsletter: &str,
    signup: SignUp,
    origin: &Origin,
) -> Result<()> {
    let now = state.clock.now();
    let newsletter = newsletters::store::get(&state.db, &Key::parse(newsletter))
        .await?
        .ok_or(AppError::NotFound)?;
    let hash = email_hash(signup.email.as_str());
    let (attempts, window_start) =
        store::count_signup(&state.db, &hash, now, SIGNUP_WINDOW_SECS).await?;
    if attempts > SIGNUPS_PER_WINDOW {
        state.metrics.work.refused(crate::metrics::Limit::Signup);
        let retry = window_start + Duration::seconds(SIGNUP_WINDOW_SECS) - now;
        return Err(AppError::TooManyRequests {
            retry_after_secs: retry.num_seconds().max(1) as u64,
        });
    }
    let mut tx = state.db.begin().await?;
    if store::suppressed(&mut *tx, &hash, None).await? {
        // Bounced or erased: never mailed again. The answer is the same as for anyone.
        return Ok(());
    }
    let subscriber =
        store::upsert_subscriber(&mut *tx, signup.email.as_str(), signup.name.as_deref(), now)
            .await?;
    if store::status(&mut *tx, subscriber, newsletter.id)
        .await?
        .as_deref()
        == Some("confirmed")
    {
        tx.commit().await?;
        return Ok(());
    }
    store::set_pending(
        &mut *tx,
        subscriber,
        newsletter.id,
        &signup.policy_version,
        now,
    )
    .await?;
    let event = ConsentEvent {
        subscriber,
        newsletter: Some(newsletter.id),
        action: super::ConsentAction::Subscribed,
        at: now,
        ip: origin.ip.as_deref(),
        user_agent: origin.user_agent.as_deref(),
        policy_version: Some(&signup.policy_version),
        source: "signup form",
    };
    store::record(&mut *tx, &event).await?;
    request_confirmation(
        state,
        &mut tx,
        subscriber,
        &newsletter,
        signup.email.as_str(),
        &signup.policy_version,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Queues the double opt-in email with a new single-use link (valid 48 hours), in the
/// caller's transaction.
pub(super) async fn request_confirmation(
    state: &AppState,
    tx: &mut sqlx::PgTransaction<'_>,
    subscriber: uuid::Uuid,
    newsletter: &Newsletter,
    to: &str,
    policy_version: &str,
) -> Result<()> {
    let now = state.clock.now();
    let link = token::generate(TOKEN_PREFIX);
    let expires_at = now + Duration::hours(CONFIRMATION_TTL_HOURS);
    store::insert_confirmation(
        &mut **tx,
        &token::digest(&link),
        subscriber,
        newsletter.id,
        now,
        expires_at,
    )
    .await?;
    let confirm_url = format!(
        "{}/public/v1/subscriptions/confirm?token={link}",
        state.config.public_url
    );
    let (text, html) = email::templates::render(
        "confirm",
        json!({
            "newsletter_name": newsletter.name,
            "confirm_url": confirm_url,
            "policy_version": policy_version,
        }),
    )?;
    let message = Message {
        kind: "confirm",
        to: to.to_owned(),
        subject: format!("Confirm your subscription to {}", newsletter.name),
        text,
        html,
        headers: Vec::new(),
        dedupe_key: None,
        delivery: email::Delivery::AtLeastOnce,
    };
    email::enqueue(&mut **tx, &message, now).await?;
    Ok(())
}

/// Spends a confirmation link: the subscription is confirmed (and an earlier unsubscribe
/// lifted, since this is new consent). A used, expired or unknown link is a 422.
pub async fn confirm(state: &AppState, link: &str, origin: &Origin) -> Result<Target> {
    let now = state.clock.now();
    let invalid = || {
        AppError::field(
            "token",
            "is not a valid link, was used already, or has expired; sign up again",
        )
    };
    if !token::well_formed(TOKEN_PREFIX, link) {
        return Err(invalid());
    }
    let mut tx = state.db.begin().await?;
    let target = store::spend_confirmation(&mut *tx, &token::digest(link), now)
        .await?
        .ok_or_else(invalid)?;
    if let Some(policy) = store::set_status(
        &mut *tx,
        target.subscriber_id,
        target.newsletter_id,
        "confirmed",
        now,
    )
    .await?
    {
        let event = ConsentEvent {
            subscriber: target.subscriber_id,
            newsletter: Some(target.newsletter_id),
            action: super::ConsentAction::Confirmed,
            at: now,
            ip: origin.ip.as_deref(),
            user_agent: origin.user_agent.as_deref(),
            policy_version: policy.as_deref(),
            source: "confirmation link",
        };
        store::record(&mut *tx, &event).await?;
    }
    if let Some(email) = &target.email {
        store::lift(&mut *tx, &email_hash(email), target.newsletter_id).await?;
    }
    tx.commit().await?;
    Ok(target)
}

/// Leaves a newsletter through the link of one of its emails (or the RFC 8058 one-click
/// POST): takes effect at once, suppresses the address for that newsletter. Idempotent.
pub async fn unsubscribe(state: &AppState, link: &str, origin: &Origin) -> Result<Target> {
    let now = state.clock.now();
    let invalid = || AppError::field("token", "is not a valid unsubscribe link");
    if !token::well_formed(TOKEN_PREFIX, link) {
        return Err(invalid());
    }
    let mut tx = state.db.begin().await?;
    let target = store::unsubscribe_target(&mut *tx, &token::digest(link))
        .await?
        .ok_or_else(invalid)?;
    if let Some(policy) = store::set_status(
        &mut *tx,
        target.subscriber_id,
        target.newsletter_id,
        "unsubscribed",
        now,
    )
    .await?
    {
        let event = ConsentEvent {
            subscriber: target.subscriber_id,
            newsletter: Some(target.newsletter_id),
            action: super::ConsentAction::Unsubscribed,
            at: now,
            ip: origin.ip.as_deref(),
            user_agent: origin.user_agent.as_deref(),
            policy_version: policy.as_deref(),
            source: "unsubscribe link",
        };
        store::record(&mut *tx, &event).await?;
    }
    if let Some(email) = &target.email {
        store::suppress(
            &mut *tx,
            &email_hash(email),
            Some(target.newsletter_id),
            "unsubscribed",
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(target)
}

/// A new unsubscribe link for a subscription, for the footer and `List-Unsubscribe` header of
/// an email about to be sent. Only its hash is kept.
pub async fn unsubscribe_url(
    db: &mut sqlx::PgConnection,
    state: &AppState,
    subscriber: uuid::Uuid,
    newsletter: uuid::Uuid,
) -> Result<String> {
    let link = token::generate(TOKEN_PREFIX);
    store::insert_unsubscribe_token(
        db,
        &token::digest(&link),
        subscriber,
        newsletter,
        state.clock.now(),
    )
    .await?;
    Ok(format!(
        "{}/public/v1/subscriptions/unsubscribe?token={link}",
        state.config.public_url
    ))
}
