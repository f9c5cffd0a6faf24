//! The story's editable fields as the editor's form shows and sends them, and the change
//! they ask for (parsed by the API's own `UpdateArticle`). Shared by the editor and the
//! conflict page.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::page::Form;
use crate::articles::{Article, ArticleChanges, UpdateArticle};
use crate::error::{AppError, FieldErrors};

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
    pub embargo_until: String,
    pub correction_note: String,
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
            embargo_until,
            correction_note: String::new(),
        }
    }

    pub fn sent(form: &Form) -> Fields {
        let get = |name: &str| form.get(name).unwrap_or_default().to_owned();
        Fields {
            headline: get("headline"),
            standfirst: get("standfirst"),
            body: get("body"),
            slug: get("slug"),
            section_id: get("section_id"),
            author_ids: form
                .all("author_ids")
                .into_iter()
                .map(str::to_owned)
                .collect(),
            tags: get("tags"),
            language: get("language"),
            embargo_until: get("embargo_until"),
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
        let author_ids: Vec<Uuid> = self
            .author_ids
            .iter()
            .filter_map(|a| id("author_ids", a))
            .collect();
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
            canonical_url: None,
            translation_of: None,
            origin_outlet_id: None,
            origin_url: None,
            embargo_until: Some(embargo_until),
            correction_note: blank(&self.correction_note),
        }
        .try_into()
    }
}
