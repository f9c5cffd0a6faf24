//! How many stories pass the list's filters, per status, up to a cap.

use sqlx::{PgPool, Postgres, QueryBuilder};

use super::query::{push_filters, ListFilter};
use crate::articles::rules::Status;

/// Counts stop here: a count above it is shown as "more than". At 100,000 stories (90 %
/// published) an exact `count(*)` per status took 22 ms for an admin and 62 ms for a writer
/// (a parallel seq scan); capped, through `articles_status_outlet_idx`, 1 ms.
pub const COUNT_CAP: i64 = 1_000;

/// For each status, how many stories pass `f` in it, up to [`COUNT_CAP`] + 1 (more is not
/// counted); `f.status` and `f.q` play no part (the caller refuses a count with `q`).
pub async fn by_status(db: &PgPool, f: &ListFilter) -> sqlx::Result<Vec<(Status, i64)>> {
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(
        "select s.status, (select count(*) from (select 1 from articles a where a.status = s.status",
    );
    push_filters(&mut q, f, "a");
    q.push(" limit ")
        .push_bind(COUNT_CAP + 1)
        .push(") x) from unnest(enum_range(null::article_status)) s(status)");
    q.build_query_as().fetch_all(db).await
}
