//! The audit log, `/admin/audit`: who changed what and when, newest first, 50 rows a page on
//! the log's keyset cursor (`audit::list`, admins only), with the filters `AuditFilter` takes
//! as a GET form. Each entry's changes are shown as a field / before / after table.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{Days, NaiveDate, NaiveTime};
use minijinja::context;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::page::{render, when, DeskError, Me};
use super::session::Desk;
use crate::audit::{self, AuditEntry, AuditFilter};
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use crate::users::{self, store::ListFilter};

/// Rows per page.
const PAGE_ROWS: i64 = 50;

/// Accounts the actor filter offers by name (the first by email); any other is filtered by a
/// row's "only theirs" link.
const STAFF_CHOICES: i64 = 100;

/// One choice of the actor filter.
#[derive(Serialize)]
struct Actor {
    id: String,
    label: String,
}

fn every_account() -> ListFilter {
    ListFilter {
        q: None,
        role: None,
        outlet_id: None,
        active: None,
    }
}

/// The filters as the form sends them (blank means any); dates are whole UTC days.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct Filters {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    entity_type: String,
    #[serde(default)]
    entity_id: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default, skip_serializing)]
    cursor: String,
}

fn text(raw: &str) -> Option<String> {
    Some(raw.trim().to_owned()).filter(|t| !t.is_empty())
}

impl Filters {
    /// The service's filter, or every field's message.
    fn parse(&self) -> Result<AuditFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut id = |field: &str, raw: &str| match raw.trim() {
            "" => None,
            raw => Uuid::parse_str(raw)
                .map_err(|_| errors.insert(field.into(), vec!["is not an id".into()]))
                .ok(),
        };
        let actor_id = id("actor", &self.actor);
        let entity_id = id("entity_id", &self.entity_id);
        let mut day = |field: &str, raw: &str, next: bool| match raw.trim() {
            "" => None,
            raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(|d| {
                    if next {
                        d.checked_add_days(Days::new(1))
                    } else {
                        Some(d)
                    }
                })
                .map(|d| d.and_time(NaiveTime::MIN).and_utc())
                .or_else(|| {
                    let message = "is not a date like 2026-12-31".into();
                    errors.insert(field.into(), vec![message]);
                    None
                }),
        };
        let from = day("from", &self.from, false);
        // The last day is included: entries before the start of the next.
        let to = day("to", &self.to, true);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(AuditFilter {
            actor_id,
            entity_type: text(&self.entity_type),
            entity_id,
            action: text(&self.action),
            from,
            to,
            cursor: text(&self.cursor),
            limit: Some(PAGE_ROWS),
        })
    }
}

/// One field an entry changed.
#[derive(Serialize)]
struct Change {
    field: String,
    before: String,
    after: String,
}

#[derive(Serialize)]
struct Row {
    at: String,
    who: String,
    actor_id: Option<Uuid>,
    action: String,
    entity_type: String,
    entity_id: Option<Uuid>,
    /// The log filtered to this entry's target.
    target_url: Option<String>,
    changes: Vec<Change>,
}

/// A value as a person reads it: text as is, nothing as a dash, the rest as compact JSON.
fn shown(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "—".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) if items.is_empty() => "none".into(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| shown(Some(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

/// `{"field": {"from": a, "to": b}}` as rows; a value of another shape is an "after".
fn changes(value: &Value) -> Vec<Change> {
    let Some(fields) = value.as_object() else {
        return Vec::new();
    };
    fields
        .iter()
        .map(|(field, change)| {
            let pair = change
                .as_object()
                .filter(|c| c.len() == 2 && c.contains_key("from") && c.contains_key("to"));
            let (before, after) = match pair {
                Some(c) => (shown(c.get("from")), shown(c.get("to"))),
                None => ("—".into(), shown(Some(change))),
            };
            Change {
                field: field.replace('_', " "),
                before,
                after,
            }
        })
        .collect()
}

impl From<AuditEntry> for Row {
    fn from(e: AuditEntry) -> Row {
        Row {
            at: when(e.created_at),
            changes: changes(&e.changes),
            target_url: e.entity_id.map(|id| {
                let query = [
                    ("entity_type", e.entity_type.clone()),
                    ("entity_id", id.to_string()),
                ];
                let query = serde_urlencoded::to_string(query).unwrap_or_default();
                format!("/admin/audit?{query}")
            }),
            who: e.actor_label,
            actor_id: e.actor_id,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
        }
    }
}

async fn list(
    state: web::Data<AppState>,
    desk: Desk,
    query: web::Query<Filters>,
) -> Result<HttpResponse, DeskError> {
    let filters = query.into_inner();
    let (filter, errors) = match filters.parse() {
        Ok(filter) => (filter, FieldErrors::new()),
        Err(errors) => {
            let filter = AuditFilter {
                limit: Some(1),
                ..AuditFilter::default()
            };
            (filter, errors)
        }
    };
    // The service refuses those who may not read the log, whatever the filters say.
    let found = audit::list(&state, &desk.user, &filter)
        .await
        .map_err(|err| match err {
            AppError::Forbidden => AppError::ForbiddenBecause("You may not read the audit log."),
            err => err,
        })?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let (rows, next) = if errors.is_empty() {
        let rows: Vec<Row> = found.items.into_iter().map(Row::from).collect();
        (rows, found.next)
    } else {
        (Vec::new(), None)
    };
    let next_url = next.map(|cursor| {
        let query = serde_urlencoded::to_string(&filters).unwrap_or_default();
        format!("/admin/audit?{query}&cursor={cursor}")
    });
    let staff = users::service::list(&state, &desk.user, &every_account(), None, STAFF_CHOICES)
        .await?
        .items;
    let actors: Vec<Actor> = staff
        .into_iter()
        .map(|u| Actor {
            id: u.id.to_string(),
            label: format!("{} ({})", u.display_name, u.email),
        })
        .collect();
    let actor_listed = actors.iter().any(|a| a.id == filters.actor.trim());
    render(
        status,
        "desk/audit_log.html",
        context! {
            title => "Audit log", me => Me::from(&desk), rows, next_url, filters, errors,
            actors, actor_listed,
        },
    )
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/admin/audit").route(web::get().to(list)));
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn changes_read_as_field_before_after() {
        let rows = super::changes(&json!({
            "display_name": {"from": "A", "to": "B"},
            "outlet_ids": {"from": [], "to": ["x", "y"]},
            "sessions_revoked": 2,
        }));
        let seen: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|c| (c.field.as_str(), c.before.as_str(), c.after.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                ("display name", "A", "B"),
                ("outlet ids", "none", "x, y"),
                ("sessions revoked", "—", "2"),
            ]
        );
    }

    #[test]
    fn bad_filters_are_told_per_field_and_the_last_day_counts() {
        let filters = super::Filters {
            actor: "nobody".into(),
            from: "2026-13-01".into(),
            ..Default::default()
        };
        let errors = filters.parse().err().unwrap_or_default();
        assert!(errors.contains_key("actor") && errors.contains_key("from"));
        let filters = super::Filters {
            to: "2026-12-06".into(),
            ..Default::default()
        };
        let to = filters
            .parse()
            .ok()
            .and_then(|f| f.to)
            .map(|t| t.to_rfc3339());
        assert_eq!(to.as_deref(), Some("2026-12-07T00:00:00+00:00"));
    }
}
