//! The authorization matrix of the foundation: principal × resource action -> status, kept as
//! data. Every cell runs against a fresh target so that one cell cannot hide another.

use actix_web::http::Method;
use newsroom::domain::Role;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{id_of, TestApp, TestUser};

#[derive(Clone, Copy, Debug)]
enum Who {
    Anonymous,
    Admin,
    EditorOfA,
    EditorOfB,
    WriterOfA,
}

const WHO: [Who; 5] = [
    Who::Anonymous,
    Who::Admin,
    Who::EditorOfA,
    Who::EditorOfB,
    Who::WriterOfA,
];

/// Action, then the expected status for each of `WHO` in order.
const MATRIX: &[(&str, [u16; 5])] = &[
    //                   anon admin edA  edB  wrA
    ("outlet.list", [401, 200, 200, 200, 200]),
    ("outlet.read", [401, 200, 200, 200, 200]),
    ("outlet.create", [401, 201, 403, 403, 403]),
    ("outlet.update", [401, 200, 403, 403, 403]),
    ("outlet.delete", [401, 204, 403, 403, 403]),
    ("section.list", [401, 200, 200, 200, 200]),
    ("section.read", [401, 200, 200, 200, 200]),
    ("section.create", [401, 201, 403, 403, 403]),
    ("section.update", [401, 200, 403, 403, 403]),
    ("section.delete", [401, 204, 403, 403, 403]),
    ("author.list", [401, 200, 200, 200, 200]),
    ("author.read", [401, 200, 200, 200, 200]),
    ("author.create_in_a", [401, 201, 201, 403, 403]),
    ("author.create_without_outlet", [401, 201, 422, 422, 403]),
    ("author.update_of_a", [401, 200, 200, 403, 403]),
    ("author.move_to_b", [401, 200, 422, 403, 403]),
    ("author.delete_of_a", [401, 204, 204, 403, 403]),
    ("user.list", [401, 200, 403, 403, 403]),
    ("user.create", [401, 201, 403, 403, 403]),
    ("user.read_other", [401, 200, 403, 403, 403]),
    ("user.update", [401, 200, 403, 403, 403]),
    ("user.deactivate", [401, 200, 403, 403, 403]),
    ("audit.list", [401, 200, 403, 403, 403]),
    ("newsletter.list", [401, 200, 200, 200, 200]),
    ("newsletter.read", [401, 200, 200, 200, 200]),
    ("newsletter.create", [401, 201, 403, 403, 403]),
    ("newsletter.update", [401, 200, 403, 403, 403]),
    ("newsletter.delete", [401, 204, 403, 403, 403]),
    ("subscriber.list", [401, 200, 403, 403, 403]),
    ("partner.list", [401, 200, 403, 403, 403]),
    ("partner.create", [401, 201, 403, 403, 403]),
    ("partner.read", [401, 200, 403, 403, 403]),
    ("partner.update", [401, 200, 403, 403, 403]),
    ("partner.keys", [401, 200, 403, 403, 403]),
    ("partner.create_key", [401, 201, 403, 403, 403]),
    ("partner.usage", [401, 200, 403, 403, 403]),
    ("partner.deliveries", [401, 200, 403, 403, 403]),
    ("partner.resume_webhooks", [401, 200, 403, 403, 403]),
];

struct Fixture {
    admin: TestUser,
    outlet_a: Uuid,
    outlet_b: Uuid,
}

impl Fixture {
    async fn create(&self, app: &TestApp, path: &str, body: Value) -> Uuid {
        let res = app.post(path, &self.admin.token, body).await;
        res.assert_status(201);
        id_of(&res)
    }

    async fn outlet(&self, app: &TestApp) -> Uuid {
        let slug = format!("o-{}", Uuid::now_v7().simple());
        self.create(
            app,
            "/api/v1/outlets",
            json!({"slug": slug, "name": "Outlet", "country": "SG", "language": "en"}),
        )
        .await
    }

    async fn section(&self, app: &TestApp) -> Uuid {
        let slug = format!("s-{}", Uuid::now_v7().simple());
        self.create(
            app,
            "/api/v1/sections",
            json!({"slug": slug, "name": "Section"}),
        )
        .await
    }

    async fn author_of_a(&self, app: &TestApp) -> Uuid {
        let slug = format!("a-{}", Uuid::now_v7().simple());
        self.create(
            app,
            "/api/v1/authors",
            json!({"slug": slug, "name": "Author", "outlet_id": self.outlet_a}),
        )
        .await
    }

    async fn newsletter(&self, app: &TestApp) -> Uuid {
        self.create(
            app,
            "/api/v1/newsletters",
            json!({"name": unique("Newsletter")}),
        )
        .await
    }

    async fn partner(&self, app: &TestApp) -> Uuid {
        self.create(app, "/api/v1/partners", json!({"name": unique("p")}))
            .await
    }

    async fn user(&self, app: &TestApp) -> Uuid {
        app.user(Role::Writer, &[self.outlet_a]).await.id
    }
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", Uuid::now_v7().simple())
}

async fn perform(app: &TestApp, f: &Fixture, action: &str, token: Option<&str>) -> u16 {
    let (method, path, body) = match action {
        "outlet.list" => (Method::GET, "/api/v1/outlets".to_owned(), None),
        "outlet.read" => (Method::GET, format!("/api/v1/outlets/{}", f.outlet_a), None),
        "outlet.create" => (
            Method::POST,
            "/api/v1/outlets".into(),
            Some(json!({"slug": unique("o"), "name": "New", "country": "MY", "language": "ms"})),
        ),
        "outlet.update" => (
            Method::PATCH,
            format!("/api/v1/outlets/{}", f.outlet(app).await),
            Some(json!({"name": "Renamed"})),
        ),
        "outlet.delete" => (
            Method::DELETE,
            format!("/api/v1/outlets/{}", f.outlet(app).await),
            None,
        ),
        "section.list" => (Method::GET, "/api/v1/sections".into(), None),
        "section.read" => (
            Method::GET,
            format!("/api/v1/sections/{}", f.section(app).await),
            None,
        ),
        "section.create" => (
            Method::POST,
            "/api/v1/sections".into(),
            Some(json!({"slug": unique("s"), "name": "New"})),
        ),
        "section.update" => (
            Method::PATCH,
            format!("/api/v1/sections/{}", f.section(app).await),
            Some(json!({"name": "Renamed"})),
        ),
        "section.delete" => (
            Method::DELETE,
            format!("/api/v1/sections/{}", f.section(app).await),
            None,
        ),
        "author.list" => (Method::GET, "/api/v1/authors".into(), None),
        "author.read" => (
            Method::GET,
            format!("/api/v1/authors/{}", f.author_of_a(app).await),
            None,
        ),
        "author.create_in_a" => (
            Method::POST,
            "/api/v1/authors".into(),
            Some(json!({"slug": unique("a"), "name": "New", "outlet_id": f.outlet_a})),
        ),
        "author.create_without_outlet" => (
            Method::POST,
            "/api/v1/authors".into(),
            Some(json!({"slug": unique("a"), "name": "New"})),
        ),
        "author.update_of_a" => (
            Method::PATCH,
            format!("/api/v1/authors/{}", f.author_of_a(app).await),
            Some(json!({"bio": "Updated"})),
        ),
        "author.move_to_b" => (
            Method::PATCH,
            format!("/api/v1/authors/{}", f.author_of_a(app).await),
            Some(json!({"outlet_id": f.outlet_b})),
        ),
        "author.delete_of_a" => (
            Method::DELETE,
            format!("/api/v1/authors/{}", f.author_of_a(app).await),
            None,
        ),
        "newsletter.list" => (Method::GET, "/api/v1/newsletters".into(), None),
        "newsletter.read" => (
            Method::GET,
            format!("/api/v1/newsletters/{}", f.newsletter(app).await),
            None,
        ),
        "newsletter.create" => (
            Method::POST,
            "/api/v1/newsletters".into(),
            Some(json!({"name": unique("Letter")})),
        ),
        "newsletter.update" => (
            Method::PATCH,
            format!("/api/v1/newsletters/{}", f.newsletter(app).await),
            Some(json!({"name": "Renamed"})),
        ),
        "newsletter.delete" => (
            Method::DELETE,
            format!("/api/v1/newsletters/{}", f.newsletter(app).await),
            None,
        ),
        "subscriber.list" => (Method::GET, "/api/v1/subscribers".into(), None),
        "partner.list" => (Method::GET, "/api/v1/partners".into(), None),
        "partner.create" => (
            Method::POST,
            "/api/v1/partners".into(),
            Some(json!({"name": unique("p")})),
        ),
        "partner.read" => (
            Method::GET,
            format!("/api/v1/partners/{}", f.partner(app).await),
            None,
        ),
        "partner.update" => (
            Method::PATCH,
            format!("/api/v1/partners/{}", f.partner(app).await),
            Some(json!({"name": unique("renamed")})),
        ),
        "partner.keys" => (
            Method::GET,
            format!("/api/v1/partners/{}/keys", f.partner(app).await),
            None,
        ),
        "partner.create_key" => (
            Method::POST,
            format!("/api/v1/partners/{}/keys", f.partner(app).await),
            Some(json!({})),
        ),
        "partner.usage" => (
            Method::GET,
            format!("/api/v1/partners/{}/usage", f.partner(app).await),
            None,
        ),
        "partner.deliveries" => (
            Method::GET,
            format!("/api/v1/partners/{}/deliveries", f.partner(app).await),
            None,
        ),
        "partner.resume_webhooks" => (
            Method::POST,
            format!("/api/v1/partners/{}/webhooks/resume", f.partner(app).await),
            Some(json!({})),
        ),
        "user.list" => (Method::GET, "/api/v1/users".into(), None),
        "user.create" => (
            Method::POST,
            "/api/v1/users".into(),
            Some(
                json!({"email": format!("{}@test.example", unique("u")), "display_name": "New", "role": "writer", "password": "a long enough password"}),
            ),
        ),
        "user.read_other" => (
            Method::GET,
            format!("/api/v1/users/{}", f.user(app).await),
            None,
        ),
        "user.update" => (
            Method::PATCH,
            format!("/api/v1/users/{}", f.user(app).await),
            Some(json!({"display_name": "Renamed"})),
        ),
        "user.deactivate" => (
            Method::DELETE,
            format!("/api/v1/users/{}", f.user(app).await),
            None,
        ),
        "audit.list" => (Method::GET, "/api/v1/audit".into(), None),
        other => panic!("unknown action {other}"),
    };
    app.call(method, &path, token, body).await.status.as_u16()
}

#[actix_web::test]
async fn the_foundation_authorization_matrix_has_no_mismatch() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let outlet_a = app.outlet(&admin, "outlet-a").await;
    let outlet_b = app.outlet(&admin, "outlet-b").await;
    let fixture = Fixture {
        admin: admin.clone(),
        outlet_a,
        outlet_b,
    };
    let editor_a = app.user(Role::Editor, &[outlet_a]).await;
    let editor_b = app.user(Role::Editor, &[outlet_b]).await;
    let writer_a = app.user(Role::Writer, &[outlet_a]).await;

    let mut mismatches = Vec::new();
    for (action, expected) in MATRIX {
        for (who, want) in WHO.iter().zip(expected) {
            let token = match who {
                Who::Anonymous => None,
                Who::Admin => Some(admin.token.as_str()),
                Who::EditorOfA => Some(editor_a.token.as_str()),
                Who::EditorOfB => Some(editor_b.token.as_str()),
                Who::WriterOfA => Some(writer_a.token.as_str()),
            };
            let got = perform(&app, &fixture, action, token).await;
            if got != *want {
                mismatches.push(format!("{action} as {who:?}: expected {want}, got {got}"));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
