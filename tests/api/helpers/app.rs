//! `TestApp` itself: the application on a fresh test database (or on none that answers), a
//! second instance on the same database, and the settings every test app starts from.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use newsroom::clock::Clock;
use newsroom::config::{Config, LogFormat, Rate};
use newsroom::state::AppState;
use sqlx::Connection;
use uuid::Uuid;

use super::db::{db_server, read_only_pool, TestDb};

/// The application on a loopback port. Its `state.read_db` (the syndication and public APIs)
/// connects read-only, like a replica; `state.db` is the primary.
pub struct TestApp {
    pub(super) server: actix_test::TestServer,
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

    /// How to connect to this test's database as the administrator.
    pub(super) fn connect_options(&self) -> sqlx::postgres::PgConnectOptions {
        db_server().admin.clone().database(&self._db.name)
    }

    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }
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
        site_templates: None,
        site_cache: std::time::Duration::from_secs(1),
        // Tests that scrape start a metrics listener of their own (`app.scrape()`).
        metrics_addr: None,
        otlp_endpoint: None,
        media: newsroom::config::MediaSettings {
            // The server runs inside this test binary: its picture processes are the
            // `newsroom` binary cargo built for the tests.
            draw_program: env!("CARGO_BIN_EXE_newsroom").into(),
            ..newsroom::config::MediaSettings::default()
        },
        // A whole core, a second of burst: only the budget's own tests meet it.
        hashing: newsroom::config::HashingBudget {
            percent_of_a_core: 100,
            burst: std::time::Duration::from_secs(1),
            queue: std::time::Duration::from_secs(10),
        },
    }
}

/// Stops background loops a test spawned, and waits until each is cancelled: a loop dropped
/// only at the runtime's shutdown would drop its pooled connections where they can no longer
/// be returned (a panic).
pub async fn stop_loops<T>(loops: impl IntoIterator<Item = actix_web::rt::task::JoinHandle<T>>) {
    for handle in loops {
        handle.abort();
        let _ = handle.await;
    }
}
