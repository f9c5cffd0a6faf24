//! The small HTML pages a reader sees after following a link from an email: the buttons,
//! what pressing them did, and what to do when it could not be done (a link pressed twice,
//! expired or cut short). Rendered by the crate's template engine (`crate::templates`) from `templates/subscriptions/`, embedded
//! at build time; every value is escaped by the engine, and the pages load nothing from
//! elsewhere.

use minijinja::context;

use crate::error::{AppError, Result};

/// Which button the reader pressed, for the page that explains a refusal.
#[derive(Clone, Copy, Debug)]
pub enum Flow {
    Confirm,
    Unsubscribe,
}

fn render(name: &str, ctx: minijinja::Value) -> Result<String> {
    Ok(crate::templates::render(
        &format!("subscriptions/{name}"),
        ctx,
    )?)
}

/// The page behind the confirmation link: a button, so a link checker that opens the link
/// does not confirm anything.
pub fn confirm_form(token: &str) -> Result<String> {
    render(
        "confirm.html",
        context! { title => "Confirm your subscription", token },
    )
}

pub fn confirmed(newsletter: &str) -> Result<String> {
    render(
        "confirmed.html",
        context! { title => "Subscription confirmed", newsletter },
    )
}

pub fn unsubscribe_form(token: &str) -> Result<String> {
    render(
        "unsubscribe.html",
        context! { title => "Unsubscribe", token },
    )
}

pub fn unsubscribed(newsletter: &str) -> Result<String> {
    render(
        "unsubscribed.html",
        context! { title => "You have unsubscribed", newsletter },
    )
}

/// The page for a button press that was refused: what happened and what to do, in the
/// reader's words (the API's problem document says the same to programs).
pub fn refused(flow: Flow, err: &AppError) -> Result<String> {
    let (title, paragraphs): (&str, &[&str]) = match (flow, err) {
        (Flow::Confirm, AppError::Validation(_)) => (
            "This link cannot be used",
            &[
                "It was used already, it has expired (a confirmation link works for 48 hours), \
                 or it was not copied whole.",
                "If you have just pressed the button, your subscription is confirmed: there is \
                 nothing more to do.",
                "Otherwise, sign up again to get a new link.",
            ],
        ),
        (Flow::Unsubscribe, AppError::Validation(_)) => (
            "This link cannot be used",
            &[
                "It is not a valid unsubscribe link: it may not have been copied whole.",
                "Open it again from the email, or use the link at the foot of any newer issue.",
            ],
        ),
        (_, AppError::TooManyRequests { .. }) => (
            "Too many requests",
            &["Too many requests came from your address. Wait a minute, then press the button again."],
        ),
        _ => (
            "Something went wrong",
            &["We could not do this just now. Please try again in a few minutes."],
        ),
    };
    render("problem.html", context! { title, paragraphs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped() {
        let page = confirmed("<script>alert(1)</script>").unwrap();
        assert!(!page.contains("<script>"));
        let form = confirm_form("\"><img src=x onerror=alert(1)>").unwrap();
        assert!(!form.contains("<img"));
    }

    #[test]
    fn every_refusal_has_a_page() {
        let errors = [
            AppError::field("token", "is not valid"),
            AppError::TooManyRequests {
                retry_after_secs: 5,
            },
            AppError::Unavailable,
        ];
        for flow in [Flow::Confirm, Flow::Unsubscribe] {
            for err in &errors {
                let page = refused(flow, err).unwrap();
                assert!(page.starts_with("<!doctype html>") && page.contains("<h1>"));
            }
        }
    }
}
