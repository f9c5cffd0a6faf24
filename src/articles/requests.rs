//! The request bodies and query of the articles API, and how each becomes the service's
//! typed input (parse, don't validate): lengths, slugs, tags, URLs and language tags are
//! checked here, and travel typed to the store.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::content::{ArticleChanges, Headline};
use super::rules::Status;
use super::search::{After, ListFilter, ListRequest, Sort};
use super::service::NewArticle;
use crate::domain::{
    id_list, limit, no_nul, optional_text, patch_field, single_line, Cursor, LanguageTag, Slug,
    WebUrl,
};
use crate::error::{AppError, Result};

const STANDFIRST_MAX: usize = 1000;
const BODY_MAX: usize = 500_000;
/// The longest byline a story can carry.
const MAX_AUTHORS: usize = 20;

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateArticle {
    pub outlet_id: Uuid,
    /// Derived from the headline when absent (letters of every script are kept).
    pub slug: Option<String>,
    pub headline: String,
    pub standfirst: Option<String>,
    /// Markdown.
    #[serde(default)]
    pub body: String,
    pub section_id: Option<Uuid>,
    /// The byline, in order.
    #[serde(default)]
    pub author_ids: Vec<Uuid>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// BCP 47; the outlet's language when absent.
    pub language: Option<String>,
    pub canonical_url: Option<String>,
    pub translation_of: Option<Uuid>,
    pub origin_outlet_id: Option<Uuid>,
    pub origin_url: Option<String>,
    pub embargo_until: Option<DateTime<Utc>>,
    /// A picture of the story's outlet, shown with the story.
    pub featured_media_id: Option<Uuid>,
}

fn tags(raw: Vec<String>) -> Result<Vec<String>> {
    if raw.len() > 30 {
        return Err(AppError::field("tags", "at most 30 tags"));
    }
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for tag in raw {
        let tag = tag.trim().to_lowercase();
        if tag.is_empty() || tag.chars().count() > 50 {
            return Err(AppError::field("tags", "each tag must be 1-50 characters"));
        }
        single_line("tags", &tag)?;
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    Ok(out)
}

fn url(field: &str, raw: Option<&str>) -> Result<Option<WebUrl>> {
    raw.map(|u| WebUrl::parse(field, u)).transpose()
}

fn language(raw: Option<&str>) -> Result<Option<LanguageTag>> {
    raw.map(|l| LanguageTag::parse("language", l)).transpose()
}

fn slug(raw: Option<&str>) -> Result<Option<Slug>> {
    raw.map(|s| Slug::parse_article("slug", s)).transpose()
}

fn body(raw: &str) -> Result<()> {
    if raw.chars().count() > BODY_MAX {
        return Err(AppError::field(
            "body",
            format!("must be at most {BODY_MAX} characters"),
        ));
    }
    no_nul("body", raw)
}

impl TryFrom<CreateArticle> for NewArticle {
    type Error = AppError;
    fn try_from(b: CreateArticle) -> Result<Self> {
        // Checked in the order of the fields, so the first bad one is the one named.
        body(&b.body)?;
        let slug = slug(b.slug.as_deref())?;
        let headline = Headline::parse("headline", &b.headline)?;
        let standfirst = optional_text("standfirst", b.standfirst.as_deref(), STANDFIRST_MAX)?;
        let author_ids = id_list("author_ids", b.author_ids, MAX_AUTHORS)?;
        let tags = tags(b.tags)?;
        let language = language(b.language.as_deref())?;
        let canonical_url = url("canonical_url", b.canonical_url.as_deref())?;
        let origin_url = url("origin_url", b.origin_url.as_deref())?;
        Ok(NewArticle {
            outlet_id: b.outlet_id,
            headline,
            fields: ArticleChanges {
                slug,
                headline: None,
                standfirst: Some(standfirst),
                body: Some(b.body),
                section_id: Some(b.section_id),
                author_ids: Some(author_ids),
                tags: Some(tags),
                language,
                canonical_url: Some(canonical_url),
                translation_of: Some(b.translation_of),
                origin_outlet_id: Some(b.origin_outlet_id),
                origin_url: Some(origin_url),
                embargo_until: Some(b.embargo_until),
                featured_media_id: Some(b.featured_media_id),
                correction_note: None,
            },
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateArticle {
    pub slug: Option<String>,
    pub headline: Option<String>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub standfirst: Option<Option<String>>,
    pub body: Option<String>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub section_id: Option<Option<Uuid>>,
    pub author_ids: Option<Vec<Uuid>>,
    pub tags: Option<Vec<String>>,
    pub language: Option<String>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub canonical_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub translation_of: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub origin_outlet_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub origin_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub embargo_until: Option<Option<DateTime<Utc>>>,
    /// A picture of the story's outlet, shown with the story; `null` takes it away.
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<Uuid>)]
    pub featured_media_id: Option<Option<Uuid>>,
    /// A public correction note, for a change to a published story.
    pub correction_note: Option<String>,
}

impl TryFrom<UpdateArticle> for ArticleChanges {
    type Error = AppError;
    fn try_from(b: UpdateArticle) -> Result<Self> {
        if let Some(raw) = &b.body {
            body(raw)?;
        }
        Ok(ArticleChanges {
            slug: slug(b.slug.as_deref())?,
            headline: b
                .headline
                .as_deref()
                .map(|h| Headline::parse("headline", h))
                .transpose()?,
            standfirst: b
                .standfirst
                .map(|s| optional_text("standfirst", s.as_deref(), STANDFIRST_MAX))
                .transpose()?,
            body: b.body,
            section_id: b.section_id,
            author_ids: b
                .author_ids
                .map(|ids| id_list("author_ids", ids, MAX_AUTHORS))
                .transpose()?,
            tags: b.tags.map(tags).transpose()?,
            language: language(b.language.as_deref())?,
            canonical_url: b
                .canonical_url
                .map(|u| url("canonical_url", u.as_deref()))
                .transpose()?,
            translation_of: b.translation_of,
            origin_outlet_id: b.origin_outlet_id,
            origin_url: b
                .origin_url
                .map(|u| url("origin_url", u.as_deref()))
                .transpose()?,
            embargo_until: b.embargo_until,
            featured_media_id: b.featured_media_id,
            correction_note: optional_text("correction_note", b.correction_note.as_deref(), 2000)?,
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ArticleQuery {
    pub status: Option<Status>,
    pub outlet_id: Option<Uuid>,
    pub section_id: Option<Uuid>,
    pub author_id: Option<Uuid>,
    pub tag: Option<String>,
    pub language: Option<String>,
    pub updated_after: Option<DateTime<Utc>>,
    pub updated_before: Option<DateTime<Utc>>,
    /// Full-text search (web search syntax: words, "phrases", -exclusions, or).
    pub q: Option<String>,
    /// `updated_at` (default) or `published_at`, newest first; with `q`, by rank unless given.
    pub sort: Option<String>,
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

impl TryFrom<ArticleQuery> for ListRequest {
    type Error = AppError;
    fn try_from(query: ArticleQuery) -> Result<Self> {
        let limit = limit(query.limit)?;
        // PostgreSQL's text cannot hold NUL: the field's own 422, not the database's 400.
        if query.q.as_deref().is_some_and(|q| q.contains('\0')) {
            return Err(AppError::field("q", "must not contain a NUL character"));
        }
        let q = query
            .q
            .map(|q| q.trim().to_owned())
            .filter(|q| !q.is_empty());
        let sort = match (query.sort.as_deref(), &q) {
            (None, Some(_)) => Sort::Rank,
            (None | Some("updated_at"), _) => Sort::UpdatedAt,
            (Some("published_at"), _) => Sort::PublishedAt,
            _ => {
                return Err(AppError::field(
                    "sort",
                    "must be `updated_at` or `published_at`",
                ))
            }
        };
        let after = Cursor::decode::<After>(query.cursor.as_deref())?;
        let fits = matches!(
            (&after, sort),
            (None, _)
                | (Some(After::Rank(..)), Sort::Rank)
                | (Some(After::Time(..)), Sort::UpdatedAt | Sort::PublishedAt)
        );
        if !fits {
            return Err(AppError::field(
                "cursor",
                "belongs to a list with another sort order",
            ));
        }
        let language = language(query.language.as_deref())?.map(|l| l.to_string());
        let filter = ListFilter {
            visible_outlets: None,
            status: query.status,
            outlet_id: query.outlet_id,
            section_id: query.section_id,
            author_id: query.author_id,
            tag: query.tag.map(|t| t.trim().to_lowercase()),
            language,
            updated_after: query.updated_after,
            updated_before: query.updated_before,
            q,
            sort,
        };
        Ok(ListRequest {
            filter,
            after,
            limit,
        })
    }
}

/// The body of a workflow action.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// Required to `return` and to `kill`.
    pub note: Option<String>,
    /// Required to `schedule`: when to publish.
    pub at: Option<DateTime<Utc>>,
}
