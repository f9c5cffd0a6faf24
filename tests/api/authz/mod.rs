//! The authorization matrix of the whole API, as data: route × object state × principal ->
//! expected status. Each table (one file per area) is a text block with one row per route
//! and state; `run` sends every cell and reports every mismatch at once. `completeness`
//! checks that every operation of the OpenAPI document, and every route registered without
//! one, has a row. How to read and extend the tables: `docs/testing.md`.

mod article_changes;
mod article_reads;
mod catalogue;
mod completeness;
mod desk;
mod media;
mod newsletters;
mod operations;
mod partners;
mod principals;
mod site;

use actix_web::http::Method;
use futures_util::{stream, StreamExt};
use serde_json::Value;

use crate::helpers::TestApp;
pub use principals::{Principals, ADMIN, COLUMNS, KEY_A};

/// One row of a table: the route as the OpenAPI document writes it, the state of the target,
/// and the expected status for each principal of `COLUMNS`, in order.
#[derive(Clone, Debug)]
pub struct Row {
    pub method: Method,
    pub path: &'static str,
    pub state: &'static str,
    pub expected: Vec<u16>,
}

/// Parses a table. A line is `METHOD PATH STATE` and one status per principal; blank lines
/// and lines starting with `#` are skipped.
pub fn rows(table: &'static str) -> Vec<Row> {
    table
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            let parts: Vec<&'static str> = line.split_whitespace().collect();
            assert_eq!(
                parts.len(),
                3 + COLUMNS.len(),
                "a row needs a method, a path, a state and {} statuses: `{line}`",
                COLUMNS.len()
            );
            Row {
                method: parts[0].parse().expect("an HTTP method"),
                path: parts[1],
                state: parts[2],
                expected: parts[3..]
                    .iter()
                    .map(|s| s.parse().expect("a status"))
                    .collect(),
            }
        })
        .collect()
}

/// The concrete request of one cell.
#[derive(Clone, Debug)]
pub struct Call {
    pub method: Method,
    pub path: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<(&'static str, Vec<u8>)>,
    /// For list rows: the cell answers 200 when the (200) response mentions this text and
    /// 404 when it does not, so a list that leaks or hides the target is a mismatch.
    pub listed: Option<String>,
    /// A token sent instead of the principal's own: a stand-in's, for cells whose target is
    /// the caller's account or session (logout, password change, self-deactivation).
    pub token: Option<String>,
}

impl Call {
    pub fn new(method: Method, path: impl Into<String>) -> Call {
        Call {
            method,
            path: path.into(),
            headers: Vec::new(),
            body: None,
            listed: None,
            token: None,
        }
    }

    pub fn get(path: impl Into<String>) -> Call {
        Call::new(Method::GET, path)
    }

    pub fn json(mut self, body: Value) -> Call {
        self.body = Some(("application/json", body.to_string().into_bytes()));
        self
    }

    pub fn raw(mut self, content_type: &'static str, body: &[u8]) -> Call {
        self.body = Some((content_type, body.to_vec()));
        self
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Call {
        self.headers.push((name, value.into()));
        self
    }

    pub fn if_match(self, version: i64) -> Call {
        self.header("if-match", format!("\"{version}\""))
    }

    pub fn listing(mut self, needle: impl Into<String>) -> Call {
        self.listed = Some(needle.into());
        self
    }

    /// Sends the request with `token`, when there is one, instead of the principal's own.
    pub fn token(mut self, token: Option<String>) -> Call {
        self.token = token;
        self
    }
}

/// A table's fixture: builds the request of a cell. Rows that only read share targets made
/// once per table; a row that changes something gets a fresh target for every cell, so no
/// cell can spoil the next.
pub trait Fixture {
    /// The request for `row` as principal number `who` (some targets depend on the caller,
    /// such as "the user themselves").
    async fn call(&self, app: &TestApp, who: &Principals, row: &Row, column: usize) -> Call;
}

/// Sends every cell of `table`, a few at a time, and fails with the list of mismatches, if
/// any.
pub async fn run(app: &TestApp, who: &Principals, fixture: &impl Fixture, table: &'static str) {
    let mut mismatches = Vec::new();
    let mut cells = 0;
    let mut seen = std::collections::HashSet::new();
    for row in rows(table) {
        assert!(
            seen.insert((row.method.clone(), row.path, row.state)),
            "row {} {} [{}] appears twice",
            row.method,
            row.path,
            row.state
        );
        let answers: Vec<(u16, String)> = stream::iter(0..COLUMNS.len())
            .map(|column| {
                let row = &row;
                async move {
                    let call = fixture.call(app, who, row, column).await;
                    who.answer(app, column, &call).await
                }
            })
            .buffered(CELLS_AT_ONCE)
            .collect()
            .await;
        for (column, (got, detail)) in answers.into_iter().enumerate() {
            cells += 1;
            let want = row.expected[column];
            if got != want {
                mismatches.push(format!(
                    "{} {} [{}] as {}: expected {want}, got {got} {detail}",
                    row.method, row.path, row.state, COLUMNS[column]
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {cells} cells mismatch:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// Cells of a row sent at once: enough to overlap waiting, few enough that a loaded
/// machine answers each within the test client's timeout.
const CELLS_AT_ONCE: usize = 4;

/// Every table, for the completeness check.
pub fn all_tables() -> Vec<&'static str> {
    vec![
        catalogue::TABLE,
        article_reads::TABLE,
        article_changes::TABLE,
        partners::TABLE,
        newsletters::TABLE,
        operations::TABLE,
        media::TABLE,
        desk::TABLE,
        site::TABLE,
    ]
}
