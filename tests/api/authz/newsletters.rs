//! Newsletters (staff read, admins change), issues (editors and admins; draft and sent;
//! `foreign`: a number that exists under another newsletter only), subscribers (admins), and
//! the public sign-up, confirmation and unsubscribe routes, where the token in the link is
//! the credential and a staff token or key changes nothing.

use actix_web::http::Method;
use serde_json::json;
use uuid::Uuid;

use super::{run, Call, Fixture, Principals, Row, ADMIN};
use crate::helpers::{id_of, id_str, TestApp};
use crate::subscriptions::{confirmation_link, sign_up};

pub const TABLE: &str = "
#      path                                              state     anon  wrA wrA2  edA  wrB  edB  adm keyA keyB  rvk  exp gone
GET    /api/v1/newsletters                               -          401  200  200  200  200  200  200  401  401  401  401  401
POST   /api/v1/newsletters                               -          401  403  403  403  403  403  201  401  401  401  401  401
GET    /api/v1/newsletters/{key}                         -          401  200  200  200  200  200  200  401  401  401  401  401
PATCH  /api/v1/newsletters/{key}                         -          401  403  403  403  403  403  200  401  401  401  401  401
DELETE /api/v1/newsletters/{key}                         -          401  403  403  403  403  403  204  401  401  401  401  401
POST   /api/v1/newsletters/{key}/issues                  -          401  403  403  201  403  201  201  401  401  401  401  401
GET    /api/v1/newsletters/{key}/issues/{number}         draft      401  403  403  200  403  200  200  401  401  401  401  401
GET    /api/v1/newsletters/{key}/issues/{number}         sent       401  403  403  200  403  200  200  401  401  401  401  401
GET    /api/v1/newsletters/{key}/issues/{number}         foreign    401  403  403  404  403  404  404  401  401  401  401  401
GET    /api/v1/newsletters/{key}/issues/{number}/preview draft      401  403  403  200  403  200  200  401  401  401  401  401
GET    /api/v1/newsletters/{key}/issues/{number}/preview sent       401  403  403  200  403  200  200  401  401  401  401  401
GET    /api/v1/newsletters/{key}/issues/{number}/preview foreign    401  403  403  404  403  404  404  401  401  401  401  401
POST   /api/v1/newsletters/{key}/issues/{number}/send    draft      401  403  403  200  403  200  200  401  401  401  401  401
POST   /api/v1/newsletters/{key}/issues/{number}/send    sent       401  403  403  200  403  200  200  401  401  401  401  401
POST   /api/v1/newsletters/{key}/issues/{number}/send    foreign    401  403  403  404  403  404  404  401  401  401  401  401
GET    /public/v1/newsletters/{slug}/latest              sent       200  200  200  200  200  200  200  200  200  200  200  200
GET    /public/v1/newsletters/{slug}/latest              none_sent  404  404  404  404  404  404  404  404  404  404  404  404
POST   /public/v1/newsletters/{slug}/subscribe           known      202  202  202  202  202  202  202  202  202  202  202  202
POST   /public/v1/newsletters/{slug}/subscribe           unknown    404  404  404  404  404  404  404  404  404  404  404  404
GET    /public/v1/subscriptions/confirm                  -          200  200  200  200  200  200  200  200  200  200  200  200
POST   /public/v1/subscriptions/confirm                  valid      200  200  200  200  200  200  200  200  200  200  200  200
POST   /public/v1/subscriptions/confirm                  used       422  422  422  422  422  422  422  422  422  422  422  422
GET    /public/v1/subscriptions/unsubscribe              -          200  200  200  200  200  200  200  200  200  200  200  200
POST   /public/v1/subscriptions/unsubscribe              valid      200  200  200  200  200  200  200  200  200  200  200  200
POST   /public/v1/subscriptions/unsubscribe              unknown    422  422  422  422  422  422  422  422  422  422  422  422
GET    /api/v1/subscribers                               -          401  403  403  403  403  403  200  401  401  401  401  401
GET    /api/v1/subscribers/{id}                          -          401  403  403  403  403  403  200  401  401  401  401  401
GET    /api/v1/subscribers/{id}/export                   -          401  403  403  403  403  403  200  401  401  401  401  401
DELETE /api/v1/subscribers/{id}                          -          401  403  403  403  403  403  204  401  401  401  401  401
GET    /api/v1/subscribers/export.csv                    -          401  403  403  403  403  403  200  401  401  401  401  401
POST   /api/v1/subscribers/import                        -          401  403  403  403  403  403  200  401  401  401  401  401
";

/// The newsletter the rows address (`letter`), one that never sent an issue
/// (`other-letter`), a published story for issues, its sent issue 1 and draft issue 2, and a
/// subscriber.
struct Newsletters {
    story: String,
    letter: Uuid,
    subscriber: Uuid,
}

const SENT: i64 = 1;
const DRAFT: i64 = 2;

fn email() -> String {
    format!("reader-{}@example.org", Uuid::now_v7().simple())
}

async fn subscriber_id(app: &TestApp, email: &str) -> Uuid {
    sqlx::query_scalar("select id from subscribers where email = $1")
        .bind(email)
        .fetch_one(&app.state.db)
        .await
        .expect("the subscriber")
}

impl Newsletters {
    async fn new(app: &TestApp, who: &Principals) -> Newsletters {
        let admin = who.user(ADMIN).expect("the admin");
        let mut ids = Vec::new();
        for slug in ["letter", "other-letter"] {
            let res = app
                .post(
                    "/api/v1/newsletters",
                    &admin.token,
                    json!({"slug": slug, "name": slug}),
                )
                .await;
            res.assert_status(201);
            ids.push(id_of(&res));
        }
        let story = id_str(&app.published(admin, &who.a, "A story", json!({})).await);
        let fixture = Newsletters {
            story,
            letter: ids[0],
            subscriber: Uuid::nil(),
        };
        assert_eq!(fixture.issue(app, who).await, SENT);
        app.post(
            "/api/v1/newsletters/letter/issues/1/send",
            &admin.token,
            json!({}),
        )
        .await
        .assert_status(200);
        assert_eq!(fixture.issue(app, who).await, DRAFT);
        let address = email();
        sign_up(app, "letter", &address).await.assert_status(202);
        Newsletters {
            subscriber: subscriber_id(app, &address).await,
            ..fixture
        }
    }

    /// Composes a new draft issue of `letter`; returns its number.
    async fn issue(&self, app: &TestApp, who: &Principals) -> i64 {
        let res = app
            .post(
                "/api/v1/newsletters/letter/issues",
                &who.admin.token,
                json!({"subject": "This week", "article_ids": [self.story]}),
            )
            .await;
        res.assert_status(201);
        res.body["number"].as_i64().expect("a number")
    }

    /// The issue path of a row: `foreign` addresses issue 1 under the newsletter that has none.
    async fn issue_path(&self, app: &TestApp, who: &Principals, row: &Row) -> String {
        let number = match (row.state, row.method == Method::GET) {
            ("foreign", _) => return "/api/v1/newsletters/other-letter/issues/1".into(),
            ("sent", _) => SENT,
            ("draft", true) => DRAFT,
            _ => self.issue(app, who).await,
        };
        format!("/api/v1/newsletters/letter/issues/{number}")
    }
}

impl Fixture for Newsletters {
    async fn call(&self, app: &TestApp, who: &Principals, row: &Row, _: usize) -> Call {
        let admin = &who.admin.token;
        match (row.method.as_str(), row.path) {
            ("GET", "/api/v1/newsletters") => Call::get(row.path),
            ("POST", "/api/v1/newsletters") => Call::new(Method::POST, row.path)
                .json(json!({"name": format!("Letter {}", Uuid::now_v7().simple())})),
            ("GET", "/api/v1/newsletters/{key}") => {
                Call::get(format!("/api/v1/newsletters/{}", self.letter))
            }
            (method, "/api/v1/newsletters/{key}") => {
                let res = app
                    .post(
                        "/api/v1/newsletters",
                        admin,
                        json!({"name": format!("Fresh {}", Uuid::now_v7().simple())}),
                    )
                    .await;
                res.assert_status(201);
                let call = Call::new(
                    method.parse().expect("a method"),
                    format!("/api/v1/newsletters/{}", id_of(&res)),
                );
                if method == "PATCH" {
                    call.json(json!({"description": "Changed."}))
                } else {
                    call
                }
            }
            ("POST", "/api/v1/newsletters/{key}/issues") => {
                Call::new(Method::POST, "/api/v1/newsletters/letter/issues")
                    .json(json!({"subject": "This week", "article_ids": [self.story]}))
            }
            ("GET", "/api/v1/newsletters/{key}/issues/{number}") => {
                Call::get(self.issue_path(app, who, row).await)
            }
            ("GET", "/api/v1/newsletters/{key}/issues/{number}/preview") => {
                Call::get(format!("{}/preview", self.issue_path(app, who, row).await))
            }
            ("POST", "/api/v1/newsletters/{key}/issues/{number}/send") => Call::new(
                Method::POST,
                format!("{}/send", self.issue_path(app, who, row).await),
            ),
            ("GET", "/public/v1/newsletters/{slug}/latest") => {
                let slug = if row.state == "sent" {
                    "letter"
                } else {
                    "other-letter"
                };
                Call::get(format!("/public/v1/newsletters/{slug}/latest"))
            }
            ("POST", "/public/v1/newsletters/{slug}/subscribe") => {
                let slug = if row.state == "known" {
                    "letter"
                } else {
                    "no-such-letter"
                };
                Call::new(
                    Method::POST,
                    format!("/public/v1/newsletters/{slug}/subscribe"),
                )
                .json(json!({"email": email(), "consent": true, "policy_version": "2026-11"}))
            }
            (
                "GET",
                "/public/v1/subscriptions/confirm" | "/public/v1/subscriptions/unsubscribe",
            ) => Call::get(format!("{}?token=nrsub_abc", row.path)),
            ("POST", "/public/v1/subscriptions/confirm") => {
                let address = email();
                sign_up(app, "letter", &address).await.assert_status(202);
                let (token, _) = confirmation_link(app, &address).await;
                let call = Call::new(Method::POST, row.path).json(json!({"token": token}));
                if row.state == "used" {
                    let first = app
                        .call(Method::POST, row.path, None, Some(json!({"token": token})))
                        .await;
                    first.assert_status(200);
                }
                call
            }
            ("POST", "/public/v1/subscriptions/unsubscribe") => {
                if row.state == "unknown" {
                    return Call::new(Method::POST, row.path)
                        .json(json!({"token": "nrsub_unknown"}));
                }
                let address = email();
                sign_up(app, "letter", &address).await.assert_status(202);
                let subscriber = subscriber_id(app, &address).await;
                let mut conn = app.state.db.acquire().await.expect("a connection");
                let url = newsroom::subscriptions::service::unsubscribe_url(
                    &mut conn,
                    &app.state,
                    subscriber,
                    self.letter,
                )
                .await
                .expect("an unsubscribe link");
                let path = url.split_once("newsroom.test").expect("our host").1;
                Call::new(Method::POST, path).raw(
                    "application/x-www-form-urlencoded",
                    b"List-Unsubscribe=One-Click",
                )
            }
            ("GET", "/api/v1/subscribers") => Call::get(row.path),
            ("GET", "/api/v1/subscribers/{id}") => {
                Call::get(format!("/api/v1/subscribers/{}", self.subscriber))
            }
            ("GET", "/api/v1/subscribers/{id}/export") => {
                Call::get(format!("/api/v1/subscribers/{}/export", self.subscriber))
            }
            ("DELETE", "/api/v1/subscribers/{id}") => {
                let address = email();
                sign_up(app, "letter", &address).await.assert_status(202);
                let id = subscriber_id(app, &address).await;
                Call::new(Method::DELETE, format!("/api/v1/subscribers/{id}"))
            }
            ("GET", "/api/v1/subscribers/export.csv") => Call::get(row.path),
            ("POST", "/api/v1/subscribers/import") => {
                let file = format!(
                    "email,name,newsletter,consent_time,consent_source\n{},Ana,letter,,\n",
                    email()
                );
                Call::new(Method::POST, row.path).raw("text/csv", file.as_bytes())
            }
            _ => panic!("no request for row {row:?}"),
        }
    }
}

#[actix_web::test]
async fn newsletters_issues_and_subscribers_follow_the_matrix() {
    let app = TestApp::spawn().await;
    let who = Principals::new(&app).await;
    let newsletters = Newsletters::new(&app, &who).await;
    run(&app, &who, &newsletters, TABLE).await;
}
