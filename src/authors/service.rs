//! The rules of authors: admins manage every author; editors only authors of outlets they
//! belong to (and cannot move one to an outlet that is not theirs); writers only read.

use uuid::Uuid;

use super::store::{self, ListFilter};
use super::Author;
use crate::audit;
use crate::auth::CurrentUser;
use crate::domain::{Key, Page, Role, Slug};
use crate::error::{AppError, Result};
use crate::state::AppState;

pub struct NewAuthor {
    pub slug: Slug,
    pub name: String,
    pub bio: Option<String>,
    pub outlet_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
}

#[derive(Default)]
pub struct AuthorChanges {
    pub slug: Option<Slug>,
    pub name: Option<String>,
    pub bio: Option<Option<String>>,
    pub outlet_id: Option<Option<Uuid>>,
    pub user_id: Option<Option<Uuid>>,
}

/// Whether `by` may manage an author of `outlet` (none: an alliance-wide author).
pub fn may_manage(by: &CurrentUser, outlet: Option<Uuid>) -> bool {
    match outlet {
        _ if by.is_admin() => true,
        Some(outlet) => by.role == Role::Editor && by.belongs_to(outlet),
        None => false,
    }
}

/// Ok when `by` may manage some authors (editors, of their outlets; admins, all), else the
/// refusal.
pub fn may_manage_some(by: &CurrentUser) -> Result<()> {
    by.require(Role::Editor)
}

/// Ok when `by` may change or delete an author of `outlet`, else the refusal.
pub fn may_change(by: &CurrentUser, outlet: Option<Uuid>) -> Result<()> {
    may_manage_some(by)?;
    if may_manage(by, outlet) {
        Ok(())
    } else {
        Err(by.refusal(outlet))
    }
}

pub async fn list(
    state: &AppState,
    filter: &ListFilter,
    after: Option<String>,
    limit: i64,
) -> Result<Page<Author>> {
    let rows = store::list(&state.db, filter, after, limit).await?;
    Ok(Page::from_rows(rows, limit, |a| a.slug.clone()))
}

pub async fn get(state: &AppState, key: &Key) -> Result<Author> {
    store::get(&state.db, key).await?.ok_or(AppError::NotFound)
}

pub async fn create(state: &AppState, by: &CurrentUser, new: NewAuthor) -> Result<Author> {
    may_manage_some(by)?;
    if !may_manage(by, new.outlet_id) {
        return Err(match new.outlet_id {
            None => AppError::field(
                "outlet_id",
                "is required: editors create authors of their own outlets",
            ),
            outlet => by.refusal(outlet),
        });
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    check_references(&mut tx, new.outlet_id, new.user_id).await?;
    let author = Author {
        id: Uuid::now_v7(),
        slug: new.slug.to_string(),
        name: new.name,
        bio: new.bio,
        outlet_id: new.outlet_id,
        user_id: new.user_id,
        created_at: now,
        updated_at: now,
    };
    let saved = store::save(&mut *tx, &author).await?;
    audit::record_change(
        &mut *tx,
        &by.into(),
        "author.create",
        saved.id,
        None,
        Some(&saved),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

pub async fn update(
    state: &AppState,
    by: &CurrentUser,
    key: &Key,
    changes: AuthorChanges,
) -> Result<Author> {
    may_manage_some(by)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = store::get_for_update(&mut *tx, key)
        .await?
        .ok_or(AppError::NotFound)?;
    may_change(by, before.outlet_id)?;
    let mut after = before.clone();
    if let Some(outlet) = changes.outlet_id {
        if !may_manage(by, outlet) {
            return Err(AppError::field(
                "outlet_id",
                "must be an outlet you belong to",
            ));
        }
        after.outlet_id = outlet;
    }
    if let Some(user) = changes.user_id {
        after.user_id = user;
    }
    check_references(&mut tx, after.outlet_id, after.user_id).await?;
    if let Some(slug) = changes.slug {
        after.slug = slug.to_string();
    }
    if let Some(name) = changes.name {
        after.name = name;
    }
    if let Some(bio) = changes.bio {
        after.bio = bio;
    }
    after.updated_at = now;
    let saved = store::save(&mut *tx, &after).await?;
    audit::record_change(
        &mut *tx,
        &by.into(),
        "author.update",
        saved.id,
        Some(&before),
        Some(&saved),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

pub async fn delete(state: &AppState, by: &CurrentUser, key: &Key) -> Result<()> {
    may_manage_some(by)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = store::get_for_update(&mut *tx, key)
        .await?
        .ok_or(AppError::NotFound)?;
    may_change(by, before.outlet_id)?;
    store::delete(&mut *tx, before.id)
        .await
        .map_err(|e| match AppError::from(e) {
            AppError::Conflict { .. } => {
                AppError::conflict("the author is in use (articles name them)")
            }
            other => other,
        })?;
    audit::record_change(
        &mut *tx,
        &by.into(),
        "author.delete",
        before.id,
        Some(&before),
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn check_references(
    tx: &mut sqlx::PgTransaction<'_>,
    outlet: Option<Uuid>,
    user: Option<Uuid>,
) -> Result<()> {
    if let Some(outlet) = outlet {
        if !crate::db::all_exist(&mut **tx, crate::db::Table::Outlets, &[outlet]).await? {
            return Err(AppError::field(
                "outlet_id",
                "names an outlet that does not exist",
            ));
        }
    }
    if let Some(user) = user {
        if !crate::db::all_exist(&mut **tx, crate::db::Table::Users, &[user]).await? {
            return Err(AppError::field(
                "user_id",
                "names a user that does not exist",
            ));
        }
    }
    Ok(())
}
