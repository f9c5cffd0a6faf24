//! The upload rule book: who may upload where, what a file must be, and what is stored.
//! Every refusal comes before anything is written; the same bytes are processed and stored
//! once (by SHA-256), and the same bytes twice in one outlet are one picture.

use uuid::Uuid;

use super::delivery::{self, Source};
use super::draw_process;
use super::process::Master;
use super::requests::{Fields, UploadFields};
use super::sniff::{self, Format};
use super::upload::Received;
use super::{master_key, renditions, service, store, Blob, FocalPoint, Picture, PictureView};
use crate::audit;
use crate::auth::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;

/// Whether an upload made a new picture (201) or found the outlet's existing one (200).
pub enum Uploaded {
    Created(PictureView),
    Existing(PictureView),
}

pub async fn upload(
    state: &AppState,
    by: &CurrentUser,
    form: UploadFields,
    received: Received,
) -> Result<Uploaded> {
    let outlet = outlet_for(state, by, form.outlet_id).await?;
    let format = sniff::sniff(&received.head)?;
    sniff::check_declared(format, received.content_type.as_deref(), &received.filename)?;
    received.scan.verdict(&received.tail)?;

    let known = store::blob_by_upload(&state.db, &received.sha256).await?;
    let (blob, new_master) = match known {
        Some(blob) => (blob, None),
        None => {
            let master = make_master(state, received.file, format).await?;
            let facts = &master.facts;
            let blob = Blob {
                id: Uuid::now_v7(),
                upload_sha256: received.sha256,
                master_sha256: facts.sha256.clone(),
                source_format: format.as_str().to_owned(),
                master_format: facts.format.as_str().to_owned(),
                width: i32::try_from(facts.width).unwrap_or(i32::MAX),
                height: i32::try_from(facts.height).unwrap_or(i32::MAX),
                has_alpha: facts.has_alpha,
                master_bytes: master.bytes.len() as i64,
                embedded: sqlx::types::Json(facts.embedded.clone()),
                created_at: state.clock.now(),
            };
            let key = master_key(&blob.master_sha256, &blob.master_format);
            state.media.storage.put(&key, master.bytes).await?;
            (blob, Some(key))
        }
    };
    let result = record(state, by, outlet, blob, &received.filename, form.fields).await;
    if result.is_err() {
        if let Some(key) = &new_master {
            forget_master(state, key).await;
        }
    }
    let (picture, new_blob, created) = result?;
    if let Some(blob) = new_blob {
        let source = Source {
            master_sha256: blob.master_sha256,
            master_format: blob.master_format,
            width: u32::try_from(blob.width).unwrap_or(1),
            height: u32::try_from(blob.height).unwrap_or(1),
        };
        let focal = renditions::focal_of(picture.focal_point.x, picture.focal_point.y);
        let variants = renditions::all(source.width, source.height, focal);
        delivery::warm(state, source, variants);
    }
    let view = service::view(by, picture);
    Ok(if created {
        Uploaded::Created(view)
    } else {
        Uploaded::Existing(view)
    })
}

/// The outlet an upload goes to: the one named (the uploader must belong to it), or the
/// uploader's only outlet.
async fn outlet_for(state: &AppState, by: &CurrentUser, named: Option<Uuid>) -> Result<Uuid> {
    let outlet = match named {
        Some(outlet) => outlet,
        None if !by.is_admin() && by.outlet_ids.len() == 1 => by.outlet_ids[0],
        None => {
            return Err(AppError::field(
                "outlet_id",
                "is required: name the outlet the picture belongs to",
            ))
        }
    };
    if !by.belongs_to(outlet) {
        return Err(AppError::field(
            "outlet_id",
            "must be an outlet you belong to",
        ));
    }
    if !crate::db::all_exist(&state.db, crate::db::Table::Outlets, &[outlet]).await? {
        return Err(AppError::field(
            "outlet_id",
            "names an outlet that does not exist",
        ));
    }
    Ok(outlet)
}

/// Decodes and re-encodes in a picture process (`draw_process`, its own session at the
/// lowest priority), holding a drawing slot (bounded CPU and memory).
async fn make_master(state: &AppState, file: std::fs::File, format: Format) -> Result<Master> {
    let _slot = state.media.slot().await?;
    let media = &state.config.media;
    draw_process::make_master(&media.draw_program, file, format, media.max_pixels).await
}

/// Stores the blob (unless a concurrent upload of the same bytes did) and the outlet's
/// picture (unless it has it already), with the audit entry: (picture, the blob when this
/// upload made it, whether the picture is new).
async fn record(
    state: &AppState,
    by: &CurrentUser,
    outlet: Uuid,
    blob: Blob,
    filename: &str,
    fields: Fields,
) -> Result<(Picture, Option<Blob>, bool)> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let stored = store::insert_blob(&mut tx, &blob).await?;
    let blob_is_new = stored.id == blob.id;
    if let Some(existing) = store::asset_of(&mut *tx, outlet, stored.id).await? {
        tx.commit().await?;
        return Ok((existing, None, false));
    }
    let from_file = stored.embedded.0.clone();
    let picture = Picture {
        id: Uuid::now_v7(),
        outlet_id: outlet,
        filename: filename.to_owned(),
        caption: fields.caption.or(from_file.caption),
        credit: fields.credit.or(from_file.credit),
        copyright_notice: fields.copyright_notice.or(from_file.copyright_notice),
        usage_terms: fields.usage_terms.or(from_file.usage_terms),
        alt_text: fields.alt_text.or(from_file.alt_text),
        captured_at: from_file.captured_at,
        focal_point: FocalPoint { x: 0.5, y: 0.5 },
        width: stored.width,
        height: stored.height,
        format: stored.source_format.clone(),
        version: 1,
        created_by: Some(by.id),
        created_at: now,
        updated_at: now,
        blob_id: stored.id,
        master_sha256: stored.master_sha256.clone(),
        has_alpha: stored.has_alpha,
    };
    store::save(&mut *tx, &picture).await?;
    audit::record_change(
        &mut *tx,
        &by.into(),
        "media.create",
        picture.id,
        None,
        Some(&picture),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((picture, blob_is_new.then_some(stored), true))
}

/// Removes a master written for an upload that then failed, unless a blob has it.
async fn forget_master(state: &AppState, key: &str) {
    let master = key
        .trim_start_matches("masters/")
        .split('.')
        .next()
        .unwrap_or_default();
    match store::master_in_use(&state.db, master).await {
        Ok(false) => {
            if let Err(err) = state.media.storage.delete(key).await {
                tracing::warn!(error = %err, key, "cannot remove the master of a failed upload");
            }
        }
        Ok(true) => {}
        Err(err) => tracing::warn!(error = %err, key, "cannot tell whether a master is in use"),
    }
}
