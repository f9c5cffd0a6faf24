//! What the newsletter screens (`newsletters.rs`, `newsletter.rs`, `issue_compose.rs`,
//! `issue_preview.rs`, `issue_send.rs`) share: the service's refusals as their forms and
//! pages show them, and the newsletter a screen is about.

use super::page::DeskError;
use crate::domain::Key;
use crate::error::AppError;
use crate::newsletters::{service, Newsletter};
use crate::state::AppState;

/// The newsletter `key` (slug or id) names, or the desk's refusal.
pub(super) async fn newsletter(state: &AppState, key: &str) -> Result<Newsletter, DeskError> {
    service::get(state, &Key::parse(key)).await.map_err(refused)
}

/// A 403 said as these screens' sentence (the desk's default speaks of stories).
pub(super) fn refused(err: AppError) -> DeskError {
    match err {
        AppError::Forbidden => {
            AppError::ForbiddenBecause("You may not see or change newsletters and their issues.")
                .into()
        }
        err => err.into(),
    }
}
