//! Two versions of a story compared, `/admin/stories/{id}/revisions/compare?from=a&to=b`:
//! which fields changed is the API's `articles::revisions::diff`; the headline and standfirst
//! are shown word by word, the body line by line with its changed words marked (`diff.rs`),
//! the other fields as before → after with names for ids. Only those who may read the
//! story's history see it (the service's 404 otherwise).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::diff;
use super::names::Names;
use super::page::{render, DeskError, Me};
use super::session::Desk;
use crate::articles::{self, revisions};
use crate::state::AppState;

/// Versions the pickers offer.
const PICKER_ROWS: i64 = 100;

#[derive(Deserialize)]
struct Pair {
    from: Option<i32>,
    to: Option<i32>,
}

/// A field that changed, other than the texts.
#[derive(Serialize)]
struct Changed {
    label: String,
    from: String,
    to: String,
}

/// What a field is called on the page.
fn label(field: &str) -> String {
    match field {
        "author_ids" => "byline".into(),
        "section_id" => "section".into(),
        "origin_outlet_id" => "republished from".into(),
        "origin_url" => "original's URL".into(),
        "canonical_url" => "canonical URL".into(),
        other => other.replace('_', " "),
    }
}

/// A stored value as a person reads it: names for ids, lists joined, "none" for nothing.
fn shown(names: &Names, field: &str, value: &Value) -> String {
    let id = |v: &Value| v.as_str().and_then(|s| Uuid::parse_str(s).ok());
    match (field, value) {
        (_, Value::Null) => "none".into(),
        (_, Value::Array(items)) if items.is_empty() => "none".into(),
        ("author_ids", Value::Array(ids)) => {
            let ids: Vec<Uuid> = ids.iter().filter_map(id).collect();
            Some(names.byline(&ids))
                .filter(|b| !b.is_empty())
                .unwrap_or_else(|| "none".into())
        }
        ("section_id" | "origin_outlet_id", v) => names.of(id(v)),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(", "),
        (_, other) => other.to_string(),
    }
}

async fn compare(
    state: web::Data<AppState>,
    desk: Desk,
    id: web::Path<Uuid>,
    pair: web::Query<Pair>,
) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let view = articles::get(&state, &desk.user, id).await?;
    let latest = view.article.version;
    let to = pair.to.unwrap_or(latest);
    let from = pair.from.unwrap_or(to - 1);
    // Both versions through the service: a version the user may not see is its 404.
    let old = revisions::get(&state, &desk.user, id, from).await?;
    let new = revisions::get(&state, &desk.user, id, to).await?;
    let changed = revisions::diff(&state, &desk.user, id, to, from).await?;
    let (Some(old), Some(new)) = (old.snapshot, new.snapshot) else {
        return Err(anyhow::anyhow!("a revision read without its snapshot").into());
    };
    let (old, new) = (old.content, new.content);
    let names = Names::load(&state).await?;
    let fields = changed.fields.as_object().cloned().unwrap_or_default();
    let headline = fields
        .contains_key("headline")
        .then(|| diff::words(old.headline.as_str(), new.headline.as_str()));
    let standfirst = fields.contains_key("standfirst").then(|| {
        diff::words(
            old.standfirst.as_deref().unwrap_or_default(),
            new.standfirst.as_deref().unwrap_or_default(),
        )
    });
    let body = (!changed.body_diff.is_empty()).then(|| diff::lines(&old.body, &new.body));
    let others: Vec<Changed> = fields
        .iter()
        .filter(|(field, _)| !matches!(field.as_str(), "headline" | "standfirst"))
        .map(|(field, change)| Changed {
            label: label(field),
            from: shown(&names, field, &change["from"]),
            to: shown(&names, field, &change["to"]),
        })
        .collect();
    let page = revisions::list(&state, &desk.user, id, None, PICKER_ROWS).await?;
    let numbers: Vec<i32> = page.items.iter().map(|r| r.number).collect();
    render(
        StatusCode::OK,
        "desk/compare.html",
        context! {
            title => format!("Compare versions: {}", view.article.content.headline),
            me => Me::from(&desk), id, numbers, from, to, headline, standfirst, body, others,
        },
    )
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/stories/{id}/revisions/compare").route(web::get().to(compare)),
    );
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn fields_are_called_by_their_names_on_the_page() {
        assert_eq!(label("author_ids"), "byline");
        assert_eq!(label("embargo_until"), "embargo until");
    }
}
