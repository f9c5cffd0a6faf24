//! The rules of sections: admins manage them; a parent must exist and may not be the section
//! itself or one of its descendants; a section with children (or articles) cannot be deleted.

use uuid::Uuid;

use super::store::{self, ListFilter};
use super::Section;
use crate::audit;
use crate::auth::CurrentUser;
use crate::domain::{Key, Page, Role, Slug};
use crate::error::{AppError, Result};
use crate::state::AppState;

pub struct NewSection {
    pub slug: Slug,
    pub name: String,
    pub description: Option<String>,
    pub parent_id: Option<Uuid>,
}

#[derive(Default)]
pub struct SectionChanges {
    pub slug: Option<Slug>,
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub parent_id: Option<Option<Uuid>>,
}

/// Ok when `by` may create, change, move and delete sections (admins), else the refusal.
pub fn may_change(by: &CurrentUser) -> Result<()> {
    by.require(Role::Admin)
}

pub async fn list(
    state: &AppState,
    filter: &ListFilter,
    after: Option<String>,
    limit: i64,
) -> Result<Page<Section>> {
    let rows = store::list(&state.db, filter, after, limit).await?;
    Ok(Page::from_rows(rows, limit, |s| s.slug.clone()))
}

pub async fn get(state: &AppState, key: &Key) -> Result<Section> {
    store::get(&state.db, key).await?.ok_or(AppError::NotFound)
}

pub async fn create(state: &AppState, by: &CurrentUser, new: NewSection) -> Result<Section> {
    may_change(by)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if let Some(parent) = new.parent_id {
        if !crate::db::all_exist(&mut *tx, crate::db::Table::Sections, &[parent]).await? {
            return Err(AppError::field(
                "parent_id",
                "names a section that does not exist",
            ));
        }
    }
    let section = Section {
        id: Uuid::now_v7(),
        slug: new.slug.to_string(),
        name: new.name,
        description: new.description,
        parent_id: new.parent_id,
        created_at: now,
        updated_at: now,
    };
    let saved = store::save(&mut *tx, &section).await?;
    audit::record_change(
        &mut *tx,
        &by.into(),
        "section.create",
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
    changes: SectionChanges,
) -> Result<Section> {
    may_change(by)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = store::get_for_update(&mut *tx, key)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut after = before.clone();
    if let Some(Some(parent)) = changes.parent_id {
        if !crate::db::all_exist(&mut *tx, crate::db::Table::Sections, &[parent]).await? {
            return Err(AppError::field(
                "parent_id",
                "names a section that does not exist",
            ));
        }
        if store::is_self_or_descendant(&mut *tx, before.id, parent).await? {
            return Err(AppError::field(
                "parent_id",
                "would make the section its own ancestor",
            ));
        }
    }
    if let Some(parent) = changes.parent_id {
        after.parent_id = parent;
    }
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
    let saved = store::save(&mut *tx, &after).await?;
    audit::record_change(
        &mut *tx,
        &by.into(),
        "section.update",
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
    may_change(by)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = store::get_for_update(&mut *tx, key)
        .await?
        .ok_or(AppError::NotFound)?;
    store::delete(&mut *tx, before.id)
        .await
        .map_err(|e| match AppError::from(e) {
            AppError::Conflict { .. } => {
                AppError::conflict("the section is in use (sub-sections or articles refer to it)")
            }
            other => other,
        })?;
    audit::record_change(
        &mut *tx,
        &by.into(),
        "section.delete",
        before.id,
        Some(&before),
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
