//! What the partner screens (`partners.rs`, `partner.rs`, `partner_keys.rs`,
//! `partner_deliveries.rs`) share: the service's refusals as their forms and pages show them,
//! the partner a screen is about (read first, so one who may not see partners gets the 403
//! page before any form message), and the ids a form's checkboxes name.

use uuid::Uuid;

use super::page::DeskError;
use super::session::Desk;
use crate::error::AppError;
use crate::partners::{service, Partner};
use crate::state::AppState;

/// A 403 said as these screens' sentence (the desk's default speaks of stories).
pub(super) fn refused(err: AppError) -> DeskError {
    match err {
        AppError::Forbidden => {
            AppError::ForbiddenBecause("You may not see or change partners.").into()
        }
        err => err.into(),
    }
}

/// The ids a form's checkboxes name.
pub(super) fn ids(field: &str, raw: &[String]) -> Result<Vec<Uuid>, AppError> {
    raw.iter()
        .map(|id| {
            Uuid::parse_str(id.trim())
                .map_err(|_| AppError::field(field, "must list existing entries, each once"))
        })
        .collect()
}

/// The partner `id` as `desk` may see it, or the desk's refusal.
pub(super) async fn partner(state: &AppState, desk: &Desk, id: Uuid) -> Result<Partner, DeskError> {
    service::get(state, &desk.user, id).await.map_err(refused)
}
