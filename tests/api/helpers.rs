//! `TestApp`: the real application on a loopback port, over a fresh database per test that is
//! dropped afterwards, with typed helpers. The database server is `DATABASE_URL` when set, or
//! else a private embedded cluster started once per test run (the same machinery as
//! `newsroom serve`).

use std::sync::{Arc, OnceLock};

use actix_web::http::{Method, StatusCode};
use awc::http::header::HeaderMap;
use chrono::{TimeZone, Utc};
use newsroom::clock::Clock;
use newsroom::config::{Config, LogFormat, Rate};
use newsroom::db::embedded::{Durability, EmbeddedPostgres};
use newsroom::domain::Role;
use newsroom::state::AppState;
use serde_json::{json, Value};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgPool};
use uuid::Uuid;

/// The password of every fixture user.
pub const PASSWORD: &str = "correct horse battery staple";

/// Where test databases are created, and the migrated template they are copied from.
struct DbServer {
    url: String,
    admin: PgConnectOptions,
    template: String,
}

static SERVER: OnceLock<Result<DbServer, String>> = OnceLock::new();
static FIXTURE_HASH: OnceLock<String> = OnceLock::new();

fn db_server() -> &'static DbServer {
    let server = SERVER.get_or_init(|| {
        // A thread of its own that lives as long as the test process: the embedded cluster
        // is tied to the thread that started it and stops when the process exits.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let (url, cluster) = match std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty())
            {
                Some(url) => (url, None),
                None => {
                    let root =
                        std::env::temp_dir().join(format!("newsroom-test-{}", std::process::id()));
                    remove_stale_clusters();
                    match EmbeddedPostgres::start(&root, Durability::Disposable) {
                        Ok(cluster) => (cluster.url(), Some(cluster)),
                        Err(err) => {
                            let _ = tx.send(Err(format!("{err:#}")));
                            return;
                        }
                    }
                }
            };
            let _ = tx.send(prepare_template(&url));
            let _keep_alive = cluster;
            loop {
                std::thread::park();
            }
        });
        rx.recv()
            .unwrap_or_else(|_| Err("database setup thread died".into()))
    });
    match server {
        Ok(server) => server,
        Err(err) => panic!("no database for the tests: {err}"),
    }
}

/// Removes clusters of earlier test runs that have stopped (no `postmaster.pid`).
fn remove_stale_clusters() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_ours = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("newsroom-test-"));
        if is_ours && !path.join("pgdata/postmaster.pid").exists() {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Creates (once per migration set) a migrated template database to copy per test.
fn prepare_template(url: &str) -> Result<DbServer, String> {
    let admin: PgConnectOptions = url.parse().map_err(|e| format!("bad DATABASE_URL: {e}"))?;
    let mut fingerprint = 0u64;
    for m in newsroom::db::MIGRATOR.iter() {
        for b in m.checksum.iter().chain(m.version.to_le_bytes().iter()) {
            fingerprint = fingerprint
                .wrapping_mul(1_099_511_628_211)
                .wrapping_add(*b as u64);
        }
    }
    let template = format!("newsroom_tpl_{fingerprint:016x}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let mut conn = sqlx::PgConnection::connect_with(&admin)
            .await
            .map_err(|e| format!("connecting: {e}"))?;
        // Several test processes may race to build the template: one builds, the others wait.
        // The lock is transaction-scoped and its transaction stays open on a connection of its
        // own until the template is ready: behind PgBouncer in transaction mode a session lock
        // would stay behind on whichever pooled server connection took it.
        let mut guard = sqlx::PgConnection::connect_with(&admin)
            .await
            .map_err(|e| format!("connecting: {e}"))?;
        let mut lock = guard.begin().await.map_err(|e| e.to_string())?;
        sqlx::query("select pg_advisory_xact_lock(72731)")
            .execute(&mut *lock)
            .await
            .map_err(|e| e.to_string())?;
        ensure_reader_role(&mut conn, url).await?;
        let exists: bool =
            sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
                .bind(&template)
                .fetch_one(&mut conn)
                .await
                .map_err(|e| e.to_string())?;
        if !exists {
            let stale: Vec<String> = sqlx::query_scalar(
                "select datname from pg_database where datname like 'newsroom\\_tpl\\_%'",
            )
            .fetch_all(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
            for name in stale {
                let _ = sqlx::query(&format!("drop database if exists \"{name}\" with (force)"))
                    .execute(&mut conn)
                    .await;
            }
            let building = format!("{template}_building");
            let _ = sqlx::query(&format!(
                "drop database if exists \"{building}\" with (force)"
            ))
            .execute(&mut conn)
            .await;
            sqlx::query(&format!("create database \"{building}\""))
                .execute(&mut conn)
                .await
                .map_err(|e| e.to_string())?;
            let pool = PgPool::connect_with(admin.clone().database(&building))
                .await
                .map_err(|e| e.to_string())?;
            newsroom::db::migrate(&pool)
                .await
                .map_err(|e| format!("{e:#}"))?;
            pool.close().await;
            // Behind PgBouncer the server connections outlive the pool: end them, or the
            // rename (and every copy of the template) would find the database in use.
            sqlx::query(
                "select pg_terminate_backend(pid) from pg_stat_activity
                 where datname = $1 and pid <> pg_backend_pid()",
            )
            .bind(&building)
            .execute(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
            sqlx::query(&format!(
                "alter database \"{building}\" rename to \"{template}\""
            ))
            .execute(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        }
        lock.commit().await.map_err(|e| e.to_string())?;
        let _ = guard.close().await;
        let _ = conn.close().await;
        Ok(DbServer {
            url: url.to_owned(),
            admin,
            template,
        })
    })
}

/// A database of one test, dropped (even when the test panics) when this is dropped.
struct TestDb {
    name: String,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let admin = db_server().admin.clone();
        let name = self.name.clone();
        let dropper = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut conn = sqlx::PgConnection::connect_with(&admin).await.ok()?;
                sqlx::query(&format!("drop database if exists \"{name}\" with (force)"))
                    .execute(&mut conn)
                    .await
                    .ok()?;
                conn.close().await.ok()
            })
        });
        let _ = dropper.join();
    }
}

/// The role of every test app's read pool: it may read every table and its transactions are
/// read-only by default (as on a streaming replica). A role setting rather than the `options`
/// startup parameter, which PgBouncer does not pass on.
const READER_ROLE: &str = "newsroom_test_reader";

/// The reader role's password: derived from the admin URL (which holds the admin's own
/// password, if any), so every test process on one server sets the same one.
fn reader_password(admin_url: &str) -> String {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    let mut out = String::new();
    for round in 0..2u8 {
        for b in admin_url.bytes().chain([round]) {
            hash = (hash ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        out.push_str(&format!("{hash:016x}"));
    }
    out
}

/// Creates [`READER_ROLE`] if it is missing and (re)sets its grant, setting and password.
/// Called under the template lock, so test processes do not race to create it.
async fn ensure_reader_role(conn: &mut sqlx::PgConnection, admin_url: &str) -> Result<(), String> {
    let password = reader_password(admin_url);
    for sql in [
        format!(
            "do $$ begin
               if not exists (select 1 from pg_roles where rolname = '{READER_ROLE}') then
                 create role {READER_ROLE} login;
               end if;
             end $$"
        ),
        format!("alter role {READER_ROLE} password '{password}'"),
        format!("alter role {READER_ROLE} set default_transaction_read_only = on"),
        format!("grant pg_read_all_data to {READER_ROLE}"),
    ] {
        sqlx::query(&sql)
            .execute(&mut *conn)
            .await
            .map_err(|e| format!("setting up the role {READER_ROLE}: {e}"))?;
    }
    Ok(())
}

/// The read pool of every test app: the test's database as [`READER_ROLE`], so every
/// transaction is read-only (as on a streaming replica) and a write that strays onto the read
/// pool fails the test.
fn read_only_pool(name: &str) -> PgPool {
    let server = db_server();
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(10)
        .connect_lazy_with(
            server
                .admin
                .clone()
                .database(name)
                .username(READER_ROLE)
                .password(&reader_password(&server.url)),
        )
}

/// A response, read whole.
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Res {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    #[track_caller]
    pub fn assert_status(&self, expected: u16) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            expected,
            "unexpected status; body: {}",
            self.text
        );
        self
    }

    /// Asserts an `application/problem+json` error with this status.
    #[track_caller]
    pub fn assert_problem(&self, expected: u16) -> &Self {
        self.assert_status(expected);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "body: {}",
            self.text
        );
        assert_eq!(self.body["status"], json!(expected));
        assert!(
            self.body["title"].is_string()
                && self.body["type"].is_string()
                && self.body["detail"].is_string()
        );
        self
    }

    /// The field error messages of a problem.
    pub fn field_errors(&self, field: &str) -> Vec<String> {
        self.body["errors"][field]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// An outlet with a section and an author, for articles.
#[derive(Clone, Copy, Debug)]
pub struct Desk {
    pub outlet: Uuid,
    pub section: Uuid,
    pub author: Uuid,
}

/// The version of an article response.
pub fn version_of(body: &Value) -> i64 {
    body["version"].as_i64().expect("a version")
}

/// The id of an article response, as text.
pub fn id_str(body: &Value) -> String {
    body["id"].as_str().expect("an id").to_owned()
}

/// A signed-in fixture user.
#[derive(Clone, Debug)]
pub struct TestUser {
    pub id: Uuid,
    pub email: String,
    pub token: String,
}

/// The application on a loopback port. Its `state.read_db` (the syndication and public APIs)
/// connects read-only, like a replica; `state.db` is the primary.
pub struct TestApp {
    server: actix_test::TestServer,
    pub state: AppState,
    pub clock: Clock,
    _db: TestDb,
}

impl TestApp {
    /// The application on a fresh database, with a manual clock at a fixed instant.
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}).await
    }

    /// Like [`TestApp::spawn`], with settings changed by `configure`.
    pub async fn spawn_with(configure: impl FnOnce(&mut Config)) -> TestApp {
        let server = db_server();
        let name = format!("newsroom_test_{}", Uuid::now_v7().simple());
        let mut conn = sqlx::PgConnection::connect_with(&server.admin)
            .await
            .expect("connect to the test server");
        sqlx::query(&format!(
            "create database \"{name}\" template \"{}\"",
            server.template
        ))
        .execute(&mut conn)
        .await
        .expect("create the test database");
        conn.close().await.ok();
        let db = TestDb { name: name.clone() };
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(20)
            .connect_lazy_with(server.admin.clone().database(&name));
        let clock = Clock::manual(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .expect("valid date"),
        );
        let mut config = test_config();
        configure(&mut config);
        let state = AppState::new(pool, clock.clone(), Arc::new(config))
            .with_read_pool(read_only_pool(&name));
        TestApp::with_state(state, db)
    }

    fn with_state(state: AppState, db: TestDb) -> TestApp {
        let app_state = state.clone();
        let server = actix_test::start(move || newsroom::startup::app(app_state.clone()));
        TestApp {
            server,
            clock: state.clock.clone(),
            state,
            _db: db,
        }
    }

    /// A second server instance on the same database, with its own pool and the same clock.
    pub fn another_instance(&self) -> (actix_test::TestServer, AppState) {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(10)
            .connect_lazy_with(db_server().admin.clone().database(&self._db.name));
        let state = AppState::new(pool, self.clock.clone(), self.state.config.clone())
            .with_read_pool(read_only_pool(&self._db.name));
        let app_state = state.clone();
        let server = actix_test::start(move || newsroom::startup::app(app_state.clone()));
        (server, state)
    }

    /// The application with a database that does not answer (for readiness checks).
    pub async fn spawn_without_database() -> TestApp {
        let unreachable = "postgres://nobody:nothing@127.0.0.1:1/none";
        let pool = newsroom::db::pool("DATABASE_URL", unreachable, 1).expect("pool");
        let clock = Clock::system();
        let state = AppState::new(pool, clock, Arc::new(test_config()));
        TestApp::with_state(
            state,
            TestDb {
                name: "newsroom_test_none".into(),
            },
        )
    }

    /// The connection string of this test's database (for running the binary against it).
    pub fn database_url(&self) -> String {
        let base = &db_server().url;
        let (main, query) = base
            .split_once('?')
            .map_or((base.as_str(), None), |(m, q)| (m, Some(q)));
        let authority_end = main.find("://").map(|i| i + 3).unwrap_or(0);
        let path_start = main[authority_end..]
            .find('/')
            .map_or(main.len(), |i| authority_end + i);
        let mut url = format!("{}/{}", &main[..path_start], self._db.name);
        if let Some(query) = query {
            url = format!("{url}?{query}");
        }
        url
    }

    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// Sends a request; `body` goes as JSON.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Res {
        let mut req = self.server.request(method, self.server.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let sent = match body {
            Some(body) => req.send_json(&body).await,
            None => req.send().await,
        };
        read(sent.expect("request failed")).await
    }

    /// Sends a request with extra headers; `body` goes as JSON.
    pub async fn call_with(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Res {
        let mut req = self
            .server
            .request(method, self.server.url(path))
            .bearer_auth(token);
        for (name, value) in headers {
            req = req.insert_header((*name, *value));
        }
        let sent = match body {
            Some(body) => req.send_json(&body).await,
            None => req.send().await,
        };
        read(sent.expect("request failed")).await
    }

    /// PATCHes an article with `If-Match: "<version>"`.
    pub async fn edit(&self, token: &str, id: &str, version: i64, body: Value) -> Res {
        let etag = format!("\"{version}\"");
        self.call_with(
            Method::PATCH,
            &format!("/api/v1/articles/{id}"),
            token,
            Some(body),
            &[("if-match", &etag)],
        )
        .await
    }

    /// Takes a workflow action with `If-Match: "<version>"`.
    pub async fn act(
        &self,
        token: &str,
        id: &str,
        version: i64,
        action: &str,
        body: Option<Value>,
    ) -> Res {
        let etag = format!("\"{version}\"");
        let path = format!("/api/v1/articles/{id}/actions/{action}");
        self.call_with(Method::POST, &path, token, body, &[("if-match", &etag)])
            .await
    }

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

    /// A GET with arbitrary headers and no staff token (partner keys, caching headers).
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Res {
        let mut req = self.server.get(path);
        for (name, value) in headers {
            req = req.insert_header((*name, *value));
        }
        read(req.send().await.expect("request failed")).await
    }

    /// A GET of the syndication API with an API key in `X-Api-Key`.
    pub async fn syndication(&self, key: &str, path: &str) -> Res {
        self.get_with(path, &[("x-api-key", key)]).await
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

    /// Sends raw bytes with the given content type.
    pub async fn call_raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Res {
        let mut req = self.server.request(method, self.server.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(ct) = content_type {
            req = req.insert_header(("content-type", ct));
        }
        read(req.send_body(body).await.expect("request failed")).await
    }

    /// Sends a request with any headers (none implied) and an optional raw body.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Res {
        let mut req = self.server.request(method, self.server.url(path));
        for (name, value) in headers {
            req = req.insert_header((*name, *value));
        }
        let sent = match body {
            Some(body) => req.send_body(body).await,
            None => req.send().await,
        };
        read(sent.expect("request failed")).await
    }

    /// POSTs raw bytes with arbitrary headers (content encodings, odd content types).
    pub async fn call_with_raw_headers(
        &self,
        path: &str,
        token: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Res {
        let mut req = self
            .server
            .request(Method::POST, self.server.url(path))
            .bearer_auth(token);
        for (name, value) in headers {
            req = req.insert_header((*name, *value));
        }
        read(req.send_body(body).await.expect("request failed")).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Res {
        self.call(Method::GET, path, Some(token), None).await
    }
    pub async fn post(&self, path: &str, token: &str, body: Value) -> Res {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }
    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Res {
        self.call(Method::PATCH, path, Some(token), Some(body))
            .await
    }
    pub async fn delete(&self, path: &str, token: &str) -> Res {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Res {
        self.call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": email, "password": password})),
        )
        .await
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

pub fn id_of(res: &Res) -> Uuid {
    res.body["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("an id in the body")
}

/// The settings of every test app; `TestApp::spawn_with` changes them per test.
pub fn test_config() -> Config {
    Config {
        database_url: None,
        database_read_url: None,
        addr: "127.0.0.1:0".into(),
        public_url: "http://newsroom.test".into(),
        data_dir: std::env::temp_dir().join("newsroom-test-data"),
        smtp_url: None,
        mail_from: "newsroom <newsroom@test.example>".into(),
        log_format: LogFormat::Pretty,
        session_ttl: chrono::Duration::hours(12),
        db_max_connections: 20,
        webhook_allow_private: true,
        webhook_pause_after: 3,
        // High enough that no test but the rate-limit ones meets it.
        partner_rate: Rate {
            per_second: 10_000,
            burst: 10_000,
        },
        public_rate: Rate {
            per_second: 10_000,
            burst: 10_000,
        },
        trust_forwarded: false,
        public_base_url: "https://news.test".into(),
        sitemap_page_size: 50_000,
    }
}

/// One real argon2id hash of [`PASSWORD`] per test process, shared by fixture users.
async fn fixture_hash() -> String {
    if let Some(hash) = FIXTURE_HASH.get() {
        return hash.clone();
    }
    let password = newsroom::auth::Password::parse("password", PASSWORD.to_owned()).expect("valid");
    let slots = newsroom::auth::password::Slots::new(1, newsroom::auth::password::SLOT_WAIT);
    let hash = newsroom::auth::password::hash(&slots, password)
        .await
        .expect("hash");
    FIXTURE_HASH.get_or_init(|| hash).clone()
}

async fn read<S>(mut res: awc::ClientResponse<S>) -> Res
where
    S: futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>> + Unpin,
{
    let bytes = res.body().limit(16 * 1024 * 1024).await.expect("read body");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Res {
        status: res.status(),
        headers: res.headers().clone(),
        body,
        text,
    }
}
