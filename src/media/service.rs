//! The library's rules, and the door the articles room uses. Staff see the pictures of the
//! outlets they belong to (admins all); writers edit and delete the pictures they uploaded,
//! editors any of their outlets'; a picture a story uses cannot be deleted. The upload's
//! rules are in `ingest.rs`, which builds on these.

use uuid::Uuid;

use super::delivery::{self, Source};
use super::renditions::{self, Rendition};
use super::requests::Changes;
use super::store::{self, ListFilter};
use super::{master_key, renditions_folder, Picture, PictureView};
use crate::audit;
use crate::auth::CurrentUser;
use crate::domain::{Page, Role};
use crate::error::{AppError, Result};
use crate::state::AppState;

/// Staff of the picture's outlet (and admins) see it; everyone else gets 404.
pub fn may_see(by: &CurrentUser, p: &Picture) -> bool {
    by.belongs_to(p.outlet_id)
}

/// Editors and admins edit every picture they see; writers the ones they uploaded.
pub fn may_edit(by: &CurrentUser, p: &Picture) -> bool {
    may_see(by, p)
        && match by.role {
            Role::Admin | Role::Editor => true,
            Role::Writer => p.created_by == Some(by.id),
        }
}

/// Every rendition of a picture, crops around its focal point: URLs, sizes and types.
pub fn renditions_for(p: &Picture) -> Vec<Rendition> {
    let (w, h) = (
        u32::try_from(p.width).unwrap_or(1),
        u32::try_from(p.height).unwrap_or(1),
    );
    let focal = renditions::focal_of(p.focal_point.x, p.focal_point.y);
    renditions::all(w, h, focal)
        .iter()
        .map(|v| renditions::describe(v, &p.master_sha256, w, h))
        .collect()
}

/// How wide a story's picture is shown: the whole column on a phone, at most the reading
/// column (42rem) on wider screens. The browser picks a `srcset` width from it.
pub const SIZES: &str = "(min-width: 45rem) 42rem, 100vw";

/// The whole picture as a JPEG, the widest of `renditions` up to `max_width` (else the
/// narrowest): a body or featured picture's `src`, a feed's image, `og:image`.
pub fn jpeg_up_to(renditions: &[Rendition], max_width: u32) -> Option<Rendition> {
    let jpegs = renditions
        .iter()
        .filter(|r| r.shape == "original" && r.mimetype == "image/jpeg");
    let (fits, wider): (Vec<_>, Vec<_>) = jpegs.partition(|r| r.width <= max_width);
    fits.into_iter()
        .max_by_key(|r| r.width)
        .or_else(|| wider.into_iter().min_by_key(|r| r.width))
        .cloned()
}

/// The whole picture's WebP widths as a `srcset` ("/media/…/w320.webp 320w, …"): the browser
/// picks one for the space `sizes` gives it.
pub fn webp_srcset(renditions: &[Rendition]) -> String {
    renditions
        .iter()
        .filter(|r| r.shape == "original" && r.mimetype == "image/webp")
        .map(|r| format!("{} {}w", r.href, r.width))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A picture as an email shows it (a newsletter issue's featured pictures).
#[derive(Clone, Debug, serde::Serialize)]
pub struct EmailPicture {
    /// Absolute: the email is read far from the site.
    pub src: String,
    pub width: u32,
    pub height: u32,
    /// The alt text, else the caption, else empty (the picture is then decoration).
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// The widest JPEG up to 640 px (an email's column is about 600 px; not every mail client
/// reads WebP or `srcset`), absolute on `base_url`.
pub fn email_picture(p: &Picture, base_url: &str) -> Option<EmailPicture> {
    let jpeg = jpeg_up_to(&renditions_for(p), 640)?;
    Some(EmailPicture {
        src: format!("{}{}", base_url.trim_end_matches('/'), jpeg.href),
        width: jpeg.width,
        height: jpeg.height,
        alt: p
            .alt_text
            .clone()
            .or_else(|| p.caption.clone())
            .unwrap_or_default(),
        caption: p.caption.clone(),
        credit: p.credit.clone(),
    })
}

/// `html` (a body as `articles::body_html` writes it) with its `/media/…` picture URLs, in
/// `src` and `srcset`, made absolute on `base_url`: for copies read elsewhere (ninjs, feeds).
pub fn absolute_media_urls(html: &str, base_url: &str) -> String {
    let base = base_url.trim_end_matches('/');
    html.replace("=\"/media/", &format!("=\"{base}/media/"))
        .replace(", /media/", &format!(", {base}/media/"))
}

pub fn view(by: &CurrentUser, picture: Picture) -> PictureView {
    PictureView {
        renditions: renditions_for(&picture),
        editable: may_edit(by, &picture),
        picture,
    }
}

/// Pictures by id for the articles room (featured pictures, body references): the ones
/// that exist, in no particular order. It decides itself who may see what it shows.
pub async fn resolve(db: impl sqlx::PgExecutor<'_>, ids: &[Uuid]) -> Result<Vec<Picture>> {
    Ok(store::many(db, ids).await?)
}

pub async fn list(
    state: &AppState,
    by: &CurrentUser,
    mut filter: ListFilter,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Page<PictureView>> {
    filter.outlets = (!by.is_admin()).then(|| by.outlet_ids.clone());
    let rows = store::list(&state.db, &filter, after, limit).await?;
    Ok(Page::from_rows(rows, limit, |p| p.id).map(|p| view(by, p)))
}

/// The newest `limit` pictures of `outlet` that `by` sees (a picker's choices), and the one
/// `keep` names if it is older; none when `by` is not of the outlet.
pub async fn choices(
    state: &AppState,
    by: &CurrentUser,
    outlet: Uuid,
    limit: i64,
    keep: Option<Uuid>,
) -> Result<Vec<PictureView>> {
    if !by.belongs_to(outlet) {
        return Ok(Vec::new());
    }
    let filter = ListFilter {
        outlets: None,
        outlet_id: Some(outlet),
        q: None,
    };
    let mut found: Vec<PictureView> = store::list(&state.db, &filter, None, limit)
        .await?
        .into_iter()
        .map(|p| view(by, p))
        .collect();
    if let Some(id) = keep.filter(|id| !found.iter().any(|v| v.picture.id == *id)) {
        let kept = store::get(&state.db, id).await?;
        found.extend(kept.filter(|p| p.outlet_id == outlet).map(|p| view(by, p)));
    }
    Ok(found)
}

pub async fn get(state: &AppState, by: &CurrentUser, id: Uuid) -> Result<PictureView> {
    let picture = store::get(&state.db, id)
        .await?
        .filter(|p| may_see(by, p))
        .ok_or(AppError::NotFound)?;
    Ok(view(by, picture))
}

/// Applies `changes` if the picture is still at `version` (`If-Match`).
pub async fn update(
    state: &AppState,
    by: &CurrentUser,
    id: Uuid,
    version: i32,
    changes: Changes,
) -> Result<PictureView> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = store::get_for_update(&mut *tx, id)
        .await?
        .filter(|p| may_see(by, p))
        .ok_or(AppError::NotFound)?;
    if !may_edit(by, &before) {
        return Err(AppError::Forbidden);
    }
    if before.version != version {
        return Err(AppError::PreconditionFailed);
    }
    let mut after = before.clone();
    let Changes {
        filename,
        caption,
        credit,
        copyright_notice,
        usage_terms,
        alt_text,
        captured_at,
        focal_point,
    } = changes;
    after.filename = filename.unwrap_or(after.filename);
    after.caption = caption.unwrap_or(after.caption);
    after.credit = credit.unwrap_or(after.credit);
    after.copyright_notice = copyright_notice.unwrap_or(after.copyright_notice);
    after.usage_terms = usage_terms.unwrap_or(after.usage_terms);
    after.alt_text = alt_text.unwrap_or(after.alt_text);
    after.captured_at = captured_at.unwrap_or(after.captured_at);
    after.focal_point = focal_point.unwrap_or(after.focal_point);
    after.version += 1;
    after.updated_at = now;
    store::save(&mut *tx, &after).await?;
    audit::record_change(
        &mut *tx,
        &by.into(),
        "media.update",
        after.id,
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    if after.focal_point != before.focal_point {
        let blob = store::blob_by_master(&state.db, &after.master_sha256).await?;
        if let Some(blob) = blob {
            let source = Source {
                master_sha256: blob.master_sha256,
                master_format: blob.master_format,
                width: u32::try_from(blob.width).unwrap_or(1),
                height: u32::try_from(blob.height).unwrap_or(1),
            };
            // Only the crops move with the focal point.
            let focal = renditions::focal_of(after.focal_point.x, after.focal_point.y);
            let crops = renditions::all(source.width, source.height, focal)
                .into_iter()
                .filter(|v| v.crop.is_some())
                .collect();
            delivery::warm(state, source, crops);
        }
    }
    Ok(view(by, after))
}

/// Refuses to delete a picture that stories use, naming them (409).
pub async fn ensure_deletable(tx: &mut sqlx::PgConnection, id: Uuid) -> Result<()> {
    let stories = store::stories_using(&mut *tx, id).await?;
    if stories.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = stories
        .iter()
        .map(|(id, headline)| format!("“{headline}” ({id})"))
        .collect();
    Err(AppError::conflict(format!(
        "the picture is used by {} {}: {}; take it out of them first",
        stories.len(),
        if stories.len() == 1 {
            "story"
        } else {
            "stories"
        },
        names.join(", ")
    )))
}

/// Deletes a picture no story uses; its files go with the last picture of its master.
pub async fn delete(state: &AppState, by: &CurrentUser, id: Uuid) -> Result<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = store::get_for_update(&mut *tx, id)
        .await?
        .filter(|p| may_see(by, p))
        .ok_or(AppError::NotFound)?;
    if !may_edit(by, &before) {
        return Err(AppError::Forbidden);
    }
    ensure_deletable(&mut tx, id).await?;
    store::delete_asset(&mut *tx, id).await?;
    store::delete_blob_if_unused(&mut *tx, before.blob_id).await?;
    audit::record_change(
        &mut *tx,
        &by.into(),
        "media.delete",
        id,
        Some(&before),
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    if !store::master_in_use(&state.db, &before.master_sha256).await? {
        remove_files(state, &before.master_sha256).await;
    }
    Ok(())
}

/// Removes a master and its renditions. A failure leaves unreachable files behind, which
/// is logged rather than undoing a delete the database has already made.
async fn remove_files(state: &AppState, master: &str) {
    let storage = &state.media.storage;
    let mut keys = vec![master_key(master, "jpeg"), master_key(master, "png")];
    match storage.keys_under(&renditions_folder(master)).await {
        Ok(found) => keys.extend(found),
        Err(err) => tracing::warn!(error = %err, master, "cannot list renditions to delete"),
    }
    for key in keys {
        if let Err(err) = storage.delete(&key).await {
            tracing::warn!(error = %err, key, "cannot delete a picture file");
        }
    }
}
