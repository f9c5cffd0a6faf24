//! Fixtures: users (inserted with one shared password hash, then signed in), outlets, a desk
//! (outlet, section and author), drafts, published stories, partners with a key, row counts.

use std::sync::OnceLock;

use newsroom::domain::Role;
use serde_json::{json, Value};
use uuid::Uuid;

use super::response::{id_of, id_str};
use super::TestApp;

/// The password of every fixture user.
pub const PASSWORD: &str = "correct horse battery staple";

static FIXTURE_HASH: OnceLock<String> = OnceLock::new();

/// An outlet with a section and an author, for articles.
#[derive(Clone, Copy, Debug)]
pub struct Desk {
    pub outlet: Uuid,
    pub section: Uuid,
    pub author: Uuid,
}

/// Two newsrooms' linked stories ([`TestApp::translated`]).
pub struct Translated {
    pub star: Desk,
    /// dawn's "Budget passes" (slug `budget-passes`), version 1.
    pub original: Value,
    /// the-star's "Bajet diluluskan" (slug `bajet-diluluskan`), version 1.
    pub copy: Value,
}

/// A signed-in fixture user.
#[derive(Clone, Debug)]
pub struct TestUser {
    pub id: Uuid,
    pub email: String,
    pub token: String,
}

impl TestApp {
    /// An outlet, a section and an author of it, created by `admin`.
    pub async fn newsroom(&self, admin: &TestUser, outlet_slug: &str) -> Desk {
        let outlet = self.outlet(admin, outlet_slug).await;
        let section = self
            .post(
                "/api/v1/sections",
                &admin.token,
                json!({"slug": format!("{outlet_slug}-news"), "name": "News"}),
            )
            .await;
        section.assert_status(201);
        let author = self
            .post(
                "/api/v1/authors",
                &admin.token,
                json!({"slug": format!("{outlet_slug}-desk"), "name": "Desk", "outlet_id": outlet}),
            )
            .await;
        author.assert_status(201);
        Desk {
            outlet,
            section: id_of(&section),
            author: id_of(&author),
        }
    }

    /// Creates a complete (publishable) draft in `desk` as `user`; returns the response body.
    pub async fn draft(&self, user: &TestUser, desk: &Desk, headline: &str) -> Value {
        let body = json!({
            "outlet_id": desk.outlet, "headline": headline, "standfirst": "A standfirst.",
            "body": "The body of the story.", "section_id": desk.section, "author_ids": [desk.author],
        });
        let res = self.post("/api/v1/articles", &user.token, body).await;
        res.assert_status(201);
        res.body
    }

    /// Creates a draft in `desk` with the fields of `extra` on top of a complete one, and
    /// publishes it; returns the published article.
    pub async fn published(
        &self,
        user: &TestUser,
        desk: &Desk,
        headline: &str,
        extra: Value,
    ) -> Value {
        let mut body = json!({
            "outlet_id": desk.outlet, "headline": headline, "standfirst": "A standfirst.",
            "body": "The body of the story.", "section_id": desk.section, "author_ids": [desk.author],
        });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let created = self.post("/api/v1/articles", &user.token, body).await;
        created.assert_status(201);
        let res = self
            .act(&user.token, &id_str(&created.body), 1, "publish", None)
            .await;
        res.assert_status(200);
        res.body
    }

    /// The outlets dawn and the-star, dawn's desk with `bio`, dawn's "Budget passes" (with
    /// the fields of `extra`) and, an hour later, the-star's Malay translation of it crediting
    /// dawn as its origin: a story with a bio, a translation and a credited origin.
    pub async fn translated(&self, admin: &TestUser, bio: &str, extra: Value) -> Translated {
        let dawn = self.newsroom(admin, "dawn").await;
        let star = self.newsroom(admin, "the-star").await;
        self.patch(
            &format!("/api/v1/authors/{}", dawn.author),
            &admin.token,
            json!({ "bio": bio }),
        )
        .await
        .assert_status(200);
        let original = self.published(admin, &dawn, "Budget passes", extra).await;
        self.clock.advance(chrono::Duration::hours(1));
        let copy = self
            .published(
                admin,
                &star,
                "Bajet diluluskan",
                json!({"language": "ms", "translation_of": id_str(&original),
                       "origin_outlet_id": dawn.outlet, "origin_url": "https://dawn.example/budget"}),
            )
            .await;
        Translated {
            star,
            original,
            copy,
        }
    }

    /// Creates a partner with `body` (as `admin`) and a key for it; returns (partner id, key).
    pub async fn partner(&self, admin: &TestUser, body: Value) -> (Uuid, String) {
        let res = self.post("/api/v1/partners", &admin.token, body).await;
        res.assert_status(201);
        let id = id_of(&res);
        let key = self
            .post(
                &format!("/api/v1/partners/{id}/keys"),
                &admin.token,
                json!({}),
            )
            .await;
        key.assert_status(201);
        (id, key.body["key"].as_str().expect("a key").to_owned())
    }

    /// Inserts a user (with a shared fixture hash of [`PASSWORD`]) and signs them in.
    pub async fn user(&self, role: Role, outlets: &[Uuid]) -> TestUser {
        let (id, email) = self.account(role, outlets).await;
        let res = self.login(&email, PASSWORD).await;
        res.assert_status(200);
        let token = res.body["token"].as_str().expect("token").to_owned();
        TestUser { id, email, token }
    }

    /// Inserts a user (with a shared fixture hash of [`PASSWORD`]) without signing them in:
    /// (id, email).
    pub async fn account(&self, role: Role, outlets: &[Uuid]) -> (Uuid, String) {
        let id = Uuid::now_v7();
        let email = format!(
            "{}-{}@test.example",
            format!("{role:?}").to_lowercase(),
            id.simple()
        );
        let hash = fixture_hash().await;
        let now = self.clock.now();
        sqlx::query(
            "insert into users (id, email, display_name, password_hash, role, active, created_at, updated_at)
             values ($1, $2, $3, $4, $5, true, $6, $6)",
        )
        .bind(id)
        .bind(&email)
        .bind(format!("{role:?} {}", &id.simple().to_string()[24..]))
        .bind(hash)
        .bind(role)
        .bind(now)
        .execute(&self.state.db)
        .await
        .expect("insert fixture user");
        for outlet in outlets {
            sqlx::query("insert into user_outlets (user_id, outlet_id) values ($1, $2)")
                .bind(id)
                .bind(outlet)
                .execute(&self.state.db)
                .await
                .expect("insert membership");
        }
        (id, email)
    }

    pub async fn admin(&self) -> TestUser {
        self.user(Role::Admin, &[]).await
    }

    /// Creates an outlet through the API (as `admin`) and returns its id.
    pub async fn outlet(&self, admin: &TestUser, slug: &str) -> Uuid {
        let body =
            json!({"slug": slug, "name": format!("The {slug}"), "country": "SG", "language": "en"});
        let res = self.post("/api/v1/outlets", &admin.token, body).await;
        res.assert_status(201);
        id_of(&res)
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("select count(*) from {table}"))
            .fetch_one(&self.state.db)
            .await
            .expect("count")
    }
}

/// One real argon2id hash of [`PASSWORD`] per test process, shared by fixture users.
async fn fixture_hash() -> String {
    if let Some(hash) = FIXTURE_HASH.get() {
        return hash.clone();
    }
    let password = newsroom::auth::Password::parse("password", PASSWORD.to_owned()).expect("valid");
    let hashing = newsroom::auth::hashing::Hashing::new(
        &newsroom::config::HashingBudget::default(),
        1,
        newsroom::auth::hashing::SLOT_WAIT,
    );
    let ticket = hashing.reserve().expect("a quiet budget");
    let hash = newsroom::auth::password::hash(ticket, password)
        .await
        .expect("hash");
    FIXTURE_HASH.get_or_init(|| hash).clone()
}
