//! Reading, creating, editing and deleting articles: each function reads what it needs, asks
//! the rule book (`rules/`) and writes what it answers in one transaction, with the revision,
//! the audit entry and the outbox event of every saved change. Workflow actions are in
//! `actions.rs`, history in `revisions.rs`.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgTransaction;
use uuid::Uuid;

use super::model::{Article, ArticleSummary, ArticleView};
use super::references::{check_references, free_slug};
use super::render;
use super::rules::{self, Edit, Notice, Status};
use super::search::{self, After, ListRequest, Sort};
use super::store::{self, NewRevision};
use crate::audit::{self, Actor};
use crate::auth::CurrentUser;
use crate::domain::{Page, Slug};
use crate::error::{AppError, Result};
use crate::outbox;
use crate::state::AppState;

/// A new article, parsed.
pub struct NewArticle {
    pub outlet_id: Uuid,
    pub slug: Option<String>,
    pub headline: String,
    pub standfirst: Option<String>,
    pub body: String,
    pub section_id: Option<Uuid>,
    pub author_ids: Vec<Uuid>,
    pub tags: Vec<String>,
    pub language: Option<String>,
    pub canonical_url: Option<String>,
    pub translation_of: Option<Uuid>,
    pub origin_outlet_id: Option<Uuid>,
    pub origin_url: Option<String>,
    pub embargo_until: Option<DateTime<Utc>>,
}

/// A PATCH, parsed: `None` leaves a field alone, `Some(None)` clears it.
#[derive(Default)]
pub struct ArticleChanges {
    pub slug: Option<String>,
    pub headline: Option<String>,
    pub standfirst: Option<Option<String>>,
    pub body: Option<String>,
    pub section_id: Option<Option<Uuid>>,
    pub author_ids: Option<Vec<Uuid>>,
    pub tags: Option<Vec<String>>,
    pub language: Option<String>,
    pub canonical_url: Option<Option<String>>,
    pub translation_of: Option<Option<Uuid>>,
    pub origin_outlet_id: Option<Option<Uuid>>,
    pub origin_url: Option<Option<String>>,
    pub embargo_until: Option<Option<DateTime<Utc>>>,
    /// A public note, for a change to a published story.
    pub correction_note: Option<String>,
}

pub fn apply(a: &mut Article, c: ArticleChanges) {
    if let Some(headline) = c.headline {
        a.headline = headline;
    }
    if let Some(slug) = c.slug {
        a.slug = slug;
    }
    if let Some(v) = c.standfirst {
        a.standfirst = v;
    }
    if let Some(v) = c.body {
        a.body = v;
    }
    if let Some(v) = c.section_id {
        a.section_id = v;
    }
    if let Some(v) = c.author_ids {
        a.author_ids = v;
    }
    if let Some(v) = c.tags {
        a.tags = v;
    }
    if let Some(v) = c.language {
        a.language = v;
    }
    if let Some(v) = c.canonical_url {
        a.canonical_url = v;
    }
    if let Some(v) = c.translation_of {
        a.translation_of = v;
    }
    if let Some(v) = c.origin_outlet_id {
        a.origin_outlet_id = v;
    }
    if let Some(v) = c.origin_url {
        a.origin_url = v;
    }
    if let Some(v) = c.embargo_until {
        a.embargo_until = v;
    }
}

/// The article as `by` sees it, with what they may do to it.
pub async fn view(
    db: impl sqlx::PgExecutor<'_>,
    by: &CurrentUser,
    article: Article,
) -> Result<ArticleView> {
    let corrections = store::corrections(db, article.id).await?;
    let allowed_actions = rules::allowed_actions(article.status, rules::actor_on(by, &article));
    let editable = rules::can_edit(by, &article);
    Ok(ArticleView {
        article,
        corrections,
        allowed_actions,
        editable,
    })
}

/// Reads an article the caller may see; others answer 404.
pub async fn visible(db: impl sqlx::PgExecutor<'_>, by: &CurrentUser, id: Uuid) -> Result<Article> {
    match store::get(db, id).await? {
        Some(a) if rules::can_see(by, &a) => Ok(a),
        _ => Err(AppError::NotFound),
    }
}

pub async fn get(state: &AppState, by: &CurrentUser, id: Uuid) -> Result<ArticleView> {
    let article = visible(&state.db, by, id).await?;
    view(&state.db, by, article).await
}

/// A page of the articles `by` may see (their outlets' and every published one), filtered,
/// searched and sorted as asked, each with the actions `by` may take on it.
pub async fn list(
    state: &AppState,
    by: &CurrentUser,
    request: ListRequest,
) -> Result<Page<ArticleSummary>> {
    let ListRequest {
        mut filter,
        after,
        limit,
    } = request;
    filter.visible_outlets = rules::listable_outlets(by);
    let mut rows = search::list(&state.db, &filter, after, limit, state.clock.now()).await?;
    for row in &mut rows {
        let actor = rules::actor(by, row.outlet_id, row.created_by);
        row.allowed_actions = rules::allowed_actions(row.status, actor);
    }
    let sort = filter.sort;
    Ok(Page::from_rows(rows, limit, |r| match sort {
        Sort::UpdatedAt => After::Time(r.updated_at, r.id),
        Sort::PublishedAt => After::Time(r.published_at.unwrap_or(r.updated_at), r.id),
        Sort::Rank => After::Rank(r.rank.unwrap_or(0.0), r.id),
    }))
}

/// Creates a draft in an outlet `by` belongs to: the slug derived from the headline when not
/// given (with a `-2`… suffix when taken), the outlet's language when none is given.
pub async fn create(
    tx: &mut PgTransaction<'_>,
    by: &CurrentUser,
    new: NewArticle,
    now: DateTime<Utc>,
) -> Result<ArticleView> {
    rules::check_create_in(by, new.outlet_id)?;
    let outlet_language = store::outlet_language(&mut **tx, new.outlet_id)
        .await?
        .ok_or_else(|| AppError::field("outlet_id", "names an outlet that does not exist"))?;
    let slug = match new.slug {
        Some(slug) => slug,
        None => {
            free_slug(
                tx,
                new.outlet_id,
                Slug::from_headline(&new.headline)?.as_str(),
            )
            .await?
        }
    };
    let article = Article {
        id: Uuid::now_v7(),
        outlet_id: new.outlet_id,
        slug,
        body_html: render::body_html(&new.body),
        headline: new.headline,
        standfirst: new.standfirst,
        body: new.body,
        section_id: new.section_id,
        author_ids: new.author_ids,
        tags: new.tags,
        language: new.language.unwrap_or(outlet_language),
        status: Status::NEW,
        version: 1,
        canonical_url: new.canonical_url,
        translation_of: new.translation_of,
        origin_outlet_id: new.origin_outlet_id,
        origin_url: new.origin_url,
        created_by: Some(by.id),
        created_at: now,
        updated_at: now,
        first_published_at: None,
        published_at: None,
        scheduled_at: None,
        embargo_until: new.embargo_until,
        embargo_released_at: None,
    };
    check_references(tx, by, None, &article).await?;
    store::save(&mut **tx, &article).await?;
    store::set_authors(&mut **tx, article.id, &article.author_ids).await?;
    record(tx, &by.into(), None, &article, "create", None, now).await?;
    view(&mut **tx, by, article).await
}

/// Changes an article based on version `expected` (the `If-Match` the client read): the edit
/// rules, then a new version, or nothing at all when nothing changed.
pub async fn update(
    tx: &mut PgTransaction<'_>,
    by: &CurrentUser,
    id: Uuid,
    expected: i32,
    changes: ArticleChanges,
    now: DateTime<Utc>,
) -> Result<ArticleView> {
    let before = lock(tx, by, id, expected).await?;
    rules::check_edit(by, &before)?;
    let mut after = before.clone();
    let note = changes.correction_note.clone();
    apply(&mut after, changes);
    save_edit(tx, by, &before, after, note.as_deref(), "edit", now).await?;
    let saved = store::get(&mut **tx, id).await?.ok_or(AppError::NotFound)?;
    view(&mut **tx, by, saved).await
}

/// Deletes a never-published draft (version `expected`) with its byline, corrections and
/// revisions; the audit entry keeps its last snapshot.
pub async fn delete(
    tx: &mut PgTransaction<'_>,
    by: &CurrentUser,
    id: Uuid,
    expected: i32,
    now: DateTime<Utc>,
) -> Result<()> {
    let before = lock(tx, by, id, expected).await?;
    rules::check_delete(by, &before)?;
    store::delete(&mut **tx, id).await?;
    audit::record_change(
        &mut **tx,
        &by.into(),
        "article.delete",
        id,
        Some(&before.snapshot()),
        None,
        now,
    )
    .await?;
    Ok(())
}

/// Locks an article the caller may see and checks the version they read (`If-Match`).
pub async fn lock(
    tx: &mut PgTransaction<'_>,
    by: &CurrentUser,
    id: Uuid,
    expected: i32,
) -> Result<Article> {
    let article = match store::get_for_update(&mut **tx, id).await? {
        Some(a) if rules::can_see(by, &a) => a,
        _ => return Err(AppError::NotFound),
    };
    if article.version != expected {
        return Err(AppError::PreconditionFailed);
    }
    Ok(article)
}

/// Saves an edit the rule book allows (`rules::edit`): re-renders the body, checks the
/// references, then writes the article, its byline, a correction note, the outbox event, the
/// revision and the audit entry. An edit that changes nothing writes nothing.
pub async fn save_edit(
    tx: &mut PgTransaction<'_>,
    by: &CurrentUser,
    before: &Article,
    after: Article,
    correction_note: Option<&str>,
    action: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(Edit { mut after, notice }) = rules::edit(before, after, correction_note, now)? else {
        return Ok(());
    };
    if after.body != before.body {
        after.body_html = render::body_html(&after.body);
    }
    check_references(tx, by, Some(before), &after).await?;
    announce(tx, &after, notice, now).await?;
    if let Some(note) = correction_note {
        store::insert_correction(&mut **tx, after.id, note, Some(by.id), now).await?;
    }
    store::save(&mut **tx, &after).await?;
    if after.author_ids != before.author_ids {
        store::set_authors(&mut **tx, after.id, &after.author_ids).await?;
    }
    record(tx, &by.into(), Some(before), &after, action, None, now).await
}

/// Writes the outbox event the rule book asked for (a take-down only if partners were told
/// the story was published).
pub(super) async fn announce(
    tx: &mut PgTransaction<'_>,
    after: &Article,
    notice: Notice,
    now: DateTime<Utc>,
) -> Result<()> {
    let event = match notice {
        Notice::Nobody => None,
        Notice::Partners(event) => Some(event),
        Notice::PartnersWhoKnow(event) => store::was_announced(&mut **tx, after.id)
            .await?
            .then_some(event),
    };
    if let Some(event) = event {
        outbox::enqueue(&mut **tx, event, after.id, after.version, now).await?;
    }
    Ok(())
}

/// Writes the revision of `after` (with the action's note, if any) and its audit entry.
pub async fn record(
    tx: &mut PgTransaction<'_>,
    actor: &Actor,
    before: Option<&Article>,
    after: &Article,
    action: &str,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let snapshot = after.snapshot();
    let revision = NewRevision {
        article: after.id,
        number: after.version,
        snapshot: serde_json::to_value(&snapshot).map_err(anyhow::Error::from)?,
        actor,
        action,
        note,
        at: now,
    };
    store::insert_revision(&mut **tx, revision).await?;
    let before = before.map(Article::snapshot);
    let mut changes = audit::changes(before.as_ref(), Some(&snapshot));
    if let Some(map) = changes.as_object_mut() {
        // Bodies can be long: the audit log says that it changed; the revisions hold the text.
        if map.contains_key("body") {
            map.insert("body".into(), json!({"changed": true}));
        }
        map.insert("version".into(), json!(after.version));
        if let Some(note) = note {
            map.insert("note".into(), json!(note));
        }
    }
    let entry = audit::Entry {
        actor,
        action: &format!("article.{action}"),
        entity_type: "article",
        entity_id: Some(after.id),
        changes,
    };
    audit::record(&mut **tx, entry, now).await?;
    Ok(())
}
