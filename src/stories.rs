//! The read model of stories as the outside world sees them: one row type, with what readers,
//! partners, feeds and webhooks need from the catalogue, and the queries that fill it. The
//! public API, syndication (ninjs, feeds, the story cache) and the webhooks all read it, so a
//! field is added once. Lists and single stories by slug are published stories only, through
//! `articles::push_publicly_visible`; stories by id are read in any state, for tombstones.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use sqlx::{PgExecutor, Postgres, QueryBuilder};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::articles::search::push_tsquery_expr;
use crate::articles::{push_publicly_visible, Status};
use crate::media::Picture;

/// A byline entry; `bio` only on full stories.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct Byline {
    pub name: String,
    pub slug: String,
    /// The "About the Author" note (single stories only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub bio: Option<String>,
}

/// A public correction note.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct PublicCorrection {
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// A story with what readers, partners and feeds need from the catalogue. Two equal rows
/// render to the same story everywhere (the syndication story cache relies on it): keep every
/// input of a rendering in here.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct StoryRow {
    pub id: Uuid,
    pub outlet_id: Uuid,
    pub outlet_slug: String,
    pub outlet_name: String,
    pub slug: String,
    pub headline: String,
    pub standfirst: Option<String>,
    /// Only on full stories (single stories, feeds, syndication).
    pub body_html: Option<String>,
    pub section_id: Option<Uuid>,
    pub section_slug: Option<String>,
    pub section_name: Option<String>,
    /// The byline, in order.
    pub authors: Json<Vec<Byline>>,
    pub tags: Vec<String>,
    pub language: String,
    pub status: Status,
    pub version: i32,
    pub canonical_url: Option<String>,
    pub translation_of: Option<Uuid>,
    pub origin_slug: Option<String>,
    pub origin_name: Option<String>,
    pub origin_website: Option<String>,
    pub origin_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub first_published_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub embargo_until: Option<DateTime<Utc>>,
    /// Oldest first; only on full stories.
    pub corrections: Json<Vec<PublicCorrection>>,
    /// The featured picture, with what its renditions and credits need.
    pub featured_picture: Option<Json<Picture>>,
}

impl StoryRow {
    /// The names of the byline, in order.
    pub fn author_names(&self) -> impl Iterator<Item = &str> {
        self.authors.0.iter().map(|a| a.name.as_str())
    }

    /// When the story was last published, the "Updated:" date that corrections move: set on
    /// every story a list or `by_slug` returns (they read published stories only).
    pub fn published(&self) -> DateTime<Utc> {
        self.published_at.unwrap_or(self.updated_at)
    }

    /// Bytes the row holds on the heap, roughly: what caching it costs.
    pub fn heap_size(&self) -> usize {
        let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        std::mem::size_of::<Self>()
            + self.outlet_slug.len()
            + self.outlet_name.len()
            + self.slug.len()
            + self.headline.len()
            + opt(&self.standfirst)
            + opt(&self.body_html)
            + opt(&self.section_slug)
            + opt(&self.section_name)
            + (self.authors.0.iter())
                .map(|a| a.name.len() + a.slug.len() + opt(&a.bio) + 72)
                .sum::<usize>()
            + self.tags.iter().map(|t| t.len() + 24).sum::<usize>()
            + self.language.len()
            + opt(&self.canonical_url)
            + opt(&self.origin_slug)
            + opt(&self.origin_name)
            + opt(&self.origin_website)
            + opt(&self.origin_url)
            + (self.corrections.0.iter())
                .map(|c| c.note.len() + 48)
                .sum::<usize>()
            + self.featured_picture.as_ref().map_or(0, |p| {
                let p = &p.0;
                std::mem::size_of::<Picture>()
                    + p.filename.len()
                    + p.master_sha256.len()
                    + [
                        &p.caption,
                        &p.credit,
                        &p.copyright_notice,
                        &p.usage_terms,
                        &p.alt_text,
                    ]
                    .into_iter()
                    .map(opt)
                    .sum::<usize>()
            })
    }

    /// A published story with `body_html` and one author, for unit tests.
    #[cfg(test)]
    pub fn example(body_html: &str) -> StoryRow {
        let now = Utc::now();
        StoryRow {
            id: Uuid::now_v7(),
            outlet_id: Uuid::nil(),
            outlet_slug: "dawn".into(),
            outlet_name: "Dawn".into(),
            slug: "a".into(),
            headline: "A".into(),
            standfirst: None,
            body_html: Some(body_html.into()),
            section_id: None,
            section_slug: None,
            section_name: None,
            authors: Json(vec![Byline {
                name: "Ayesha Khan".into(),
                slug: "ayesha-khan".into(),
                bio: None,
            }]),
            tags: vec![],
            language: "en".into(),
            status: Status::Published,
            version: 1,
            canonical_url: None,
            translation_of: None,
            origin_slug: None,
            origin_name: None,
            origin_website: None,
            origin_url: None,
            created_at: now,
            updated_at: now,
            first_published_at: Some(now),
            published_at: Some(now),
            embargo_until: None,
            corrections: Json(vec![]),
            featured_picture: None,
        }
    }
}

/// The featured picture as the JSON of a `media::Picture` (null when none).
const FEATURED_PICTURE: &str = "(select jsonb_build_object('id', m.id, 'outlet_id', m.outlet_id,
        'filename', m.filename, 'caption', m.caption, 'credit', m.credit,
        'copyright_notice', m.copyright_notice, 'usage_terms', m.usage_terms, 'alt_text', m.alt_text,
        'captured_at', m.captured_at, 'focal_point', jsonb_build_object('x', m.focal_x, 'y', m.focal_y),
        'width', b.width, 'height', b.height, 'format', b.source_format, 'version', m.version,
        'created_by', m.created_by, 'created_at', m.created_at, 'updated_at', m.updated_at,
        'blob_id', b.id, 'master_sha256', b.master_sha256, 'has_alpha', b.has_alpha)
    from media_assets m join media_blobs b on b.id = m.blob_id where m.id = a.featured_media_id)";

/// `select … from articles a join …`; the body, the authors' bios and the corrections only
/// when `full`.
fn select(q: &mut QueryBuilder<'_, Postgres>, full: bool) {
    push_columns(q, full);
    push_from(q);
}

/// `select <every column of a StoryRow>` over the aliases `push_from` names: `a` (the
/// story), `o` (its outlet), `s` (its section), `origin` (the outlet it credits).
pub(crate) fn push_columns(q: &mut QueryBuilder<'_, Postgres>, full: bool) {
    q.push("select a.id, a.outlet_id, o.slug as outlet_slug, o.name as outlet_name, a.slug, a.headline, a.standfirst, ")
        .push(if full { "a.body_html" } else { "null::text as body_html" })
        .push(", a.section_id, s.slug as section_slug, s.name as section_name, (select coalesce(jsonb_agg(jsonb_build_object('name', au.name, 'slug', au.slug")
        .push(if full { ", 'bio', au.bio" } else { "" })
        .push(
            ") order by x.position), '[]') from article_authors x join authors au on au.id = x.author_id
               where x.article_id = a.id) as authors,
             a.tags, a.language, a.status, a.version, a.canonical_url, a.translation_of,
             origin.slug as origin_slug, origin.name as origin_name, origin.website as origin_website,
             a.origin_url, a.created_at, a.updated_at, a.first_published_at, a.published_at, a.embargo_until, ",
        )
        .push(if full {
            "(select coalesce(jsonb_agg(jsonb_build_object('note', c.note, 'created_at', c.created_at)
                order by c.created_at, c.id), '[]') from article_corrections c where c.article_id = a.id)"
        } else {
            "'[]'::jsonb"
        })
        .push(
            " as corrections, ",
        )
        .push(FEATURED_PICTURE)
        .push(
            " as featured_picture",
        );
}

/// ` from articles a join …`: what `push_columns` reads from.
pub(crate) fn push_from(q: &mut QueryBuilder<'_, Postgres>) {
    q.push(
        " from articles a
             join outlets o on o.id = a.outlet_id
             left join sections s on s.id = a.section_id
             left join outlets origin on origin.id = a.origin_outlet_id",
    );
}

/// Which stories a list shows: every filter is optional; `sections` empty means all.
#[derive(Debug, Default)]
pub struct StoryFilter {
    pub outlet: Option<Uuid>,
    pub sections: Vec<Uuid>,
    pub author: Option<Uuid>,
    pub tag: Option<String>,
    pub language: Option<String>,
    /// Words to search for (web search syntax), matched like the staff search.
    pub q: Option<String>,
}

/// The keyset position of a story in "newest first" order.
pub type After = (DateTime<Utc>, Uuid);

/// Visible stories, newest first by `published_at` (then id), after `after`. One statement:
/// the page's ids come from two walks merged, the stories live for good (`articles_live_*`
/// indexes) and the few whose embargo has passed but is not released yet
/// (`articles_embargo_idx`), so a story still under embargo is never walked, however many
/// there are (issue #19). Both walks also apply the visibility rule itself.
pub async fn list(
    db: impl PgExecutor<'_>,
    f: &StoryFilter,
    after: Option<After>,
    limit: i64,
    now: DateTime<Utc>,
    full: bool,
) -> sqlx::Result<Vec<StoryRow>> {
    let mut q = QueryBuilder::new("");
    select(&mut q, full);
    q.push(" join ((");
    push_walk(&mut q, Walk::Live, f, after, limit, now);
    q.push(") union all (");
    push_walk(&mut q, Walk::Lifted, f, after, limit, now);
    q.push(") order by published_at desc, id desc limit ")
        .push_bind(limit)
        .push(") page on page.id = a.id order by a.published_at desc, a.id desc");
    q.build_query_as().fetch_all(db).await
}

/// The two kinds of visible story a list walks apart.
#[derive(Clone, Copy)]
enum Walk {
    /// Published with no embargo, or with one that was released: the `articles_live_*`
    /// indexes' predicate, word for word, so the planner can use them.
    Live,
    /// Published under an embargo not released yet whose time has come:
    /// `articles_embargo_idx`'s predicate, read up to now.
    Lifted,
}

/// `select a.id, a.published_at from articles a where …` for one walk: the visibility rule,
/// the filters and the cursor, newest first, at most `limit`.
fn push_walk(
    q: &mut QueryBuilder<'_, Postgres>,
    walk: Walk,
    f: &StoryFilter,
    after: Option<After>,
    limit: i64,
    now: DateTime<Utc>,
) {
    q.push("select a.id, a.published_at from articles a where a.published_at is not null and ");
    match walk {
        Walk::Live => q.push(
            "a.status = 'published' and (a.embargo_until is null or a.embargo_released_at is not null)",
        ),
        // The bound on `embargo_until` is what the index scan stops at (the rule's `or`
        // is only a filter): the embargoes still running are never read.
        Walk::Lifted => q
            .push("a.status = 'published' and a.embargo_released_at is null and a.embargo_until is not null and a.embargo_until <= ")
            .push_bind(now),
    };
    q.push(" and ");
    push_publicly_visible(q, "a", now);
    if let Some(outlet) = f.outlet {
        q.push(" and a.outlet_id = ").push_bind(outlet);
    }
    // One section is an equality, so the planner can use articles_live_section_idx.
    match f.sections.as_slice() {
        [] => {}
        [one] => {
            q.push(" and a.section_id = ").push_bind(*one);
        }
        many => {
            q.push(" and a.section_id = any(")
                .push_bind(many.to_vec())
                .push(")");
        }
    }
    if let Some(author) = f.author {
        q.push(" and exists (select 1 from article_authors y where y.article_id = a.id and y.author_id = ")
            .push_bind(author)
            .push(")");
    }
    if let Some(tag) = &f.tag {
        q.push(" and a.tags @> array[")
            .push_bind(tag.clone())
            .push("]::text[]");
    }
    if let Some(language) = &f.language {
        q.push(" and a.language = ").push_bind(language.clone());
    }
    if let Some(text) = &f.q {
        q.push(" and a.search @@ ");
        push_tsquery_expr(q, text, f.language.as_deref());
    }
    if let Some((at, id)) = after {
        q.push(" and (a.published_at, a.id) < (")
            .push_bind(at)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(" order by a.published_at desc, a.id desc limit ")
        .push_bind(limit);
}

/// The latest `count` visible stories, full: what a feed carries.
pub async fn latest(
    db: impl PgExecutor<'_>,
    f: &StoryFilter,
    count: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<StoryRow>> {
    list(db, f, None, count, now, true).await
}

/// Stories by id, full, in whatever state (a feed page: the caller makes tombstones of the
/// ones that are not visible).
pub async fn by_ids(db: impl PgExecutor<'_>, ids: &[Uuid]) -> sqlx::Result<Vec<StoryRow>> {
    let mut q = QueryBuilder::new("");
    select(&mut q, true);
    q.push(" where a.id = any(")
        .push_bind(ids.to_vec())
        .push(")");
    q.build_query_as().fetch_all(db).await
}

/// One story by id, full, in whatever state. Not `by_ids(&[id])`: with `= any($1)` of one id
/// PostgreSQL re-plans the prepared statement on every call (measured: planning took 4× the
/// execution).
pub async fn by_id(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<StoryRow>> {
    let mut q = QueryBuilder::new("");
    select(&mut q, true);
    q.push(" where a.id = ").push_bind(id);
    q.build_query_as().fetch_optional(db).await
}
