//! `newsroom seed --articles N`: realistic stories written with COPY, once, that every API
//! serves like stories made through the API. This file holds the SQL read-backs the tests
//! share.

mod runs;
mod served;
mod subscribers;

use uuid::Uuid;

use crate::helpers::TestApp;

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.state.db)
        .await
        .expect(sql)
}

async fn ids(app: &TestApp, sql: &str) -> Vec<Uuid> {
    sqlx::query_scalar(sql)
        .fetch_all(&app.state.db)
        .await
        .expect(sql)
}
