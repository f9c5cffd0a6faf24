//! Pictures on a story: the featured picture (`featured_media_id`) and the pictures the
//! Markdown body places (`![alt](media:<id>)`, read by `render.rs`). Every save resolves them
//! through the media room's door, refuses one that does not exist or belongs to another
//! outlet (422 naming it; the two are not told apart, so the field cannot probe other
//! outlets' libraries), and keeps `media_uses` in step in the save's transaction, so a
//! picture a story shows cannot be deleted.

use uuid::Uuid;

use super::model::Article;
use super::render::{self, BodyPicture, Pictures};
use super::rules::ShownPicture;
use super::store;
use crate::error::{AppError, FieldErrors, Result};
use crate::media;

/// The pictures a story shows, resolved against its outlet's library.
pub(super) struct Shown {
    pub pictures: Pictures,
    pub featured: Option<Uuid>,
    pub body: Vec<BodyPicture>,
}

impl Shown {
    /// What the publish rule needs to know: which pictures have words for readers who cannot
    /// see them (the Markdown's alt text, else the picture's own).
    pub fn for_rules(&self) -> Vec<ShownPicture> {
        let described = |id: &Uuid| {
            self.pictures
                .get(id)
                .and_then(|p| p.alt_text.as_deref())
                .is_some_and(|alt| !alt.trim().is_empty())
        };
        let featured = self.featured.iter().map(|id| ShownPicture {
            id: *id,
            featured: true,
            described: described(id),
        });
        let body = self.body.iter().filter_map(|r| {
            let id = r.id?;
            Some(ShownPicture {
                id,
                featured: false,
                described: !r.alt.trim().is_empty() || described(&id),
            })
        });
        featured.chain(body).collect()
    }
}

/// Resolves the pictures `a` shows; 422 on `featured_media_id` or `body` for one that is
/// not a picture of the story's outlet.
pub(super) async fn resolve(db: &mut sqlx::PgConnection, a: &Article) -> Result<Shown> {
    let body = render::picture_refs(&a.content.body);
    let mut ids: Vec<Uuid> = body.iter().filter_map(|r| r.id).collect();
    ids.extend(a.content.featured_media_id);
    let pictures = outlet_pictures(&mut *db, a.outlet_id, ids).await?;
    let mut errors = FieldErrors::new();
    if let Some(id) = a.content.featured_media_id {
        if !pictures.contains_key(&id) {
            errors.insert(
                "featured_media_id".into(),
                vec![format!("{id} is not a picture of this outlet's library")],
            );
        }
    }
    let mut unknown: Vec<String> = Vec::new();
    for r in body
        .iter()
        .filter(|r| !r.id.is_some_and(|id| pictures.contains_key(&id)))
    {
        // Named as written, cut short: the message is not a mirror for a megabyte of text.
        let target: String = r.target.chars().take(60).collect();
        let named = format!("`media:{target}`");
        if !unknown.contains(&named) {
            unknown.push(named);
        }
    }
    if !unknown.is_empty() {
        errors.insert(
            "body".into(),
            vec![format!(
                "places {} that {} not a picture of this outlet's library",
                unknown.join(", "),
                if unknown.len() == 1 { "is" } else { "are" }
            )],
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Shown {
        pictures,
        featured: a.content.featured_media_id,
        body,
    })
}

/// The pictures of `outlet` among `ids`.
async fn outlet_pictures(
    db: impl sqlx::PgExecutor<'_>,
    outlet: Uuid,
    mut ids: Vec<Uuid>,
) -> Result<Pictures> {
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Pictures::new());
    }
    Ok(media::service::resolve(db, &ids)
        .await?
        .into_iter()
        .filter(|p| p.outlet_id == outlet)
        .map(|p| (p.id, p))
        .collect())
}

/// `markdown` rendered with the pictures of `outlet` it places; any other reference is left
/// as its alt text (the save names those). The desk's preview.
pub(super) async fn render_in(
    db: impl sqlx::PgExecutor<'_>,
    outlet: Uuid,
    markdown: &str,
) -> Result<String> {
    let ids = render::picture_refs(markdown)
        .iter()
        .filter_map(|r| r.id)
        .collect();
    let pictures = outlet_pictures(db, outlet, ids).await?;
    Ok(render::body_html(markdown, &pictures))
}

/// Makes `media_uses` say exactly what `shown` shows for article `id`.
pub(super) async fn record_uses(
    db: impl sqlx::PgExecutor<'_>,
    id: Uuid,
    shown: &Shown,
) -> Result<()> {
    let mut uses: Vec<(Uuid, &'static str)> = shown
        .featured
        .map(|f| (f, "featured"))
        .into_iter()
        .collect();
    uses.extend(shown.body.iter().filter_map(|r| Some((r.id?, "body"))));
    uses.sort();
    uses.dedup();
    store::set_picture_uses(db, id, &uses).await?;
    Ok(())
}
