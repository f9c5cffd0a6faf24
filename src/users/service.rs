//! The rules of staff accounts: only admins manage users; nobody can lock themselves out by
//! demoting or deactivating their own account; deactivation and password changes end sessions.

use uuid::Uuid;

use super::store::{self, ListFilter, NewUser};
use super::User;
use crate::audit::{self, Actor};
use crate::auth::{password, CurrentUser, Password};
use crate::domain::{Email, Page, Role};
use crate::error::{AppError, Result};
use crate::state::AppState;

pub struct NewUserInput {
    pub email: Email,
    pub display_name: String,
    pub role: Role,
    pub outlet_ids: Vec<Uuid>,
    pub password: Password,
}

#[derive(Default)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    pub outlet_ids: Option<Vec<Uuid>>,
    pub active: Option<bool>,
}

/// Whether `by` may list, create and change staff accounts: admins alone. The desk offers its
/// staff screen by this answer; every function below refuses everyone else.
pub fn may_manage(by: &CurrentUser) -> bool {
    by.role.at_least(Role::Admin)
}

fn require_manager(by: &CurrentUser) -> Result<()> {
    if may_manage(by) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn create(state: &AppState, by: &CurrentUser, input: NewUserInput) -> Result<User> {
    require_manager(by)?;
    insert(state, &by.into(), input).await
}

/// `newsroom create-user` and the demo seed: trusted callers with database access.
pub async fn create_from_cli(state: &AppState, input: NewUserInput) -> Result<User> {
    insert(state, &Actor::cli(), input).await
}

async fn insert(state: &AppState, actor: &Actor, input: NewUserInput) -> Result<User> {
    check_outlets(state, &input.outlet_ids).await?;
    let hash = password::hash(state.hashing.reserve()?, input.password).await?;
    let now = state.clock.now();
    let id = Uuid::now_v7();
    let mut tx = state.db.begin().await?;
    let new = NewUser {
        id,
        email: input.email.as_str(),
        display_name: &input.display_name,
        password_hash: &hash,
        role: input.role,
        now,
    };
    store::insert(&mut *tx, &new).await?;
    store::set_outlets(&mut *tx, id, &input.outlet_ids).await?;
    let user = store::get(&mut *tx, id).await?.ok_or(AppError::NotFound)?;
    let entry = audit::Entry {
        actor,
        action: "user.create",
        entity_type: "user",
        entity_id: Some(id),
        changes: audit::changes(None, Some(&user)),
    };
    audit::record(&mut *tx, entry, now).await?;
    tx.commit().await?;
    Ok(user)
}

pub async fn get(state: &AppState, by: &CurrentUser, id: Uuid) -> Result<User> {
    if by.id != id {
        require_manager(by)?;
    }
    store::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

pub async fn list(
    state: &AppState,
    by: &CurrentUser,
    filter: &ListFilter,
    after: Option<String>,
    limit: i64,
) -> Result<Page<User>> {
    require_manager(by)?;
    let rows = store::list(&state.db, filter, after, limit).await?;
    Ok(Page::from_rows(rows, limit, |u| u.email.clone()))
}

pub async fn update(
    state: &AppState,
    by: &CurrentUser,
    id: Uuid,
    changes: UserChanges,
) -> Result<User> {
    require_manager(by)?;
    if by.id == id
        && (changes.active == Some(false) || changes.role.is_some_and(|r| r != Role::Admin))
    {
        return Err(AppError::conflict(
            "you cannot demote or deactivate your own account; ask another admin",
        ));
    }
    if let Some(outlets) = &changes.outlet_ids {
        check_outlets(state, outlets).await?;
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = store::get_for_update(&mut *tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let display_name = changes
        .display_name
        .as_deref()
        .unwrap_or(&before.display_name);
    let active = changes.active.unwrap_or(before.active);
    store::update(
        &mut *tx,
        id,
        display_name,
        changes.role.unwrap_or(before.role),
        active,
        now,
    )
    .await?;
    if let Some(outlets) = &changes.outlet_ids {
        store::set_outlets(&mut *tx, id, outlets).await?;
    }
    if !active {
        crate::auth::revoke_user_sessions(&mut *tx, id, None, now).await?;
    }
    let after = store::get(&mut *tx, id).await?.ok_or(AppError::NotFound)?;
    let action = match (before.active, after.active) {
        (true, false) => "user.deactivate",
        (false, true) => "user.reactivate",
        _ => "user.update",
    };
    let entry = audit::Entry {
        actor: &by.into(),
        action,
        entity_type: "user",
        entity_id: Some(id),
        changes: audit::changes(Some(&before), Some(&after)),
    };
    audit::record(&mut *tx, entry, now).await?;
    tx.commit().await?;
    Ok(after)
}

/// Changes the caller's own password; every other session of theirs is signed out.
pub async fn change_password(
    state: &AppState,
    by: &CurrentUser,
    current: String,
    new: Password,
) -> Result<()> {
    let stored = store::password_hash(&state.db, by.id).await?;
    if !password::verify(state.hashing.reserve()?, stored, current).await? {
        return Err(AppError::field(
            "current_password",
            "is not your current password",
        ));
    }
    let hash = password::hash(state.hashing.reserve()?, new).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    store::set_password_hash(&mut *tx, by.id, &hash, now).await?;
    let revoked =
        crate::auth::revoke_user_sessions(&mut *tx, by.id, Some(by.session_id), now).await?;
    let entry = audit::Entry {
        actor: &by.into(),
        action: "user.change_password",
        entity_type: "user",
        entity_id: Some(by.id),
        changes: serde_json::json!({"sessions_revoked": revoked}),
    };
    audit::record(&mut *tx, entry, now).await?;
    tx.commit().await?;
    Ok(())
}

async fn check_outlets(state: &AppState, outlet_ids: &[Uuid]) -> Result<()> {
    let mut unique = outlet_ids.to_vec();
    unique.sort();
    unique.dedup();
    if unique.len() != outlet_ids.len() {
        return Err(AppError::field("outlet_ids", "lists an outlet twice"));
    }
    if !crate::db::all_exist(&state.db, crate::db::Table::Outlets, &unique).await? {
        return Err(AppError::field(
            "outlet_ids",
            "names an outlet that does not exist",
        ));
    }
    Ok(())
}
