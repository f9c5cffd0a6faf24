//! The rules of saved views: a name of 1 to 80 characters, at most [`MAX_VIEWS`] per user,
//! saving under a name the user already has replaces that view's filters, and a saved query
//! holds only the story list's filter keys ([`QUERY_KEYS`]), never a cursor.

use uuid::Uuid;

use super::{store, SavedView};
use crate::auth::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;

/// Views one user may keep: enough for every desk and beat, few enough for one menu.
pub const MAX_VIEWS: i64 = 50;

/// Longest name, in characters.
const MAX_NAME: usize = 80;

/// The story list's filter keys (`GET /admin/stories`), in the order a saved query keeps
/// them. Anything else a query string carries (the cursor, unknown keys) is dropped.
pub const QUERY_KEYS: [&str; 9] = [
    "q", "status", "outlet", "section", "author", "tag", "language", "from", "to",
];

/// A view's name: trimmed, 1 to 80 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewName(String);

impl ViewName {
    pub fn parse(raw: &str) -> Result<ViewName> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(AppError::field("name", "give the view a name"));
        }
        if name.chars().count() > MAX_NAME {
            return Err(AppError::field(
                "name",
                format!("must be at most {MAX_NAME} characters"),
            ));
        }
        Ok(ViewName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A story-list query string reduced to its filters: the first non-blank value of each key of
/// [`QUERY_KEYS`], in that order, so the same filters always read the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewQuery(String);

impl ViewQuery {
    pub fn normalise(raw: &str) -> ViewQuery {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(raw.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.trim().to_owned()))
            .collect();
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for key in QUERY_KEYS {
            if let Some((_, value)) = pairs.iter().find(|(k, v)| k == key && !v.is_empty()) {
                out.append_pair(key, value);
            }
        }
        ViewQuery(out.finish())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `by`'s views, by name.
pub async fn list(state: &AppState, by: &CurrentUser) -> Result<Vec<SavedView>> {
    Ok(store::list(&state.db, by.id).await?)
}

/// Saves `query` as `by`'s view `name`, replacing the filters of their view of that name if
/// there is one; a new name beyond [`MAX_VIEWS`] is refused (422 on `name`).
pub async fn save(
    state: &AppState,
    by: &CurrentUser,
    name: &ViewName,
    query: &ViewQuery,
) -> Result<SavedView> {
    let now = state.clock.now();
    crate::db::transaction(&state.db, async |tx| {
        store::lock_user(&mut **tx, by.id).await?;
        if store::count_others(&mut **tx, by.id, name.as_str()).await? >= MAX_VIEWS {
            return Err(AppError::field(
                "name",
                format!("you have {MAX_VIEWS} saved views already; delete one first"),
            ));
        }
        Ok(store::upsert(&mut **tx, by.id, name.as_str(), query.as_str(), now).await?)
    })
    .await
}

/// Deletes `by`'s view `id`; another user's view, like a missing one, is 404.
pub async fn delete(state: &AppState, by: &CurrentUser, id: Uuid) -> Result<()> {
    if store::delete(&state.db, by.id, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_required_and_at_most_80_characters() {
        assert_eq!(ViewName::parse("  Drafts ").unwrap().as_str(), "Drafts");
        assert!(ViewName::parse("   ").is_err());
        assert!(ViewName::parse(&"é".repeat(80)).is_ok());
        assert!(ViewName::parse(&"é".repeat(81)).is_err());
    }

    #[test]
    fn a_query_keeps_only_the_filters_in_order_without_the_cursor() {
        let q = ViewQuery::normalise("cursor=abc&tag=+rain+&status=draft&evil=1&q=&status=killed");
        assert_eq!(q.as_str(), "status=draft&tag=rain");
        let all = ViewQuery::normalise("to=2026-12-06&from=2026-12-01&q=flood+sindh");
        assert_eq!(all.as_str(), "q=flood+sindh&from=2026-12-01&to=2026-12-06");
        assert_eq!(ViewQuery::normalise("").as_str(), "");
    }
}
