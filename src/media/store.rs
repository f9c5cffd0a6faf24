//! SQL of pictures: blobs, assets (read joined with their blob), the library query, and the
//! stories that use a picture.

use sqlx::{PgExecutor, Postgres, QueryBuilder};
use uuid::Uuid;

use super::{Blob, Picture};

const PICTURE: &str =
    "select a.id, a.outlet_id, a.filename, a.caption, a.credit, a.copyright_notice,
    a.usage_terms, a.alt_text, a.captured_at, a.focal_x, a.focal_y, b.width, b.height,
    b.source_format, a.version, a.created_by, a.created_at, a.updated_at, a.blob_id,
    b.master_sha256, b.has_alpha
    from media_assets a join media_blobs b on b.id = a.blob_id";

const BLOB: &str = "id, upload_sha256, master_sha256, source_format, master_format, width, height,
    has_alpha, master_bytes, embedded, created_at";

pub(super) async fn blob_by_upload(
    db: impl PgExecutor<'_>,
    sha256: &str,
) -> sqlx::Result<Option<Blob>> {
    sqlx::query_as(&format!(
        "select {BLOB} from media_blobs where upload_sha256 = $1"
    ))
    .bind(sha256)
    .fetch_optional(db)
    .await
}

/// A blob of this master (several uploads can make one master: the same pixels with
/// different metadata); its size and its alpha are the same for all of them.
pub(super) async fn blob_by_master(
    db: impl PgExecutor<'_>,
    master_sha256: &str,
) -> sqlx::Result<Option<Blob>> {
    sqlx::query_as(&format!(
        "select {BLOB} from media_blobs where master_sha256 = $1 order by id limit 1"
    ))
    .bind(master_sha256)
    .fetch_optional(db)
    .await
}

/// Inserts `blob` unless a blob of the same upload exists, and returns the one stored (and
/// locked, so a concurrent delete of its last asset waits for this transaction).
pub(super) async fn insert_blob(db: &mut sqlx::PgConnection, blob: &Blob) -> sqlx::Result<Blob> {
    sqlx::query(
        "insert into media_blobs (id, upload_sha256, master_sha256, source_format, master_format,
            width, height, has_alpha, master_bytes, embedded, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         on conflict (upload_sha256) do nothing",
    )
    .bind(blob.id)
    .bind(&blob.upload_sha256)
    .bind(&blob.master_sha256)
    .bind(&blob.source_format)
    .bind(&blob.master_format)
    .bind(blob.width)
    .bind(blob.height)
    .bind(blob.has_alpha)
    .bind(blob.master_bytes)
    .bind(&blob.embedded)
    .bind(blob.created_at)
    .execute(&mut *db)
    .await?;
    sqlx::query_as(&format!(
        "select {BLOB} from media_blobs where upload_sha256 = $1 for update"
    ))
    .bind(&blob.upload_sha256)
    .fetch_one(&mut *db)
    .await
}

/// The asset of `outlet` made from `blob`, if there is one.
pub(super) async fn asset_of(
    db: impl PgExecutor<'_>,
    outlet: Uuid,
    blob: Uuid,
) -> sqlx::Result<Option<Picture>> {
    sqlx::query_as(&format!(
        "{PICTURE} where a.outlet_id = $1 and a.blob_id = $2"
    ))
    .bind(outlet)
    .bind(blob)
    .fetch_optional(db)
    .await
}

pub(super) async fn get(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Picture>> {
    sqlx::query_as(&format!("{PICTURE} where a.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

pub(super) async fn get_for_update(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> sqlx::Result<Option<Picture>> {
    sqlx::query_as(&format!("{PICTURE} where a.id = $1 for update of a"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Pictures by id, in no particular order (missing ids are simply absent).
pub(super) async fn many(db: impl PgExecutor<'_>, ids: &[Uuid]) -> sqlx::Result<Vec<Picture>> {
    sqlx::query_as(&format!("{PICTURE} where a.id = any($1)"))
        .bind(ids)
        .fetch_all(db)
        .await
}

/// Inserts or overwrites the asset fields of `p` (by id).
pub(super) async fn save(db: impl PgExecutor<'_>, p: &Picture) -> sqlx::Result<()> {
    sqlx::query(
        "insert into media_assets (id, outlet_id, blob_id, filename, caption, credit,
            copyright_notice, usage_terms, alt_text, captured_at, focal_x, focal_y, version,
            created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         on conflict (id) do update set filename = $4, caption = $5, credit = $6,
            copyright_notice = $7, usage_terms = $8, alt_text = $9, captured_at = $10,
            focal_x = $11, focal_y = $12, version = $13, updated_at = $16",
    )
    .bind(p.id)
    .bind(p.outlet_id)
    .bind(p.blob_id)
    .bind(&p.filename)
    .bind(&p.caption)
    .bind(&p.credit)
    .bind(&p.copyright_notice)
    .bind(&p.usage_terms)
    .bind(&p.alt_text)
    .bind(p.captured_at)
    .bind(p.focal_point.x)
    .bind(p.focal_point.y)
    .bind(p.version)
    .bind(p.created_by)
    .bind(p.created_at)
    .bind(p.updated_at)
    .execute(db)
    .await?;
    Ok(())
}

/// The library's filters. `outlets` none: every outlet (admins).
pub struct ListFilter {
    pub outlets: Option<Vec<Uuid>>,
    pub outlet_id: Option<Uuid>,
    pub q: Option<String>,
}

/// Newest first, keyset after the id `after` (ids are UUID v7: they sort by time).
pub(super) async fn list(
    db: impl PgExecutor<'_>,
    f: &ListFilter,
    after: Option<Uuid>,
    limit: i64,
) -> sqlx::Result<Vec<Picture>> {
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(format!("{PICTURE} where true"));
    if let Some(outlets) = &f.outlets {
        q.push(" and a.outlet_id = any(")
            .push_bind(outlets)
            .push(")");
    }
    if let Some(outlet) = f.outlet_id {
        q.push(" and a.outlet_id = ").push_bind(outlet);
    }
    if let Some(text) = &f.q {
        let pattern = format!("%{}%", crate::domain::escape_like(text));
        q.push(" and (a.caption ilike ")
            .push_bind(pattern.clone())
            .push(" or a.credit ilike ")
            .push_bind(pattern.clone())
            .push(" or a.filename ilike ")
            .push_bind(pattern)
            .push(")");
    }
    if let Some(after) = after {
        q.push(" and a.id < ").push_bind(after);
    }
    q.push(" order by a.id desc limit ").push_bind(limit + 1);
    q.build_query_as().fetch_all(db).await
}

pub(super) async fn delete_asset(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query("delete from media_assets where id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Deletes the blob when no asset is left on it; true when it was deleted.
pub(super) async fn delete_blob_if_unused(
    db: impl PgExecutor<'_>,
    blob: Uuid,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "delete from media_blobs b where b.id = $1
           and not exists (select 1 from media_assets a where a.blob_id = b.id)",
    )
    .bind(blob)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether any blob still has this master (its files must then stay).
pub(super) async fn master_in_use(db: impl PgExecutor<'_>, master: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("select exists (select 1 from media_blobs where master_sha256 = $1)")
        .bind(master)
        .fetch_one(db)
        .await
}

/// The focal points of every asset on blobs of this master (crops exist only for these).
pub(super) async fn focal_points(
    db: impl PgExecutor<'_>,
    master: &str,
) -> sqlx::Result<Vec<(f64, f64)>> {
    sqlx::query_as(
        "select a.focal_x, a.focal_y from media_assets a join media_blobs b on b.id = a.blob_id
         where b.master_sha256 = $1",
    )
    .bind(master)
    .fetch_all(db)
    .await
}

/// The stories that use a picture: (id, headline), by headline.
pub(super) async fn stories_using(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> sqlx::Result<Vec<(Uuid, String)>> {
    sqlx::query_as(
        "select distinct ar.id, ar.headline from media_uses u join articles ar on ar.id = u.article_id
         where u.media_id = $1 order by ar.headline",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

/// Whether a picture of master `master` is used by a story publicly visible at `now`, or
/// belongs to one of `outlets`. Walks media_blobs by master, media_assets by blob, media_uses
/// by picture (its primary key) and articles by id: all indexed.
pub(super) async fn master_shown(
    db: impl PgExecutor<'_>,
    master: &str,
    now: chrono::DateTime<chrono::Utc>,
    outlets: &[Uuid],
) -> sqlx::Result<bool> {
    let mut q = QueryBuilder::<Postgres>::new(
        "select exists (select 1 from media_blobs b join media_assets a on a.blob_id = b.id
         where b.master_sha256 = ",
    );
    q.push_bind(master.to_owned())
        .push(" and (a.outlet_id = any(")
        .push_bind(outlets.to_vec())
        .push(
            ") or exists (select 1 from media_uses u join articles ar on ar.id = u.article_id
         where u.media_id = a.id and ",
        );
    crate::articles::push_publicly_visible(&mut q, "ar", now);
    q.push(")))");
    q.build_query_scalar().fetch_one(db).await
}
