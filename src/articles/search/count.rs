//! How many stories pass the list's filters, per status.

use sqlx::{PgPool, Postgres, QueryBuilder};

use super::query::{push_filters, push_tsquery, ListFilter};
use crate::articles::rules::Status;

/// The number of stories that pass `f` in each status that has any (`f.status` applies too,
/// so a caller wanting every status clears it).
pub async fn by_status(db: &PgPool, f: &ListFilter) -> sqlx::Result<Vec<(Status, i64)>> {
    let mut q: QueryBuilder<Postgres> =
        QueryBuilder::new("select a.status, count(*) from articles a");
    match &f.q {
        Some(text) => {
            q.push(", ");
            push_tsquery(&mut q, text, f.language.as_deref());
            q.push(" where a.search @@ tsq.query");
        }
        None => {
            q.push(" where true");
        }
    }
    push_filters(&mut q, f, "a");
    q.push(" group by a.status");
    // With `q`, planned for its words every time, as the list's own search is.
    q.build_query_as()
        .persistent(f.q.is_none())
        .fetch_all(db)
        .await
}
