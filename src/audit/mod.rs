//! The audit log: who changed what, when, written in the transaction of the change so that a
//! change and its entry commit or vanish together. Read by admins at `GET /api/v1/audit`.

pub mod http;
mod model;
mod store;

pub use model::{AuditEntry, AuditFilter};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::domain::{limit, Cursor, Page, Role};
use crate::state::AppState;

/// Who made a change.
#[derive(Clone, Debug)]
pub struct Actor {
    pub id: Option<Uuid>,
    pub label: String,
    pub request_id: Option<String>,
}

impl Actor {
    /// The command line (`newsroom create-user`, the demo seed).
    pub fn cli() -> Actor {
        Actor {
            id: None,
            label: "cli".to_owned(),
            request_id: None,
        }
    }
}

impl From<&CurrentUser> for Actor {
    fn from(user: &CurrentUser) -> Actor {
        Actor {
            id: Some(user.id),
            label: user.email.clone(),
            request_id: user.request_id.clone(),
        }
    }
}

/// One entry to write.
pub struct Entry<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<Uuid>,
    pub changes: Value,
}

/// Whether `by` may read the audit log: admins alone (the desk shows its link by this).
pub fn may_read(by: &CurrentUser) -> bool {
    by.role.at_least(Role::Admin)
}

/// The audit log, newest first, for admins (403 for everyone else).
pub async fn list(
    state: &AppState,
    by: &CurrentUser,
    filter: &AuditFilter,
) -> crate::error::Result<Page<AuditEntry>> {
    if !may_read(by) {
        return Err(crate::error::AppError::Forbidden);
    }
    let limit = limit(filter.limit)?;
    let after = Cursor::decode::<Uuid>(filter.cursor.as_deref())?;
    let rows = store::list(&state.db, filter, after, limit).await?;
    Ok(Page::from_rows(rows, limit, |e| e.id))
}

pub async fn record(
    db: impl PgExecutor<'_>,
    entry: Entry<'_>,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    store::insert(db, &entry, at).await
}

/// Records a create (`before` none), update or delete (`after` none) of an entity; the entity
/// type is the part of `action` before the dot (`outlet.update` -> `outlet`).
pub async fn record_change<T: Serialize>(
    db: impl PgExecutor<'_>,
    actor: &Actor,
    action: &str,
    entity_id: Uuid,
    before: Option<&T>,
    after: Option<&T>,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    let entity_type = action.split('.').next().unwrap_or(action);
    let entry = Entry {
        actor,
        action,
        entity_type,
        entity_id: Some(entity_id),
        changes: changes(before, after),
    };
    store::insert(db, &entry, at).await
}

/// What changed between two versions of an entity, field by field: `{"name": {"from": "A",
/// "to": "B"}}`. `None` on one side records a creation or a deletion. Timestamps that move on
/// every change are left out.
pub fn changes<T: Serialize>(before: Option<&T>, after: Option<&T>) -> Value {
    let object = |v: Option<&T>| match v.map(serde_json::to_value) {
        Some(Ok(Value::Object(map))) => map,
        _ => Map::new(),
    };
    let (before, after) = (object(before), object(after));
    let mut out = Map::new();
    let keys: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for key in keys {
        if key == "updated_at" || key == "created_at" {
            continue;
        }
        let (from, to) = (before.get(key), after.get(key));
        if from != to {
            let mut change = Map::new();
            change.insert("from".into(), from.cloned().unwrap_or(Value::Null));
            change.insert("to".into(), to.cloned().unwrap_or(Value::Null));
            out.insert(key.clone(), Value::Object(change));
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn changes_list_only_fields_that_moved() {
        let before = json!({"name": "Dawn", "country": "PK", "updated_at": 1});
        let after = json!({"name": "DAWN", "country": "PK", "updated_at": 2});
        assert_eq!(
            super::changes(Some(&before), Some(&after)),
            json!({"name": {"from": "Dawn", "to": "DAWN"}})
        );
        assert_eq!(
            super::changes(None, Some(&json!({"a": 1}))),
            json!({"a": {"from": null, "to": 1}})
        );
    }
}
