//! The public catalogue, health checks and the API's own description: open to everyone, so
//! every principal gets the same answer (`/api/docs` after its redirect to `/api/docs/`).

use super::{run, Call, Fixture, Principals, Row};
use crate::helpers::TestApp;

pub const TABLE: &str = "
#   path                state anon  wrA wrA2  edA  wrB  edB  adm keyA keyB  rvk  exp gone
GET /public/v1/outlets  -      200  200  200  200  200  200  200  200  200  200  200  200
GET /public/v1/sections -      200  200  200  200  200  200  200  200  200  200  200  200
GET /health/live        -      200  200  200  200  200  200  200  200  200  200  200  200
GET /health/ready       -      200  200  200  200  200  200  200  200  200  200  200  200
GET /api/openapi.json   -      200  200  200  200  200  200  200  200  200  200  200  200
GET /api/docs/{_:.*}    -      200  200  200  200  200  200  200  200  200  200  200  200
GET /api/docs           -      200  200  200  200  200  200  200  200  200  200  200  200
";

struct Operations;

impl Fixture for Operations {
    async fn call(&self, _: &TestApp, _: &Principals, row: &Row, _: usize) -> Call {
        match row.path {
            "/api/docs/{_:.*}" => Call::get("/api/docs/"),
            path => Call::get(path),
        }
    }
}

#[actix_web::test]
async fn open_routes_follow_the_matrix() {
    let app = TestApp::spawn().await;
    let who = Principals::new(&app).await;
    run(&app, &who, &Operations, TABLE).await;
}
