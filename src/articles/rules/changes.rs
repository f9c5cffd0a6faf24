//! What a saved change does to an article, decided before anything is written: when a story
//! is publishable, what an edit changes and announces (a correction, an embargo that lifts),
//! and how a workflow transition moves the state, the times and the version. Pure: the
//! services apply these answers in their transaction.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::visibility::publicly_visible;
use super::workflow::{Announce, Schedule, Status, Transition};
use crate::articles::model::Article;
use crate::error::{AppError, FieldErrors, Result};
use crate::outbox::EventType;

/// A picture a story shows, as the publish rule sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShownPicture {
    pub id: Uuid,
    /// The featured picture (else a picture the body places).
    pub featured: bool,
    /// It has alt text: the Markdown's, or else the picture's own.
    pub described: bool,
}

/// What publishing needs: a headline, a body, a section, at least one author, and alt text
/// for every picture the story shows (readers who cannot see a picture are told what it
/// shows).
pub fn check_publishable(a: &Article, pictures: &[ShownPicture]) -> Result<()> {
    let mut errors = FieldErrors::new();
    if a.content.headline.as_str().trim().is_empty() {
        errors.insert("headline".into(), vec!["is required to publish".into()]);
    }
    if a.content.body.trim().is_empty() {
        errors.insert("body".into(), vec!["is required to publish".into()]);
    }
    if a.content.section_id.is_none() {
        errors.insert("section_id".into(), vec!["is required to publish".into()]);
    }
    if a.content.author_ids.is_empty() {
        errors.insert(
            "author_ids".into(),
            vec!["needs at least one author to publish".into()],
        );
    }
    for p in pictures.iter().filter(|p| !p.described) {
        let (field, message) = if p.featured {
            (
                "featured_media_id",
                format!(
                    "the featured picture {} needs alt text to publish: add it to the picture",
                    p.id
                ),
            )
        } else {
            (
                "body",
                format!("the picture `media:{}` needs alt text to publish: write it in `![…](media:{})` or add it to the picture", p.id, p.id),
            )
        };
        let messages = errors.entry(field.into()).or_default();
        if !messages.contains(&message) {
            messages.push(message);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Whom to tell about a change once it commits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    Nobody,
    /// Every entitled partner.
    Partners(EventType),
    /// Only if partners were ever told the story was published (the caller checks the
    /// outbox): a take-down of a story they never saw says nothing.
    PartnersWhoKnow(EventType),
}

/// An edit (a PATCH or a restore) to save: the article with its new version, and whom to
/// tell.
pub struct Edit {
    pub after: Article,
    pub notice: Notice,
}

/// Decides an edit of `before` into `after` (the requested fields applied), with an optional
/// public correction note: the refusals (422) come first, in the order clients see them.
/// `None`: nothing changed, so no new version, no revision and no event for partners.
pub fn edit(
    before: &Article,
    mut after: Article,
    correction_note: Option<&str>,
    pictures: &[ShownPicture],
    now: DateTime<Utc>,
) -> Result<Option<Edit>> {
    let visible_before = publicly_visible(before.status, before.content.embargo_until, now);
    if correction_note.is_some() && before.status != Status::Published {
        return Err(AppError::field(
            "correction_note",
            "only a published story takes a correction note",
        ));
    }
    if after.snapshot() == before.snapshot() && correction_note.is_none() {
        return Ok(None);
    }
    if visible_before && after.content.embargo_until.is_some_and(|t| t > now) {
        return Err(AppError::field(
            "embargo_until",
            "the story is already public; unpublish it before embargoing it",
        ));
    }
    if after.content.embargo_until != before.content.embargo_until && !visible_before {
        after.embargo_released_at = None;
    }
    if matches!(after.status, Status::Scheduled | Status::Published) {
        check_publishable(&after, pictures)?;
    }
    after.version = before.version + 1;
    after.updated_at = now;
    let notice = if visible_before {
        // An edit of a published story is a correction: it moves published_at too.
        after.published_at = Some(now);
        Notice::Partners(EventType::Updated)
    } else if publicly_visible(after.status, after.content.embargo_until, now) {
        // The embargo was lifted (or cleared) by this edit: the story goes public now.
        after.embargo_released_at = Some(now);
        Notice::Partners(EventType::Published)
    } else {
        Notice::Nobody
    };
    Ok(Some(Edit { after, notice }))
}

/// A transition applied: the article to save and whom to tell.
pub struct Moved<'n> {
    pub after: Article,
    /// The trimmed note, when one was given.
    pub note: Option<&'n str>,
    pub notice: Notice,
}

/// Applies an allowed transition to `before` (which shows `pictures`): checks what must come
/// with it (a note, a publishable story, a future `at`), then moves the state, the times and
/// the version.
pub fn apply<'n>(
    t: Transition,
    before: &Article,
    pictures: &[ShownPicture],
    note: Option<&'n str>,
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Moved<'n>> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if t.needs_note() && note.is_none() {
        return Err(AppError::field("note", "is required for this action"));
    }
    let mut after = before.clone();
    if t.needs_publishable() {
        check_publishable(&after, pictures)?;
    }
    match (t.schedule(), at) {
        (Schedule::Keep, _) => {}
        (Schedule::Clear, _) => after.scheduled_at = None,
        (Schedule::Set, Some(at)) if at > now => after.scheduled_at = Some(at),
        (Schedule::Set, Some(_)) => return Err(AppError::field("at", "must be in the future")),
        (Schedule::Set, None) => return Err(AppError::field("at", "is required to schedule")),
    }
    if t.publishes() {
        after.first_published_at.get_or_insert(now);
        after.published_at = Some(now);
    }
    after.status = t.to();
    after.version += 1;
    after.updated_at = now;
    let notice = match t.announce() {
        Announce::Nothing => Notice::Nobody,
        Announce::Publication
            if publicly_visible(after.status, after.content.embargo_until, now) =>
        {
            if after.content.embargo_until.is_some() {
                after.embargo_released_at = Some(now);
            }
            Notice::Partners(EventType::Published)
        }
        // Under embargo: announced when it lifts (see `release_embargo`).
        Announce::Publication => Notice::Nobody,
        Announce::TakeDown(event) => Notice::PartnersWhoKnow(event),
    };
    Ok(Moved {
        after,
        note,
        notice,
    })
}

/// An embargo that has passed on a published story: no new version, but the
/// `article.published` that makes partners fetch it, once.
pub fn release_embargo(article: &Article, now: DateTime<Utc>) -> (Article, Notice) {
    let mut after = article.clone();
    after.embargo_released_at = Some(now);
    (after, Notice::Partners(EventType::Published))
}
