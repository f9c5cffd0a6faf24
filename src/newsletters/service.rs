//! The rules of newsletters: admins create, change and delete them; staff read them; a
//! newsletter with subscriptions cannot be deleted (409).

use uuid::Uuid;

use super::store;
use super::Newsletter;
use crate::audit;
use crate::auth::CurrentUser;
use crate::domain::{Key, Page, Role, Slug};
use crate::error::{AppError, Result};
use crate::state::AppState;

pub struct NewNewsletter {
    pub slug: Slug,
    pub name: String,
    pub description: Option<String>,
}

#[derive(Default)]
pub struct NewsletterChanges {
    pub slug: Option<Slug>,
    pub name: Option<String>,
    pub description: Option<Option<String>>,
}

/// Whether `by` may create and change newsletters: admins.
pub fn may_manage(by: &CurrentUser) -> bool {
    by.require(Role::Admin).is_ok()
}

pub async fn list(
    state: &AppState,
    q: Option<&str>,
    after: Option<String>,
    limit: i64,
) -> Result<Page<Newsletter>> {
    let rows = store::list(&state.db, q, after, limit).await?;
    Ok(Page::from_rows(rows, limit, |n| n.slug.clone()))
}

pub async fn get(state: &AppState, key: &Key) -> Result<Newsletter> {
    store::get(&state.db, key).await?.ok_or(AppError::NotFound)
}

pub async fn create(state: &AppState, by: &CurrentUser, new: NewNewsletter) -> Result<Newsletter> {
    by.require(Role::Admin)?;
    let now = state.clock.now();
    let newsletter = Newsletter {
        id: Uuid::now_v7(),
        slug: new.slug.to_string(),
        name: new.name,
        description: new.description,
        created_at: now,
        updated_at: now,
    };
    let mut tx = state.db.begin().await?;
    store::insert(&mut *tx, &newsletter).await?;
    let id = newsletter.id;
    audit::record_change(
        &mut *tx,
        &by.into(),
        "newsletter.create",
        id,
        None,
        Some(&newsletter),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(newsletter)
}

pub async fn update(
    state: &AppState,
    by: &CurrentUser,
    key: &Key,
    changes: NewsletterChanges,
) -> Result<Newsletter> {
    by.require(Role::Admin)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = store::get_for_update(&mut *tx, key)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut after = before.clone();
    if let Some(slug) = changes.slug {
        after.slug = slug.to_string();
    }
    if let Some(name) = changes.name {
        after.name = name;
    }
    if let Some(description) = changes.description {
        after.description = description;
    }
    after.updated_at = now;
    store::update(&mut *tx, &after).await?;
    audit::record_change(
        &mut *tx,
        &by.into(),
        "newsletter.update",
        after.id,
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn delete(state: &AppState, by: &CurrentUser, key: &Key) -> Result<()> {
    by.require(Role::Admin)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = store::get_for_update(&mut *tx, key)
        .await?
        .ok_or(AppError::NotFound)?;
    store::delete(&mut *tx, before.id).await?;
    audit::record_change(
        &mut *tx,
        &by.into(),
        "newsletter.delete",
        before.id,
        Some(&before),
        None::<&Newsletter>,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
