//! The principals of the matrix, one per column: anonymous, staff of outlets A and B, an
//! admin, partner keys with and without entitlement, a revoked and an expired key, and the
//! token of a user deactivated since they signed in.

use actix_web::http::Method;
use newsroom::domain::Role;
use serde_json::json;
use uuid::Uuid;

use super::Call;
use crate::helpers::{id_of, Desk, TestApp, TestUser};

/// Column names, in the order of every table's statuses.
pub const COLUMNS: [&str; 12] = [
    "anon", "wrA", "wrA2", "edA", "wrB", "edB", "admin", "keyA", "keyB", "revoked", "expired",
    "gone",
];

/// The writer of outlet A who owns the articles of the article tables.
pub const OWNER: usize = 1;
pub const ADMIN: usize = 6;
pub const KEY_A: usize = 7;

/// How long the detail of a mismatching answer may be in the report.
const DETAIL: usize = 160;

pub struct Principals {
    /// Outlet A, with a section and an author: where the targets live.
    pub a: Desk,
    /// Outlet B: the principals' other outlet.
    pub b: Desk,
    pub admin: TestUser,
    /// The partner entitled to outlet A (keys `keyA`, `revoked` and `expired`).
    pub partner_a: Uuid,
    staff: Vec<Option<(TestUser, Role, Vec<Uuid>)>>,
    credentials: Vec<Option<String>>,
}

impl Principals {
    pub async fn new(app: &TestApp) -> Principals {
        let admin = app.admin().await;
        let a = app.newsroom(&admin, "outlet-a").await;
        let b = app.newsroom(&admin, "outlet-b").await;
        let members = [
            (Role::Writer, vec![a.outlet]),
            (Role::Writer, vec![a.outlet]),
            (Role::Editor, vec![a.outlet]),
            (Role::Writer, vec![b.outlet]),
            (Role::Editor, vec![b.outlet]),
        ];
        let mut staff = vec![None];
        for (role, outlets) in members {
            let user = app.user(role, &outlets).await;
            staff.push(Some((user, role, outlets)));
        }
        staff.push(Some((admin.clone(), Role::Admin, Vec::new())));
        let (partner_a, key_a) = app
            .partner(
                &admin,
                json!({"name": "Partner A", "outlet_ids": [a.outlet]}),
            )
            .await;
        let (_, key_b) = app
            .partner(
                &admin,
                json!({"name": "Partner B", "outlet_ids": [b.outlet]}),
            )
            .await;
        let revoked = new_key(app, &admin, partner_a).await;
        app.delete(
            &format!("/api/v1/partners/{partner_a}/keys/{}", revoked.0),
            &admin.token,
        )
        .await
        .assert_status(204);
        let expired = new_key(app, &admin, partner_a).await;
        sqlx::query("update api_keys set expires_at = $2 where id = $1")
            .bind(expired.0)
            .bind(app.clock.now() - chrono::Duration::minutes(1))
            .execute(&app.state.db)
            .await
            .expect("expire the key");
        let gone = app.user(Role::Editor, &[a.outlet]).await;
        app.delete(&format!("/api/v1/users/{}", gone.id), &admin.token)
            .await
            .assert_status(200);

        let mut credentials: Vec<Option<String>> = staff
            .iter()
            .map(|s| s.as_ref().map(|(u, _, _)| u.token.clone()))
            .collect();
        credentials.extend([key_a, key_b, revoked.1, expired.1, gone.token].map(Some));
        staff.extend([None, None, None, None, None]);
        assert_eq!(credentials.len(), COLUMNS.len());
        Principals {
            a,
            b,
            admin,
            partner_a,
            staff,
            credentials,
        }
    }

    /// The staff user of a column (none for anonymous, keys and the deactivated user).
    pub fn user(&self, column: usize) -> Option<&TestUser> {
        self.staff[column].as_ref().map(|(u, _, _)| u)
    }

    pub fn owner(&self) -> &TestUser {
        self.user(OWNER).expect("the owner is staff")
    }

    /// A new signed-in user like the one of `column` (none for the other columns), for cells
    /// whose target is the caller's own account or session.
    pub async fn stand_in(&self, app: &TestApp, column: usize) -> Option<TestUser> {
        match &self.staff[column] {
            Some((_, role, outlets)) => Some(app.user(*role, outlets).await),
            None => None,
        }
    }

    /// Sends `call` as the principal of `column`: its status (list rows: 200 listed, 404
    /// absent) and, for the report, the start of the body.
    pub async fn answer(&self, app: &TestApp, column: usize, call: &Call) -> (u16, String) {
        let credential = call
            .token
            .clone()
            .or_else(|| self.credentials[column].clone());
        let mut headers: Vec<(&str, String)> =
            call.headers.iter().map(|(n, v)| (*n, v.clone())).collect();
        if let Some(credential) = credential {
            headers.push(("authorization", format!("Bearer {credential}")));
        }
        if let Some((content_type, _)) = &call.body {
            headers.push(("content-type", (*content_type).to_owned()));
        }
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let body = call.body.as_ref().map(|(_, b)| b.clone());
        let res = app
            .send(call.method.clone(), &call.path, &headers, body)
            .await;
        let mut status = res.status.as_u16();
        if let (200, Some(needle)) = (status, &call.listed) {
            if !res.text.contains(needle.as_str()) {
                status = 404;
            }
        }
        let detail: String = res.text.chars().take(DETAIL).collect();
        (status, detail)
    }
}

/// A key of `partner`: (key id, key).
async fn new_key(app: &TestApp, admin: &TestUser, partner: Uuid) -> (Uuid, String) {
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/partners/{partner}/keys"),
            Some(&admin.token),
            Some(json!({})),
        )
        .await;
    res.assert_status(201);
    (
        id_of(&res),
        res.body["key"].as_str().expect("a key").to_owned(),
    )
}
