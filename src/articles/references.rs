//! The checks of a saved article that need the database: references that exist (and that the
//! caller may see), and a free slug for one derived from the headline.

use uuid::Uuid;

use super::model::Article;
use super::rules::can_see;
use super::store;
use crate::auth::CurrentUser;
use crate::db::{all_exist, Table};
use crate::domain::{Slug, MAX_SLUG_LEN};
use crate::error::{AppError, FieldErrors, Result};

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
    if let Some(section) = a.content.section_id {
        if !all_exist(&mut **tx, Table::Sections, &[section]).await? {
            errors.insert(
                "section_id".into(),
                vec!["names a section that does not exist".into()],
            );
        }
    }
    let mut authors = a.content.author_ids.clone();
    authors.sort();
    authors.dedup();
    if authors.len() != a.content.author_ids.len() {
        errors.insert("author_ids".into(), vec!["lists an author twice".into()]);
    } else if !all_exist(&mut **tx, Table::Authors, &authors).await? {
        errors.insert(
            "author_ids".into(),
            vec!["names an author that does not exist".into()],
        );
    }
    if let Some(original) = a.content.translation_of {
        let kept = before.is_some_and(|b| b.content.translation_of == Some(original));
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
    if let Some(origin) = a.content.origin_outlet_id {
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

/// How many derived slugs one statement asks about.
const SLUG_PROBES: u32 = 64;

/// `base`, or `base-2`, `base-3`… whichever this outlet does not use yet: asked in batches
/// (`base` and the first 63 derived, then the next 64…), each one statement of equality probes.
pub async fn free_slug(
    tx: &mut sqlx::PgTransaction<'_>,
    outlet: Uuid,
    base: &Slug,
) -> Result<Slug> {
    let base = base.as_str();
    // Suffixes keep the slug within its limit: `…-2` replaces the stem's last characters.
    let candidate = |n: u32| {
        let suffix = format!("-{n}");
        let stem: String = base.chars().take(MAX_SLUG_LEN - suffix.len()).collect();
        format!("{}{suffix}", stem.trim_end_matches('-'))
    };
    let mut batch = vec![base.to_owned()];
    let mut next = 2u32;
    while next < u32::MAX - SLUG_PROBES {
        let end = next + SLUG_PROBES - u32::try_from(batch.len()).unwrap_or(0);
        batch.extend((next..end).map(candidate));
        next = end;
        let taken = store::slugs_taken(&mut **tx, outlet, &batch).await?;
        if let Some(free) = batch.iter().find(|s| !taken.contains(s)) {
            return Slug::parse_any_script("slug", free);
        }
        batch.clear();
    }
    Err(AppError::Validation(FieldErrors::from([(
        "slug".into(),
        vec!["has no free derived form left in this outlet".into()],
    )])))
}
