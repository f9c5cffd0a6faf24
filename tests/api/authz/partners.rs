//! Partners, their keys, usage and webhook deliveries: admins only. A key or a delivery
//! addressed under another partner answers 404 (`foreign`), as if it did not exist.

use actix_web::http::Method;
use serde_json::json;
use uuid::Uuid;

use super::{run, Call, Fixture, Principals, Row, ADMIN};
use crate::helpers::{id_of, id_str, TestApp};

pub const TABLE: &str = "
#      path                                                  state   anon  wrA wrA2  edA  wrB  edB  adm keyA keyB  rvk  exp gone
GET    /api/v1/partners                                      -        401  403  403  403  403  403  200  401  401  401  401  401
POST   /api/v1/partners                                      -        401  403  403  403  403  403  201  401  401  401  401  401
GET    /api/v1/partners/{id}                                 -        401  403  403  403  403  403  200  401  401  401  401  401
PATCH  /api/v1/partners/{id}                                 -        401  403  403  403  403  403  200  401  401  401  401  401
DELETE /api/v1/partners/{id}                                 -        401  403  403  403  403  403  200  401  401  401  401  401
GET    /api/v1/partners/{id}/keys                            -        401  403  403  403  403  403  200  401  401  401  401  401
POST   /api/v1/partners/{id}/keys                            -        401  403  403  403  403  403  201  401  401  401  401  401
DELETE /api/v1/partners/{id}/keys/{key_id}                   own      401  403  403  403  403  403  204  401  401  401  401  401
DELETE /api/v1/partners/{id}/keys/{key_id}                   foreign  401  403  403  403  403  403  404  401  401  401  401  401
GET    /api/v1/partners/{id}/usage                           -        401  403  403  403  403  403  200  401  401  401  401  401
GET    /api/v1/partners/{id}/deliveries                      -        401  403  403  403  403  403  200  401  401  401  401  401
GET    /api/v1/partners/{id}/deliveries/{delivery_id}        pending  401  403  403  403  403  403  200  401  401  401  401  401
GET    /api/v1/partners/{id}/deliveries/{delivery_id}        failed   401  403  403  403  403  403  200  401  401  401  401  401
GET    /api/v1/partners/{id}/deliveries/{delivery_id}        foreign  401  403  403  403  403  403  404  401  401  401  401  401
POST   /api/v1/partners/{id}/deliveries/{delivery_id}/replay pending  401  403  403  403  403  403  202  401  401  401  401  401
POST   /api/v1/partners/{id}/deliveries/{delivery_id}/replay failed   401  403  403  403  403  403  202  401  401  401  401  401
POST   /api/v1/partners/{id}/deliveries/{delivery_id}/replay foreign  401  403  403  403  403  403  404  401  401  401  401  401
POST   /api/v1/partners/{id}/webhooks/pause                  -        401  403  403  403  403  403  200  401  401  401  401  401
POST   /api/v1/partners/{id}/webhooks/resume                 -        401  403  403  403  403  403  200  401  401  401  401  401
POST   /api/v1/partners/{id}/webhooks/rotate-secret          -        401  403  403  403  403  403  200  401  401  401  401  401
";

struct Partners {
    /// An outbox event (a publication) that deliveries carry.
    event: Uuid,
    /// Partners with a webhook URL and a delivery each, for the reads: (partner, delivery).
    pending: (Uuid, Uuid),
    failed: (Uuid, Uuid),
}

/// A fresh active partner with a webhook URL.
async fn hooked_partner(app: &TestApp, who: &Principals) -> Uuid {
    let body = json!({"name": format!("Hooked {}", Uuid::now_v7().simple()),
        "webhook_url": "http://127.0.0.1:9/hooks"});
    let res = app.post("/api/v1/partners", &who.admin.token, body).await;
    res.assert_status(201);
    id_of(&res)
}

/// A delivery of `event` to `partner` in `status` (`pending` or `failed`).
async fn delivery(app: &TestApp, partner: Uuid, event: Uuid, status: &str) -> Uuid {
    let id = Uuid::now_v7();
    let now = app.clock.now();
    sqlx::query(
        "insert into webhook_deliveries (id, partner_id, event_id, status, attempts, next_attempt_at, give_up_at, created_at)
         values ($1, $2, $3, $4, case when $4 = 'failed' then 5 else 0 end, $5 + interval '1 hour', $5 + interval '1 day', $5)",
    )
    .bind(id)
    .bind(partner)
    .bind(event)
    .bind(status)
    .bind(now)
    .execute(&app.state.db)
    .await
    .expect("insert a delivery");
    id
}

impl Partners {
    async fn new(app: &TestApp, who: &Principals) -> Partners {
        let admin = who.user(ADMIN).expect("the admin");
        let story = app
            .published(admin, &who.a, "A published story", json!({}))
            .await;
        let event: Uuid = sqlx::query_scalar(
            "select id from outbox_events where article_id = $1::uuid order by id limit 1",
        )
        .bind(id_str(&story))
        .fetch_one(&app.state.db)
        .await
        .expect("the publication's event");
        let mut shared = Vec::new();
        for status in ["pending", "failed"] {
            let partner = hooked_partner(app, who).await;
            shared.push((partner, delivery(app, partner, event, status).await));
        }
        Partners {
            event,
            pending: shared[0],
            failed: shared[1],
        }
    }

    /// The partner and delivery a delivery row addresses: the shared ones for reads, a
    /// fresh pair for replays; `foreign` addresses another partner's delivery.
    async fn delivery_path(&self, app: &TestApp, who: &Principals, row: &Row) -> String {
        let (partner, id) = match (row.method == Method::GET, row.state) {
            (true, "pending") => self.pending,
            (true, "failed") => self.failed,
            (true, _) => (who.partner_a, self.pending.1),
            (false, state) => {
                let partner = hooked_partner(app, who).await;
                let status = if state == "failed" {
                    "failed"
                } else {
                    "pending"
                };
                let id = delivery(app, partner, self.event, status).await;
                if state == "foreign" {
                    (hooked_partner(app, who).await, id)
                } else {
                    (partner, id)
                }
            }
        };
        format!("/api/v1/partners/{partner}/deliveries/{id}")
    }
}

impl Fixture for Partners {
    async fn call(&self, app: &TestApp, who: &Principals, row: &Row, _: usize) -> Call {
        let fresh = || hooked_partner(app, who);
        match (row.method.as_str(), row.path) {
            ("GET", "/api/v1/partners") => Call::get(row.path),
            ("POST", "/api/v1/partners") => Call::new(Method::POST, row.path)
                .json(json!({"name": format!("New {}", Uuid::now_v7().simple())})),
            ("GET", "/api/v1/partners/{id}") => {
                Call::get(format!("/api/v1/partners/{}", self.pending.0))
            }
            ("PATCH", "/api/v1/partners/{id}") => {
                Call::new(Method::PATCH, format!("/api/v1/partners/{}", fresh().await))
                    .json(json!({"name": format!("Renamed {}", Uuid::now_v7().simple())}))
            }
            ("DELETE", "/api/v1/partners/{id}") => Call::new(
                Method::DELETE,
                format!("/api/v1/partners/{}", fresh().await),
            ),
            ("GET", "/api/v1/partners/{id}/keys") => {
                Call::get(format!("/api/v1/partners/{}/keys", who.partner_a))
            }
            ("POST", "/api/v1/partners/{id}/keys") => Call::new(
                Method::POST,
                format!("/api/v1/partners/{}/keys", fresh().await),
            )
            .json(json!({})),
            ("DELETE", "/api/v1/partners/{id}/keys/{key_id}") => {
                let owner = fresh().await;
                let key = app
                    .post(
                        &format!("/api/v1/partners/{owner}/keys"),
                        &who.admin.token,
                        json!({}),
                    )
                    .await;
                key.assert_status(201);
                let addressed = if row.state == "foreign" {
                    fresh().await
                } else {
                    owner
                };
                Call::new(
                    Method::DELETE,
                    format!("/api/v1/partners/{addressed}/keys/{}", id_of(&key)),
                )
            }
            ("GET", "/api/v1/partners/{id}/usage") => {
                Call::get(format!("/api/v1/partners/{}/usage", who.partner_a))
            }
            ("GET", "/api/v1/partners/{id}/deliveries") => {
                Call::get(format!("/api/v1/partners/{}/deliveries", self.pending.0))
            }
            ("GET", "/api/v1/partners/{id}/deliveries/{delivery_id}") => {
                Call::get(self.delivery_path(app, who, row).await)
            }
            ("POST", "/api/v1/partners/{id}/deliveries/{delivery_id}/replay") => Call::new(
                Method::POST,
                format!("{}/replay", self.delivery_path(app, who, row).await),
            ),
            ("POST", "/api/v1/partners/{id}/webhooks/pause") => Call::new(
                Method::POST,
                format!("/api/v1/partners/{}/webhooks/pause", fresh().await),
            )
            .json(json!({})),
            ("POST", "/api/v1/partners/{id}/webhooks/resume") => Call::new(
                Method::POST,
                format!("/api/v1/partners/{}/webhooks/resume", fresh().await),
            ),
            ("POST", "/api/v1/partners/{id}/webhooks/rotate-secret") => Call::new(
                Method::POST,
                format!("/api/v1/partners/{}/webhooks/rotate-secret", fresh().await),
            )
            .json(json!({"overlap_hours": 1})),
            _ => panic!("no request for row {row:?}"),
        }
    }
}

#[actix_web::test]
async fn partners_keys_and_deliveries_follow_the_matrix() {
    let app = TestApp::spawn().await;
    let who = Principals::new(&app).await;
    let partners = Partners::new(&app, &who).await;
    run(&app, &who, &partners, TABLE).await;
}
