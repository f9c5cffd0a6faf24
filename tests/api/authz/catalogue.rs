//! Sessions, staff accounts, the catalogue (outlets, sections, authors) and the audit log.

use actix_web::http::Method;
use newsroom::domain::Role;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{run, Call, Fixture, Principals, Row};
use crate::helpers::{id_of, TestApp, PASSWORD};

/// Staff routes answer keys, the deactivated user and nobody with 401.
pub const TABLE: &str = "
#      path                   state       anon  wrA wrA2  edA  wrB  edB  adm keyA keyB  rvk  exp gone
POST   /api/v1/auth/login     valid        200  200  200  200  200  200  200  200  200  200  200  200
POST   /api/v1/auth/login     deactivated  401  401  401  401  401  401  401  401  401  401  401  401
POST   /api/v1/auth/logout    -            401  204  204  204  204  204  204  401  401  401  401  401
GET    /api/v1/me             -            401  200  200  200  200  200  200  401  401  401  401  401
PUT    /api/v1/me/password    -            401  204  204  204  204  204  204  401  401  401  401  401
GET    /api/v1/users          -            401  403  403  403  403  403  200  401  401  401  401  401
POST   /api/v1/users          -            401  403  403  403  403  403  201  401  401  401  401  401
GET    /api/v1/users/{id}     other        401  403  403  403  403  403  200  401  401  401  401  401
GET    /api/v1/users/{id}     self         401  200  200  200  200  200  200  401  401  401  401  401
PATCH  /api/v1/users/{id}     other        401  403  403  403  403  403  200  401  401  401  401  401
DELETE /api/v1/users/{id}     other        401  403  403  403  403  403  200  401  401  401  401  401
DELETE /api/v1/users/{id}     self         401  403  403  403  403  403  409  401  401  401  401  401
GET    /api/v1/outlets        -            401  200  200  200  200  200  200  401  401  401  401  401
POST   /api/v1/outlets        -            401  403  403  403  403  403  201  401  401  401  401  401
GET    /api/v1/outlets/{key}  -            401  200  200  200  200  200  200  401  401  401  401  401
PATCH  /api/v1/outlets/{key}  -            401  403  403  403  403  403  200  401  401  401  401  401
DELETE /api/v1/outlets/{key}  -            401  403  403  403  403  403  204  401  401  401  401  401
GET    /api/v1/sections       -            401  200  200  200  200  200  200  401  401  401  401  401
POST   /api/v1/sections       -            401  403  403  403  403  403  201  401  401  401  401  401
GET    /api/v1/sections/{key} -            401  200  200  200  200  200  200  401  401  401  401  401
PATCH  /api/v1/sections/{key} -            401  403  403  403  403  403  200  401  401  401  401  401
DELETE /api/v1/sections/{key} -            401  403  403  403  403  403  204  401  401  401  401  401
GET    /api/v1/authors        -            401  200  200  200  200  200  200  401  401  401  401  401
POST   /api/v1/authors        in_a         401  403  403  201  403  403  201  401  401  401  401  401
POST   /api/v1/authors        in_b         401  403  403  403  403  201  201  401  401  401  401  401
POST   /api/v1/authors        no_outlet    401  403  403  422  403  422  201  401  401  401  401  401
GET    /api/v1/authors/{key}  of_a         401  200  200  200  200  200  200  401  401  401  401  401
PATCH  /api/v1/authors/{key}  of_a         401  403  403  200  403  403  200  401  401  401  401  401
PATCH  /api/v1/authors/{key}  move_to_b    401  403  403  422  403  403  200  401  401  401  401  401
PATCH  /api/v1/authors/{key}  no_outlet    401  403  403  403  403  403  200  401  401  401  401  401
DELETE /api/v1/authors/{key}  of_a         401  403  403  204  403  403  204  401  401  401  401  401
DELETE /api/v1/authors/{key}  no_outlet    401  403  403  403  403  403  204  401  401  401  401  401
GET    /api/v1/audit          -            401  403  403  403  403  403  200  401  401  401  401  401
";

struct Catalogue;

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", Uuid::now_v7().simple())
}

async fn created(app: &TestApp, who: &Principals, path: &str, body: Value) -> Uuid {
    let res = app.post(path, &who.admin.token, body).await;
    res.assert_status(201);
    id_of(&res)
}

async fn outlet(app: &TestApp, who: &Principals) -> Uuid {
    let body = json!({"slug": unique("o"), "name": "Outlet", "country": "SG", "language": "en"});
    created(app, who, "/api/v1/outlets", body).await
}

async fn section(app: &TestApp, who: &Principals) -> Uuid {
    let body = json!({"slug": unique("s"), "name": "Section"});
    created(app, who, "/api/v1/sections", body).await
}

async fn author(app: &TestApp, who: &Principals, outlet: Option<Uuid>) -> Uuid {
    let body = json!({"slug": unique("a"), "name": "Author", "outlet_id": outlet});
    created(app, who, "/api/v1/authors", body).await
}

impl Fixture for Catalogue {
    async fn call(&self, app: &TestApp, who: &Principals, row: &Row, column: usize) -> Call {
        let (a, b) = (who.a.outlet, who.b.outlet);
        match (row.method.as_str(), row.path, row.state) {
            ("POST", "/api/v1/auth/login", state) => {
                let (id, email) = app.account(Role::Writer, &[a]).await;
                if state == "deactivated" {
                    app.delete(&format!("/api/v1/users/{id}"), &who.admin.token)
                        .await
                        .assert_status(200);
                }
                Call::new(Method::POST, row.path)
                    .json(json!({"email": email, "password": PASSWORD}))
            }
            ("POST", "/api/v1/auth/logout", _) => Call::new(Method::POST, row.path)
                .token(who.stand_in(app, column).await.map(|u| u.token)),
            ("GET", "/api/v1/me", _) => Call::get(row.path),
            ("PUT", "/api/v1/me/password", _) => Call::new(Method::PUT, row.path)
                .json(
                    json!({"current_password": PASSWORD, "new_password": "another long password"}),
                )
                .token(who.stand_in(app, column).await.map(|u| u.token)),
            ("GET", "/api/v1/users", _) => Call::get(row.path),
            ("POST", "/api/v1/users", _) => Call::new(Method::POST, row.path).json(json!({
                "email": format!("{}@test.example", unique("u")), "display_name": "New",
                "role": "writer", "password": "a long enough password"})),
            (method, "/api/v1/users/{id}", state) => {
                // "self" changes the caller's own account: a stand-in's for writes.
                let (id, token) = match (state, who.user(column), method) {
                    ("self", Some(user), "GET") => (user.id, None),
                    ("self", Some(_), _) => {
                        let user = who.stand_in(app, column).await.expect("a staff column");
                        (user.id, Some(user.token))
                    }
                    ("self", None, _) => (who.owner().id, None),
                    _ => (app.account(Role::Writer, &[a]).await.0, None),
                };
                let call = Call::new(
                    method.parse().expect("a method"),
                    format!("/api/v1/users/{id}"),
                )
                .token(token);
                match method {
                    "PATCH" => call.json(json!({"display_name": "Renamed"})),
                    _ => call,
                }
            }
            ("GET", "/api/v1/outlets", _) => Call::get(row.path),
            ("POST", "/api/v1/outlets", _) => Call::new(Method::POST, row.path).json(
                json!({"slug": unique("o"), "name": "New", "country": "MY", "language": "ms"}),
            ),
            ("GET", "/api/v1/outlets/{key}", _) => Call::get(format!("/api/v1/outlets/{a}")),
            ("PATCH", "/api/v1/outlets/{key}", _) => {
                let id = outlet(app, who).await;
                Call::new(Method::PATCH, format!("/api/v1/outlets/{id}"))
                    .json(json!({"name": "Renamed"}))
            }
            ("DELETE", "/api/v1/outlets/{key}", _) => {
                let id = outlet(app, who).await;
                Call::new(Method::DELETE, format!("/api/v1/outlets/{id}"))
            }
            ("GET", "/api/v1/sections", _) => Call::get(row.path),
            ("POST", "/api/v1/sections", _) => {
                Call::new(Method::POST, row.path).json(json!({"slug": unique("s"), "name": "New"}))
            }
            ("GET", "/api/v1/sections/{key}", _) => {
                Call::get(format!("/api/v1/sections/{}", who.a.section))
            }
            ("PATCH", "/api/v1/sections/{key}", _) => {
                let id = section(app, who).await;
                Call::new(Method::PATCH, format!("/api/v1/sections/{id}"))
                    .json(json!({"name": "Renamed"}))
            }
            ("DELETE", "/api/v1/sections/{key}", _) => {
                let id = section(app, who).await;
                Call::new(Method::DELETE, format!("/api/v1/sections/{id}"))
            }
            ("GET", "/api/v1/authors", _) => Call::get(row.path),
            ("POST", "/api/v1/authors", state) => {
                let outlet = match state {
                    "in_a" => Some(a),
                    "in_b" => Some(b),
                    _ => None,
                };
                Call::new(Method::POST, row.path)
                    .json(json!({"slug": unique("a"), "name": "New", "outlet_id": outlet}))
            }
            ("GET", "/api/v1/authors/{key}", _) => {
                Call::get(format!("/api/v1/authors/{}", who.a.author))
            }
            ("PATCH", "/api/v1/authors/{key}", state) => {
                let (outlet, change) = match state {
                    "of_a" => (Some(a), json!({"bio": "Updated"})),
                    "move_to_b" => (Some(a), json!({"outlet_id": b})),
                    _ => (None, json!({"bio": "Updated"})),
                };
                let id = author(app, who, outlet).await;
                Call::new(Method::PATCH, format!("/api/v1/authors/{id}")).json(change)
            }
            ("DELETE", "/api/v1/authors/{key}", state) => {
                let id = author(app, who, (state == "of_a").then_some(a)).await;
                Call::new(Method::DELETE, format!("/api/v1/authors/{id}"))
            }
            ("GET", "/api/v1/audit", _) => Call::get(row.path),
            _ => panic!("no request for row {row:?}"),
        }
    }
}

#[actix_web::test]
async fn sessions_accounts_and_the_catalogue_follow_the_matrix() {
    let app = TestApp::spawn().await;
    let who = Principals::new(&app).await;
    run(&app, &who, &Catalogue, TABLE).await;
}
