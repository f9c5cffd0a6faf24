//! Who may see, edit, delete and read the history of an article, and who may create one in
//! an outlet. Pure: every service function that works on one article asks these after
//! reading it, so the answer is the same whichever route or front end reaches it.

use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use super::workflow::{Actor, Status};
use crate::articles::model::Article;
use crate::auth::CurrentUser;
use crate::domain::Role;
use crate::error::{AppError, Result};

/// The workflow's view of `by` acting on an article of `outlet_id` written by `created_by`.
pub fn actor(by: &CurrentUser, outlet_id: Uuid, created_by: Option<Uuid>) -> Actor {
    Actor::Staff {
        role: by.role,
        member: by.belongs_to(outlet_id),
        owner: created_by == Some(by.id),
    }
}

/// [`actor`] for a whole article.
pub fn actor_on(by: &CurrentUser, a: &Article) -> Actor {
    actor(by, a.outlet_id, a.created_by)
}

/// Staff see every article of their outlets and published ones of every outlet; for the
/// others the article does not exist (404).
pub fn can_see(by: &CurrentUser, a: &Article) -> bool {
    by.belongs_to(a.outlet_id) || a.status == Status::Published
}

/// The outlets whose every article `by` may list (none: all, for admins); beyond them, only
/// published articles. The list's form of [`can_see`].
pub fn listable_outlets(by: &CurrentUser) -> Option<Vec<Uuid>> {
    (!by.is_admin()).then(|| by.outlet_ids.clone())
}

/// [`can_see`] as SQL over the article alias `t`, for the staff list and search.
pub fn push_staff_visible(q: &mut QueryBuilder<'_, Postgres>, t: &str, outlets: &[Uuid]) {
    q.push(format!(" and ({t}.outlet_id = any("))
        .push_bind(outlets.to_vec())
        .push(format!(") or {t}.status = 'published')"));
}

/// Writers edit their own drafts; editors any article of their outlets; admins any; nobody a
/// killed one.
pub fn can_edit(by: &CurrentUser, a: &Article) -> bool {
    if a.status == Status::Killed || !by.belongs_to(a.outlet_id) {
        return false;
    }
    match by.role {
        Role::Admin | Role::Editor => true,
        Role::Writer => a.status == Status::Draft && a.created_by == Some(by.id),
    }
}

/// [`can_edit`] as an answer: 403 when not.
pub fn check_edit(by: &CurrentUser, a: &Article) -> Result<()> {
    if can_edit(by, a) {
        Ok(())
    } else {
        Err(by.refusal(Some(a.outlet_id)))
    }
}

/// Only drafts that were never published can be deleted, by whoever may edit them: 409 for
/// an editor of another kind of story (unpublish or kill it instead), 403 for the others.
pub fn check_delete(by: &CurrentUser, a: &Article) -> Result<()> {
    check_edit(by, a)?;
    if a.status == Status::Draft && a.first_published_at.is_none() {
        Ok(())
    } else {
        Err(AppError::conflict(
            "only drafts that were never published can be deleted; unpublish or kill it instead",
        ))
    }
}

/// The history of a story (its revisions, and restoring one) belongs to its outlet: other
/// outlets' staff, who may read the published story, do not see its earlier drafts (404).
pub fn can_read_history(by: &CurrentUser, a: &Article) -> bool {
    by.belongs_to(a.outlet_id)
}

/// A new article goes into an outlet the author belongs to.
pub fn check_create_in(by: &CurrentUser, outlet_id: Uuid) -> Result<()> {
    if by.belongs_to(outlet_id) {
        Ok(())
    } else {
        Err(AppError::field(
            "outlet_id",
            "must be an outlet you belong to",
        ))
    }
}
