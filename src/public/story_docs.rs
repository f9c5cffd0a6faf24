//! Each story's public JSON made ahead (issue #19), in `story_docs`: what the public API
//! answers for one story, without its translations, which follow other stories' visibility
//! and are put in at the end when it is read. A read of one story is then one row by
//! (outlet, slug) with the visibility rule on the story's own row, plus its translations,
//! instead of a statement over seven tables; the server copies the bytes instead of decoding
//! and encoding the story.
//!
//! Why a doc is never stale: triggers (migration `20261207000101_story_docs`) set a story's
//! doc to null in the transaction that changes any input of it, and a null doc is read the
//! old way. Docs are made by [`make_batch`] in REPEATABLE READ: it reads the inputs and writes
//! the docs in one snapshot, and a change committed in between has rewritten the doc's row, so
//! the write fails (a serialization error) and the doc is made again on the next pass.
//! Visibility is never in a doc: a takedown is seen by the next read, doc or not.

use sqlx::PgPool;
use uuid::Uuid;

use super::model::PublicStory;
use super::store::Translation;
use crate::error::Result;
use crate::stories::{self, StoryRow};

/// How many docs one pass makes at most (one statement reads them all).
pub const BATCH: usize = 500;

/// How every doc ends: `translations` is the last field, empty.
const EMPTY_END: &str = "\"translations\":[]}";

/// The doc of `row`: its public JSON with no translations.
pub fn render(row: StoryRow) -> Result<String> {
    let story = PublicStory::new(row, Vec::new());
    Ok(serde_json::to_string(&story).map_err(anyhow::Error::from)?)
}

/// The public JSON of a story from its doc and its visible translations: the bytes
/// `PublicStory::new(row, translations)` serialises to.
pub fn with_translations(doc: String, translations: &[Translation]) -> Result<Vec<u8>> {
    if translations.is_empty() {
        return Ok(doc.into_bytes());
    }
    let Some(head) = doc.strip_suffix(EMPTY_END) else {
        return Err(anyhow::anyhow!("a story doc does not end with its empty translations").into());
    };
    let list = serde_json::to_vec(translations).map_err(anyhow::Error::from)?;
    let mut out = Vec::with_capacity(doc.len() + list.len());
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(b"\"translations\":");
    out.extend_from_slice(&list);
    out.push(b'}');
    Ok(out)
}

/// Makes the docs of up to `limit` stories whose doc is null (any state: a draft's doc is
/// never served, but making it keeps the to-make index down to what is due), in one
/// REPEATABLE READ transaction; rows another instance is making are skipped. Returns how
/// many were made. A serialization failure means an input changed meanwhile: the caller
/// tries again later.
pub async fn make_batch(db: &PgPool, limit: usize) -> sqlx::Result<usize> {
    let mut tx = db.begin().await?;
    sqlx::query("set transaction isolation level repeatable read")
        .execute(&mut *tx)
        .await?;
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "select article_id from story_docs where doc is null
         order by article_id limit $1 for update skip locked",
    )
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(&mut *tx)
    .await?;
    if ids.is_empty() {
        tx.commit().await?;
        return Ok(0);
    }
    let rows = stories::by_ids(&mut *tx, &ids).await?;
    let mut made_ids = Vec::with_capacity(rows.len());
    let mut docs = Vec::with_capacity(rows.len());
    for row in rows {
        let id = row.id;
        match render(row) {
            Ok(doc) => {
                made_ids.push(id);
                docs.push(doc);
            }
            Err(err) => tracing::error!(article = %id, error = %err, "cannot make a story doc"),
        }
    }
    sqlx::query(
        "update story_docs d set doc = x.doc,
             translated = exists (select from articles t where t.translation_of = x.id)
                 or exists (select from articles a where a.id = x.id and a.translation_of is not null)
         from unnest($1::uuid[], $2::text[]) as x (id, doc) where d.article_id = x.id",
    )
    .bind(&made_ids)
    .bind(&docs)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(made_ids.len())
}

/// Makes every doc that is due, batch after batch; errors end the pass (the next one
/// retries). Returns how many were made.
pub async fn make_due(db: &PgPool) -> sqlx::Result<usize> {
    let mut made = 0;
    loop {
        let n = make_batch(db, BATCH).await?;
        made += n;
        if n < BATCH {
            return Ok(made);
        }
    }
}

/// Whether `err` is PostgreSQL refusing a write made from a snapshot that a concurrent
/// change made stale (SQLSTATE 40001): expected now and then, not an error to report.
pub fn is_stale_snapshot(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .and_then(|e| e.code())
        .is_some_and(|code| code == "40001")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn translation(language: &str) -> Translation {
        Translation {
            id: Uuid::now_v7(),
            language: language.into(),
            outlet: "dawn".into(),
            slug: format!("story-{language}"),
            headline: format!("A story in {language}"),
        }
    }

    #[test]
    fn a_doc_ends_with_its_empty_translations() {
        let doc = render(StoryRow::example("<p>Hi</p>")).unwrap();
        assert!(doc.ends_with(EMPTY_END), "{doc}");
    }

    #[test]
    fn a_doc_with_translations_is_the_story_serialised_with_them() {
        let row = StoryRow::example("<p>Hi \"there\"</p>");
        for translations in [
            vec![],
            vec![translation("fr")],
            vec![translation("fr"), translation("ur")],
        ] {
            let whole =
                serde_json::to_vec(&PublicStory::new(row.clone(), translations.clone())).unwrap();
            let made = with_translations(render(row.clone()).unwrap(), &translations).unwrap();
            assert_eq!(
                String::from_utf8(made).unwrap(),
                String::from_utf8(whole).unwrap()
            );
        }
    }

    #[test]
    fn a_doc_of_another_shape_is_refused_not_patched() {
        let err = with_translations("{\"id\":1}".into(), &[translation("fr")]);
        assert!(err.is_err());
    }
}
