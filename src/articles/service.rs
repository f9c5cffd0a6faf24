//! Reading, creating, editing and deleting articles: each function reads what it needs, asks
//! the rule book (`rules/`) and writes what it answers in one transaction, with the revision,
//! the audit entry and the outbox event of every saved change. Workflow actions are in
//! `actions.rs`, history in `revisions.rs`.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgTransaction;
use uuid::Uuid;

use super::content::{ArticleChanges, ArticleContent, Headline};
use super::model::{Article, ArticleSummary, ArticleView};
use super::pictures;
use super::references::{check_references, free_slug};
use super::render;
use super::rules::{self, Edit, Notice, Status};
use super::search::{self, After, ListRequest, Sort};
use super::store::{self, NewRevision};
use crate::audit::{self, Actor};
use crate::auth::CurrentUser;
use crate::domain::{Page, Slug};
use crate::error::{AppError, Result};
use crate::outbox::{self, EventType};
use crate::state::AppState;

/// A new article, parsed: its outlet, its headline, and the other fields given (`slug` and
/// `language` may be absent: derived from the headline, and the outlet's language).
pub struct NewArticle {
    pub outlet_id: Uuid,
    pub headline: Headline,
    pub fields: ArticleChanges,
}

/// The article as `by` sees it, with what they may do to it.
pub(super) async fn view(
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
pub(super) async fn visible(
    db: impl sqlx::PgExecutor<'_>,
    by: &CurrentUser,
    id: Uuid,
) -> Result<Article> {
    match store::get(db, id).await? {
        Some(a) if rules::can_see(by, &a) => Ok(a),
        _ => Err(AppError::NotFound),
    }
}

pub async fn get(state: &AppState, by: &CurrentUser, id: Uuid) -> Result<ArticleView> {
    let article = visible(&state.db, by, id).await?;
    view(&state.db, by, article).await
}

/// `markdown` rendered as the story `id` (one `by` may see) would show it: the desk's
/// preview, with the story's outlet's pictures.
pub async fn preview(
    state: &AppState,
    by: &CurrentUser,
    id: Uuid,
    markdown: &str,
) -> Result<String> {
    let article = visible(&state.db, by, id).await?;
    pictures::render_in(&state.db, article.outlet_id, markdown).await
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

/// How many of the articles `by` may see are in each status, under the list's filters but its
/// status filter (the counts beside the list's status links), every status in
/// [`Status::ALL`]'s order; a count above [`search::COUNT_CAP`] is `COUNT_CAP + 1` ("more").
/// The same permission filter as [`list`]: the rule book's `listable_outlets`. None with a
/// search (`q`): counting a common word's matches reads every one of them (5.4 s for
/// "flood" at 100,000 stories).
pub async fn count_by_status(
    state: &AppState,
    by: &CurrentUser,
    request: ListRequest,
) -> Result<Option<Vec<(Status, i64)>>> {
    let mut filter = request.filter;
    if filter.q.is_some() {
        return Ok(None);
    }
    filter.visible_outlets = rules::listable_outlets(by);
    filter.status = None;
    Ok(Some(search::count_by_status(&state.db, &filter).await?))
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
    let NewArticle {
        outlet_id,
        headline,
        mut fields,
    } = new;
    let slug = match fields.slug.take() {
        Some(slug) => slug,
        None => free_slug(tx, outlet_id, &Slug::from_headline(headline.as_str())?).await?,
    };
    let language = fields.language.take().unwrap_or(outlet_language);
    let mut content = ArticleContent::new(slug, headline, language);
    content.apply(fields);
    let mut article = Article {
        id: Uuid::now_v7(),
        outlet_id,
        body_html: String::new(),
        content,
        status: Status::NEW,
        version: 1,
        created_by: Some(by.id),
        created_at: now,
        updated_at: now,
        first_published_at: None,
        published_at: None,
        scheduled_at: None,
        embargo_released_at: None,
    };
    check_references(tx, by, None, &article).await?;
    let shown = pictures::resolve(tx, &article).await?;
    article.body_html = render::body_html(&article.content.body, &shown.pictures);
    store::save(&mut **tx, &article).await?;
    store::set_authors(&mut **tx, article.id, &article.content.author_ids).await?;
    pictures::record_uses(&mut **tx, article.id, &shown).await?;
    record(tx, &by.into(), None, &article, "create", None, now).await?;
    view(&mut **tx, by, article).await
}

/// Writes a story as it stands, in any state, at version 1 (the demo seed of `newsroom serve
/// --demo`): its `create` revision and audit entry by `actor`, and the feed events its
/// history implies.
pub async fn import(
    tx: &mut PgTransaction<'_>,
    actor: &Actor,
    article: &Article,
    at: DateTime<Utc>,
) -> Result<()> {
    let shown = pictures::resolve(tx, article).await?;
    store::save(&mut **tx, article).await?;
    store::set_authors(&mut **tx, article.id, &article.content.author_ids).await?;
    pictures::record_uses(&mut **tx, article.id, &shown).await?;
    record(tx, actor, None, article, "create", None, at).await?;
    // The feed events of the story's history: its publication (unless still embargoed), then
    // its withdrawal or kill, so partners see the tombstone as they would have live.
    let embargoed = article
        .content
        .embargo_until
        .is_some_and(|until| until > at);
    if let (Some(first), false) = (article.first_published_at, embargoed) {
        outbox::enqueue(
            &mut **tx,
            EventType::Published,
            article.id,
            article.version,
            first,
        )
        .await?;
    }
    let taken_down = match article.status {
        Status::Unpublished => Some(EventType::Withdrawn),
        Status::Killed => Some(EventType::Killed),
        _ => None,
    };
    if let Some(event) = taken_down {
        outbox::enqueue(
            &mut **tx,
            event,
            article.id,
            article.version,
            article.updated_at,
        )
        .await?;
    }
    Ok(())
}

/// Changes an article based on version `expected` (the `If-Match` the client read): the edit
/// rules, then a new version, or nothing at all when nothing changed.
pub async fn update(
    tx: &mut PgTransaction<'_>,
    by: &CurrentUser,
    id: Uuid,
    expected: i32,
    mut changes: ArticleChanges,
    now: DateTime<Utc>,
) -> Result<ArticleView> {
    let before = lock(tx, by, id, expected).await?;
    rules::check_edit(by, &before)?;
    let mut after = before.clone();
    let note = changes.correction_note.take();
    after.content.apply(changes);
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
pub(super) async fn lock(
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

/// Saves an edit the rule book allows (`rules::edit`): resolves its pictures, re-renders the
/// body (a picture's alt text may have changed since), checks the references, then writes the
/// article, its byline, the pictures it uses, a correction note, the outbox event, the
/// revision and the audit entry. An edit that changes nothing writes nothing.
pub(super) async fn save_edit(
    tx: &mut PgTransaction<'_>,
    by: &CurrentUser,
    before: &Article,
    after: Article,
    correction_note: Option<&str>,
    action: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let shown = pictures::resolve(tx, &after).await?;
    let Some(Edit { mut after, notice }) =
        rules::edit(before, after, correction_note, &shown.for_rules(), now)?
    else {
        return Ok(());
    };
    after.body_html = render::body_html(&after.content.body, &shown.pictures);
    check_references(tx, by, Some(before), &after).await?;
    announce(tx, &after, notice, now).await?;
    if let Some(note) = correction_note {
        store::insert_correction(&mut **tx, after.id, note, Some(by.id), now).await?;
    }
    store::save(&mut **tx, &after).await?;
    if after.content.author_ids != before.content.author_ids {
        store::set_authors(&mut **tx, after.id, &after.content.author_ids).await?;
    }
    pictures::record_uses(&mut **tx, after.id, &shown).await?;
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
pub(super) async fn record(
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
