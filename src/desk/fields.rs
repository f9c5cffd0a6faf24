//! The story's editable fields as the editor's form shows and sends them, and the change
//! they ask for (parsed by the API's own `UpdateArticle`). Shared by the editor and the
//! conflict page. The byline's "Move … up/down" buttons are submit buttons of the same form:
//! the order they ask for is the order of `author_ids` sent on.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::page::Form;
use crate::articles::{Article, ArticleChanges, UpdateArticle};
use crate::domain::WebUrl;
use crate::error::{AppError, FieldErrors};

/// An optional value as a form field shows it (blank when none).
fn text(value: Option<impl ToString>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// The editable fields as the form shows and sends them.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Fields {
    pub headline: String,
    pub standfirst: String,
    pub body: String,
    pub slug: String,
    pub section_id: String,
    pub author_ids: Vec<String>,
    pub tags: String,
    pub language: String,
    pub canonical_url: String,
    pub origin_outlet_id: String,
    pub origin_url: String,
    pub translation_of: String,
    pub embargo_until: String,
    /// The featured picture's id (blank: none).
    pub featured_media_id: String,
    pub correction_note: String,
}

/// Moves `id` one place towards the front (`up`) or the back of `ids`; nothing when it is
/// not there or already at that end.
fn shift(ids: &mut [String], id: &str, up: bool) {
    let Some(at) = ids.iter().position(|a| a == id) else {
        return;
    };
    let to = if up { at.checked_sub(1) } else { Some(at + 1) };
    if let Some(to) = to.filter(|to| *to < ids.len()) {
        ids.swap(at, to);
    }
}

impl Fields {
    /// The stored fields; `embargo_until` on the outlet's clock (`Zone::input`).
    pub fn of(a: &Article, embargo_until: String) -> Fields {
        let c = &a.content;
        Fields {
            headline: c.headline.to_string(),
            standfirst: c.standfirst.clone().unwrap_or_default(),
            body: c.body.clone(),
            slug: c.slug.to_string(),
            section_id: c.section_id.map(|s| s.to_string()).unwrap_or_default(),
            author_ids: c.author_ids.iter().map(Uuid::to_string).collect(),
            tags: c.tags.join(", "),
            language: c.language.to_string(),
            canonical_url: text(c.canonical_url.as_ref().map(WebUrl::as_str)),
            origin_outlet_id: text(c.origin_outlet_id),
            origin_url: text(c.origin_url.as_ref().map(WebUrl::as_str)),
            translation_of: text(c.translation_of),
            embargo_until,
            featured_media_id: text(c.featured_media_id),
            correction_note: String::new(),
        }
    }

    /// The fields as sent, with the byline reordered as a "Move" button asked.
    pub fn sent(form: &Form) -> Fields {
        let get = |name: &str| form.get(name).unwrap_or_default().to_owned();
        let mut author_ids: Vec<String> = form
            .all("author_ids")
            .into_iter()
            .map(str::to_owned)
            .collect();
        if let Some(id) = form.get("move_up") {
            shift(&mut author_ids, id, true);
        }
        if let Some(id) = form.get("move_down") {
            shift(&mut author_ids, id, false);
        }
        Fields {
            headline: get("headline"),
            standfirst: get("standfirst"),
            body: get("body"),
            slug: get("slug"),
            section_id: get("section_id"),
            author_ids,
            tags: get("tags"),
            language: get("language"),
            canonical_url: get("canonical_url"),
            origin_outlet_id: get("origin_outlet_id"),
            origin_url: get("origin_url"),
            translation_of: get("translation_of"),
            embargo_until: get("embargo_until"),
            featured_media_id: get("featured_media_id"),
            correction_note: get("correction_note"),
        }
    }

    /// The change these fields ask for, parsed by the API's own request type, with the
    /// embargo already read on the outlet's clock.
    pub fn changes(
        &self,
        embargo_until: Result<Option<DateTime<Utc>>, AppError>,
    ) -> Result<ArticleChanges, AppError> {
        let blank = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let mut errors = FieldErrors::new();
        let mut id = |field: &str, raw: &str| match raw.trim() {
            "" => None,
            raw => Uuid::parse_str(raw).ok().or_else(|| {
                errors.insert(field.into(), vec!["is not one of the choices".into()]);
                None
            }),
        };
        let section_id = id("section_id", &self.section_id);
        let origin_outlet_id = id("origin_outlet_id", &self.origin_outlet_id);
        let featured_media_id = id("featured_media_id", &self.featured_media_id);
        let author_ids: Vec<Uuid> = self
            .author_ids
            .iter()
            .filter_map(|a| id("author_ids", a))
            .collect();
        let translation_of = match self.translation_of.trim() {
            "" => None,
            raw => Uuid::parse_str(raw).ok().or_else(|| {
                errors.insert(
                    "translation_of".into(),
                    vec!["must be a story's id (as in its address, /admin/stories/…)".into()],
                );
                None
            }),
        };
        let embargo_until = match embargo_until {
            Ok(at) => at,
            Err(AppError::Validation(e)) => {
                errors.extend(e);
                None
            }
            Err(err) => return Err(err),
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        UpdateArticle {
            slug: blank(&self.slug),
            headline: Some(self.headline.clone()),
            standfirst: Some(blank(&self.standfirst)),
            body: Some(self.body.replace("\r\n", "\n")),
            section_id: Some(section_id),
            author_ids: Some(author_ids),
            tags: Some(
                self.tags
                    .split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
            language: blank(&self.language),
            canonical_url: Some(blank(&self.canonical_url)),
            translation_of: Some(translation_of),
            origin_outlet_id: Some(origin_outlet_id),
            origin_url: Some(blank(&self.origin_url)),
            embargo_until: Some(embargo_until),
            featured_media_id: Some(featured_media_id),
            correction_note: blank(&self.correction_note),
        }
        .try_into()
    }
}

#[cfg(test)]
mod tests {
    use super::shift;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_move_swaps_with_the_neighbour_and_stops_at_the_ends() {
        let mut byline = ids(&["a", "b", "c"]);
        shift(&mut byline, "c", true);
        assert_eq!(byline, ids(&["a", "c", "b"]));
        shift(&mut byline, "a", false);
        assert_eq!(byline, ids(&["c", "a", "b"]));
        shift(&mut byline, "c", true);
        shift(&mut byline, "b", false);
        shift(&mut byline, "x", true);
        assert_eq!(byline, ids(&["c", "a", "b"]));
    }
}
