//! The checks every saved article passes: complete enough to publish, references that exist,
//! a free slug; and how a PATCH applies to an article.

use uuid::Uuid;

use super::model::Article;
use super::service::{can_see, ArticleChanges};
use super::store;
use crate::auth::CurrentUser;
use crate::db::{all_exist, Table};
use crate::domain::MAX_SLUG_LEN;
use crate::error::{AppError, FieldErrors, Result};

/// What publishing needs: a headline, a body, a section and at least one author.
pub fn check_publishable(a: &Article) -> Result<()> {
    let mut errors = FieldErrors::new();
    if a.headline.trim().is_empty() {
        errors.insert("headline".into(), vec!["is required to publish".into()]);
    }
    if a.body.trim().is_empty() {
        errors.insert("body".into(), vec!["is required to publish".into()]);
    }
    if a.section_id.is_none() {
        errors.insert("section_id".into(), vec!["is required to publish".into()]);
    }
    if a.author_ids.is_empty() {
        errors.insert(
            "author_ids".into(),
            vec!["needs at least one author to publish".into()],
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

pub fn apply(a: &mut Article, c: ArticleChanges) {
    if let Some(headline) = c.headline {
        a.headline = headline;
    }
    if let Some(slug) = c.slug {
        a.slug = slug;
    }
    if let Some(v) = c.standfirst {
        a.standfirst = v;
    }
    if let Some(v) = c.body {
        a.body = v;
    }
    if let Some(v) = c.section_id {
        a.section_id = v;
    }
    if let Some(v) = c.author_ids {
        a.author_ids = v;
    }
    if let Some(v) = c.tags {
        a.tags = v;
    }
    if let Some(v) = c.language {
        a.language = v;
    }
    if let Some(v) = c.canonical_url {
        a.canonical_url = v;
    }
    if let Some(v) = c.translation_of {
        a.translation_of = v;
    }
    if let Some(v) = c.origin_outlet_id {
        a.origin_outlet_id = v;
    }
    if let Some(v) = c.origin_url {
        a.origin_url = v;
    }
    if let Some(v) = c.embargo_until {
        a.embargo_until = v;
    }
}

/// Every reference must exist: section, authors, translated article, origin outlet. A newly
/// named translated article must also be one `by` may see: another outlet's unpublished story
/// is answered as if it did not exist, so the field cannot probe for it. `before` is the
/// article as it was (none on create); a reference it already had is kept without the check.
pub async fn check_references(
    tx: &mut sqlx::PgTransaction<'_>,
    by: &CurrentUser,
    before: Option<&Article>,
    a: &Article,
) -> Result<()> {
    let mut errors = FieldErrors::new();
    if let Some(section) = a.section_id {
        if !all_exist(&mut **tx, Table::Sections, &[section]).await? {
            errors.insert(
                "section_id".into(),
                vec!["names a section that does not exist".into()],
            );
        }
    }
    let mut authors = a.author_ids.clone();
    authors.sort();
    authors.dedup();
    if authors.len() != a.author_ids.len() {
        errors.insert("author_ids".into(), vec!["lists an author twice".into()]);
    } else if !all_exist(&mut **tx, Table::Authors, &authors).await? {
        errors.insert(
            "author_ids".into(),
            vec!["names an author that does not exist".into()],
        );
    }
    if let Some(original) = a.translation_of {
        let kept = before.is_some_and(|b| b.translation_of == Some(original));
        let found = if original == a.id {
            None
        } else {
            store::get(&mut **tx, original).await?
        };
        if !found.is_some_and(|o| kept || can_see(by, &o)) {
            errors.insert(
                "translation_of".into(),
                vec!["must name another existing article".into()],
            );
        }
    }
    if let Some(origin) = a.origin_outlet_id {
        if !all_exist(&mut **tx, Table::Outlets, &[origin]).await? {
            errors.insert(
                "origin_outlet_id".into(),
                vec!["names an outlet that does not exist".into()],
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// `base`, or `base-2`, `base-3`… whichever this outlet does not use yet.
pub async fn free_slug(
    tx: &mut sqlx::PgTransaction<'_>,
    outlet: Uuid,
    base: &str,
) -> Result<String> {
    let shortest: String = base.chars().take(MAX_SLUG_LEN - 12).collect();
    let taken = store::slugs_like(&mut **tx, outlet, base, shortest.trim_end_matches('-')).await?;
    if !taken.iter().any(|s| s == base) {
        return Ok(base.to_owned());
    }
    // Suffixes keep the slug within its limit: `…-2` replaces the stem's last characters.
    let candidate = |n: u32| {
        let suffix = format!("-{n}");
        let stem: String = base.chars().take(MAX_SLUG_LEN - suffix.len()).collect();
        format!("{}{suffix}", stem.trim_end_matches('-'))
    };
    let n = (2..).find(|n| !taken.contains(&candidate(*n))).unwrap_or(2);
    Ok(candidate(n))
}
