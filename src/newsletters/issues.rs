//! Newsletter issues. Editors and admins compose one (subject, intro, published stories in
//! order), preview it, and send it. Sending queues one email per confirmed subscriber whose
//! address is not suppressed, in batches, each batch one transaction that records the
//! recipient (`issue_recipients`, unique per issue × subscriber) and queues the email (its
//! dedupe key is `issue:<issue>:<subscriber>`). Calling send again, or the server dying
//! mid-way, therefore never mails anyone twice: the jobs loop finishes issues left
//! half-queued. An issue is `sending` until its last email is out, then `sent`. The emails
//! go at most once (`Delivery::AtMostOnce`): one whose sending a crash
//! interrupted is counted in the progress as `interrupted`, not sent again. Each email carries the subscriber's own unsubscribe link, in the footer and
//! in the RFC 8058 `List-Unsubscribe` / `List-Unsubscribe-Post` headers.

use serde_json::json;
use uuid::Uuid;

use super::issue_model::{Draft, Issue, IssueStatus, IssueView, Preview, Progress};
use super::issues_store as store;
use super::Newsletter;
use crate::articles::publicly_visible;
use crate::auth::CurrentUser;
use crate::domain::{Key, Role};
use crate::email::{self, Message};
use crate::error::{AppError, Result};
use crate::media;
use crate::public::urls::story_url;
use crate::state::AppState;
use crate::subscriptions::service::unsubscribe_url;

/// Subscribers queued per transaction while sending.
const SEND_BATCH: i64 = 500;
/// Stories in one issue.
const MAX_STORIES: usize = 30;

/// Whether `by` may compose, preview and send issues: editors and admins.
pub fn may_compose(by: &CurrentUser) -> bool {
    by.role != Role::Writer
}

pub(super) fn require_editor(by: &CurrentUser) -> Result<()> {
    if !may_compose(by) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

pub(super) async fn newsletter(state: &AppState, key: &str) -> Result<Newsletter> {
    super::store::get(&state.db, &Key::parse(key))
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn create(
    state: &AppState,
    by: &CurrentUser,
    key: &str,
    draft: Draft,
) -> Result<IssueView> {
    require_editor(by)?;
    let newsletter = newsletter(state, key).await?;
    let now = state.clock.now();
    check_stories(state, &draft.article_ids).await?;
    let mut tx = state.db.begin().await?;
    super::store::get_for_update(&mut *tx, &Key::Id(newsletter.id)).await?;
    let issue = Issue {
        id: Uuid::now_v7(),
        newsletter_id: newsletter.id,
        number: store::next_number(&mut *tx, newsletter.id).await?,
        subject: draft.subject,
        intro: draft.intro,
        article_ids: draft.article_ids,
        status: IssueStatus::Draft,
        created_at: now,
        updated_at: now,
        send_started_at: None,
        queued_at: None,
        sent_at: None,
    };
    store::insert(&mut *tx, &issue, by.id).await?;
    tx.commit().await?;
    Ok(IssueView {
        issue,
        progress: Progress::default(),
    })
}

/// The rule of an issue's stories: 1 to `MAX_STORIES`, each once, each published and public
/// now (not under embargo).
pub(super) async fn check_stories(state: &AppState, ids: &[Uuid]) -> Result<()> {
    if ids.is_empty() || ids.len() > MAX_STORIES {
        return Err(AppError::field(
            "article_ids",
            format!("must list 1 to {MAX_STORIES} stories"),
        ));
    }
    let now = state.clock.now();
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    let stories = store::stories(&state.db, &unique).await?;
    if unique.len() != ids.len()
        || stories.len() != unique.len()
        || !stories
            .iter()
            .all(|s| publicly_visible(s.status, s.embargo_until, now))
    {
        return Err(AppError::field(
            "article_ids",
            "must list published, public stories, each once",
        ));
    }
    Ok(())
}

pub async fn get(state: &AppState, by: &CurrentUser, key: &str, number: i32) -> Result<IssueView> {
    require_editor(by)?;
    let newsletter = newsletter(state, key).await?;
    let issue = store::get(&state.db, newsletter.id, number, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let progress = store::progress(&state.db, issue.id).await?;
    Ok(IssueView { issue, progress })
}

/// An issue being sent, as the dashboard shows it: its newsletter and its tallies.
#[derive(Debug, serde::Serialize)]
pub struct Sending {
    pub newsletter_slug: String,
    pub newsletter_name: String,
    pub issue: Issue,
    pub progress: Progress,
}

/// Issues being sent now, with how far each has got. Editors and admins, like every issue.
pub async fn sending(state: &AppState, by: &CurrentUser, limit: i64) -> Result<Vec<Sending>> {
    require_editor(by)?;
    let mut out = Vec::new();
    for (issue, newsletter_slug, newsletter_name) in store::sending(&state.db, limit).await? {
        let progress = store::progress(&state.db, issue.id).await?;
        out.push(Sending {
            newsletter_slug,
            newsletter_name,
            issue,
            progress,
        });
    }
    Ok(out)
}

/// The issue's stories as the templates show them: in the issue's order, without any taken
/// down since it was composed, each with its featured picture (see `media::email_picture`).
async fn articles(state: &AppState, issue: &Issue) -> Result<Vec<serde_json::Value>> {
    let now = state.clock.now();
    let stories = store::stories(&state.db, &issue.article_ids).await?;
    let featured: Vec<Uuid> = stories.iter().filter_map(|s| s.featured_media_id).collect();
    let pictures = if featured.is_empty() {
        Vec::new()
    } else {
        media::service::resolve(&state.db, &featured).await?
    };
    let picture = |id: Option<Uuid>| {
        let p = pictures.iter().find(|p| Some(p.id) == id)?;
        media::service::email_picture(p, &state.config.public_url)
    };
    Ok(issue
        .article_ids
        .iter()
        .filter_map(|id| stories.iter().find(|s| s.id == *id))
        .filter(|s| publicly_visible(s.status, s.embargo_until, now))
        .map(|s| {
            json!({
                "headline": s.headline,
                "standfirst": s.standfirst,
                "url": story_url(&state.config.public_base_url, &s.outlet_slug, &s.slug, s.canonical_url.as_deref()),
                "picture": picture(s.featured_media_id),
            })
        })
        .collect())
}

/// Renders the issue; `unsubscribe` is the reader's link, or `None` on the web and in
/// previews.
fn render(
    newsletter: &Newsletter,
    issue: &Issue,
    articles: &[serde_json::Value],
    unsubscribe: Option<&str>,
) -> Result<(String, String)> {
    let ctx = json!({
        "newsletter_name": newsletter.name,
        "subject": issue.subject,
        "intro": issue.intro,
        "articles": articles,
        "unsubscribe_url": unsubscribe.unwrap_or_default(),
    });
    Ok(email::templates::render("issue", ctx)?)
}

pub async fn preview(
    state: &AppState,
    by: &CurrentUser,
    key: &str,
    number: i32,
) -> Result<Preview> {
    require_editor(by)?;
    let newsletter = newsletter(state, key).await?;
    let issue = store::get(&state.db, newsletter.id, number, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let articles = articles(state, &issue).await?;
    let (text, html) = render(
        &newsletter,
        &issue,
        &articles,
        Some("https://example.invalid/unsubscribe"),
    )?;
    Ok(Preview {
        subject: issue.subject,
        text,
        html,
    })
}

/// Starts (or resumes) sending, and queues every recipient before answering.
pub async fn send(state: &AppState, by: &CurrentUser, key: &str, number: i32) -> Result<IssueView> {
    require_editor(by)?;
    let newsletter = newsletter(state, key).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let issue = store::get(&mut *tx, newsletter.id, number, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if issue.status == IssueStatus::Draft {
        store::start_sending(&mut *tx, issue.id, now).await?;
    }
    tx.commit().await?;
    fill(state, &newsletter, number, true).await?;
    // An issue with nobody to mail is sent at once.
    store::finish_sent(&state.db, state.clock.now()).await?;
    get(state, by, key, number).await
}

/// Queues the issue for every subscriber not queued yet, then records that it is queued once
/// nobody is left, including those another sender was still queueing (`wait`: see
/// `next_recipients`). It stays `sending` until its emails are out (`finish_sent`).
async fn fill(state: &AppState, newsletter: &Newsletter, number: i32, wait: bool) -> Result<()> {
    let Some(issue) = store::get(&state.db, newsletter.id, number, false).await? else {
        return Ok(());
    };
    if issue.queued_at.is_some() {
        return Ok(());
    }
    let mut after = Uuid::nil();
    loop {
        let now = state.clock.now();
        let mut tx = state.db.begin().await?;
        let batch =
            store::next_recipients(&mut *tx, issue.id, newsletter.id, SEND_BATCH, after, wait)
                .await?;
        let Some(last) = batch.last() else {
            break;
        };
        after = last.subscriber_id;
        // Once per batch, not per recipient: a story taken down meanwhile drops out of the
        // emails still to come.
        let articles = articles(state, &issue).await?;
        for recipient in batch {
            if !store::add_recipient(&mut *tx, issue.id, recipient.subscriber_id, now).await? {
                continue;
            }
            let url =
                unsubscribe_url(&mut tx, state, recipient.subscriber_id, newsletter.id).await?;
            let (text, html) = render(newsletter, &issue, &articles, Some(&url))?;
            let message = Message {
                kind: "newsletter",
                to: recipient.email,
                subject: issue.subject.clone(),
                text,
                html,
                headers: vec![
                    ("List-Unsubscribe".into(), format!("<{url}>")),
                    (
                        "List-Unsubscribe-Post".into(),
                        "List-Unsubscribe=One-Click".into(),
                    ),
                ],
                dedupe_key: Some(format!("issue:{}:{}", issue.id, recipient.subscriber_id)),
                delivery: email::Delivery::AtMostOnce,
            };
            email::enqueue(&mut *tx, &message, now).await?;
        }
        tx.commit().await?;
    }
    if store::remaining(&state.db, issue.id, newsletter.id).await? == 0 {
        store::mark_queued(&state.db, issue.id, state.clock.now()).await?;
    }
    Ok(())
}

/// The jobs loop's pass over issues that are `sending`: finishes the queueing of those a
/// server left half-queued (answers how many), then marks `sent` those whose last email is
/// out.
pub async fn resume_sending(state: &AppState) -> Result<usize> {
    let pending = store::queueing(&state.db).await?;
    for (newsletter_id, number) in &pending {
        let Some(newsletter) = super::store::get(&state.db, &Key::Id(*newsletter_id)).await? else {
            continue;
        };
        fill(state, &newsletter, *number, false).await?;
    }
    store::finish_sent(&state.db, state.clock.now()).await?;
    Ok(pending.len())
}

/// The newest issue that went out (or is going out) as a web page ("View today's
/// newsletter"), without anyone's unsubscribe link.
pub async fn latest_html(state: &AppState, key: &str) -> Result<String> {
    let newsletter = newsletter(state, key).await?;
    let issue = store::latest_sent(&state.db, newsletter.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let articles = articles(state, &issue).await?;
    Ok(render(&newsletter, &issue, &articles, None)?.1)
}
