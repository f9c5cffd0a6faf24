//! Article history: every saved change is a revision (number = the version it made) that can
//! be listed, read, compared with another, and restored as a new change.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use similar::TextDiff;
use sqlx::PgTransaction;

use utoipa::ToSchema;
use uuid::Uuid;

use super::model::{ArticleView, Snapshot};
use super::rules;
use super::service::{lock, save_edit, view};
use super::store::{self, RevisionRow};
use crate::auth::CurrentUser;
use crate::domain::Page;
use crate::error::{AppError, Result};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Revision {
    pub number: i32,
    /// `create`, `edit`, `restore`, the workflow action that made this version, or `import`
    /// (a story written in its final state as version 1: `newsroom seed`).
    pub action: String,
    pub actor_id: Option<Uuid>,
    pub actor_label: String,
    /// The note given with a `return` or a `kill`: why.
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The editable fields at this version (left out of lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub snapshot: Option<Snapshot>,
}

/// How two revisions differ: changed fields, and a line diff of the body.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionDiff {
    pub from: i32,
    pub to: i32,
    /// Field -> `{from, to}` for every field that differs (the body is in `body_diff`).
    #[schema(value_type = Object)]
    pub fields: Value,
    /// A unified line diff of the Markdown body; empty when the body is the same.
    pub body_diff: String,
}

/// 404 unless `by` may read the story's history (`rules::can_read_history`).
async fn history_of(state: &AppState, by: &CurrentUser, id: Uuid) -> Result<()> {
    match store::get(&state.db, id).await? {
        Some(a) if rules::can_read_history(by, &a) => Ok(()),
        _ => Err(AppError::NotFound),
    }
}

fn revision(row: RevisionRow, with_snapshot: bool) -> Result<Revision> {
    let snapshot = if with_snapshot {
        Some(
            serde_json::from_value(row.snapshot)
                .map_err(|e| anyhow::anyhow!("stored revision is malformed: {e}"))?,
        )
    } else {
        None
    };
    Ok(Revision {
        number: row.number,
        action: row.action,
        actor_id: row.actor_id,
        actor_label: row.actor_label,
        note: row.note,
        created_at: row.created_at,
        snapshot,
    })
}

pub async fn list(
    state: &AppState,
    by: &CurrentUser,
    id: Uuid,
    before: Option<i32>,
    limit: i64,
) -> Result<Page<Revision>> {
    history_of(state, by, id).await?;
    let rows = store::revisions(&state.db, id, before, limit).await?;
    let rows = rows
        .into_iter()
        .map(|r| revision(r, false))
        .collect::<Result<Vec<_>>>()?;
    Ok(Page::from_rows(rows, limit, |r| r.number))
}

pub async fn get(state: &AppState, by: &CurrentUser, id: Uuid, number: i32) -> Result<Revision> {
    history_of(state, by, id).await?;
    let row = store::revision(&state.db, id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    revision(row, true)
}

pub async fn diff(
    state: &AppState,
    by: &CurrentUser,
    id: Uuid,
    number: i32,
    against: i32,
) -> Result<RevisionDiff> {
    let to = get(state, by, id, number)
        .await?
        .snapshot
        .ok_or(AppError::NotFound)?;
    let from = store::revision(&state.db, id, against)
        .await?
        .ok_or_else(|| AppError::field("against", "names a revision this article does not have"))
        .and_then(|r| revision(r, true))?
        .snapshot
        .ok_or(AppError::NotFound)?;
    let body_diff = if from.content.body == to.content.body {
        String::new()
    } else {
        TextDiff::from_lines(&from.content.body, &to.content.body)
            .unified_diff()
            .header(
                &format!("revision {against}"),
                &format!("revision {number}"),
            )
            .to_string()
    };
    let as_map = |s: &Snapshot| match serde_json::to_value(s) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let (old, new) = (as_map(&from), as_map(&to));
    let mut fields = Map::new();
    for (key, value) in &new {
        if key != "body" && old.get(key) != Some(value) {
            fields.insert(
                key.clone(),
                serde_json::json!({"from": old.get(key), "to": value}),
            );
        }
    }
    Ok(RevisionDiff {
        from: against,
        to: number,
        fields: Value::Object(fields),
        body_diff,
    })
}

/// Brings back the editable fields of revision `number` as a new change (same rules and
/// `If-Match` as a PATCH; the workflow state stays as it is).
pub async fn restore(
    tx: &mut PgTransaction<'_>,
    by: &CurrentUser,
    id: Uuid,
    number: i32,
    expected: i32,
    now: DateTime<Utc>,
) -> Result<ArticleView> {
    let before = lock(tx, by, id, expected).await?;
    // Other outlets' staff may read the published story but not its history: 404, as for
    // reading a revision, before the edit rules can answer 403.
    if !rules::can_read_history(by, &before) {
        return Err(AppError::NotFound);
    }
    rules::check_edit(by, &before)?;
    let row = store::revision(&mut **tx, id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let snapshot = revision(row, true)?.snapshot.ok_or(AppError::NotFound)?;
    // The editable fields come back; the workflow state stays as it is.
    let mut after = before.clone();
    after.content = snapshot.content;
    save_edit(tx, by, &before, after, None, "restore", now).await?;
    let saved = store::get(&mut **tx, id).await?.ok_or(AppError::NotFound)?;
    view(&mut **tx, by, saved).await
}
