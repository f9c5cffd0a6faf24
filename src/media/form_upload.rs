//! Uploads from a form of another room (the desk's editor): the same reading, checks and
//! refusals as `POST /api/v1/media` (`upload.rs`, `ingest.rs`), into an outlet the caller
//! names, with the form's own text parts (its CSRF token) kept apart so the caller can check
//! them before anything is stored.

use std::collections::BTreeMap;

use actix_multipart::Multipart;

use super::ingest::{self, Uploaded};
use super::requests::UploadFields;
use super::upload::{self, Received};
use super::PictureView;
use crate::auth::CurrentUser;
use crate::error::Result;
use crate::state::AppState;

/// A form read to its end, nothing stored yet.
pub struct SentForm {
    received: Received,
    own: BTreeMap<String, String>,
}

impl SentForm {
    /// One of the form's own text parts (those named in `receive`'s `own`).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.own.get(name).map(String::as_str)
    }
}

/// Reads the form (413 first from `declared`, the `Content-Length`); `own` names the text
/// parts that are the calling form's and not the picture's.
pub async fn receive(
    state: &AppState,
    declared: Option<u64>,
    form: Multipart,
    own: &[&str],
) -> Result<SentForm> {
    let max = state.config.media.max_upload_bytes;
    upload::check_length(declared, max)?;
    let mut received = upload::receive(form, max, own).await?;
    let own = own
        .iter()
        .filter_map(|name| Some((name.to_string(), received.fields.remove(*name)?)))
        .collect();
    Ok(SentForm { received, own })
}

/// Uploads the form's file into `outlet` with the form's picture fields, by the rules of
/// every upload: the picture, new or the outlet's existing one of the same bytes.
pub async fn upload_to(
    state: &AppState,
    by: &CurrentUser,
    form: SentForm,
    outlet: uuid::Uuid,
) -> Result<PictureView> {
    let mut fields = UploadFields::try_from(&form.received.fields)?;
    fields.outlet_id = Some(outlet);
    Ok(
        match ingest::upload(state, by, fields, form.received).await? {
            Uploaded::Created(view) | Uploaded::Existing(view) => view,
        },
    )
}
