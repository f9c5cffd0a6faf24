//! The databases of the tests: the server (`DATABASE_URL` or an embedded cluster, removed
//! when the test process exits), the migrated template every test database is copied from,
//! the test database dropped when its test ends, and the read-only role of every test app's
//! read pool.

use std::sync::{Mutex, OnceLock};

use newsroom::db::embedded::{Durability, EmbeddedPostgres};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgPool};

/// Where test databases are created, and the migrated template they are copied from.
pub(super) struct DbServer {
    pub(super) url: String,
    pub(super) admin: PgConnectOptions,
    pub(super) template: String,
}

static SERVER: OnceLock<Result<DbServer, String>> = OnceLock::new();

/// The embedded cluster of this test process, if it runs one: stopped and deleted with its
/// folder when the process exits (a passing run leaves nothing in the temporary folder).
static CLUSTER: Mutex<Option<EmbeddedPostgres>> = Mutex::new(None);

extern "C" fn remove_cluster_at_exit() {
    let cluster = CLUSTER.lock().ok().and_then(|mut c| c.take());
    if let Some(cluster) = cluster {
        let dir = cluster.data_dir().to_owned();
        let _ = cluster.stop();
        let _ = std::fs::remove_dir_all(dir);
    }
}

pub(super) fn db_server() -> &'static DbServer {
    let server = SERVER.get_or_init(|| {
        // A thread of its own that lives as long as the test process: the embedded cluster
        // is tied to the thread that started it and stops when the process exits.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let url = match std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty()) {
                Some(url) => url,
                None => {
                    let root =
                        std::env::temp_dir().join(format!("newsroom-test-{}", std::process::id()));
                    remove_stale_clusters();
                    match EmbeddedPostgres::start(&root, Durability::Disposable) {
                        Ok(cluster) => {
                            let url = cluster.url();
                            if let Ok(mut slot) = CLUSTER.lock() {
                                *slot = Some(cluster);
                                // SAFETY: registers a plain function to run at process exit.
                                unsafe { libc::atexit(remove_cluster_at_exit) };
                            }
                            url
                        }
                        Err(err) => {
                            let _ = tx.send(Err(format!("{err:#}")));
                            return;
                        }
                    }
                }
            };
            let _ = tx.send(prepare_template(&url));
            // This thread started the cluster, whose parent-death signal is tied to it: it
            // lives as long as the process.
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
        ensure_gate_role(&mut conn).await?;
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
pub(super) struct TestDb {
    pub(super) name: String,
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
pub(super) fn read_only_pool(name: &str) -> PgPool {
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

/// The role of a gated instance's pool (see `helpers::interleave`): not a superuser, so the
/// row-level security policy that pauses its claims applies to it.
pub(super) const GATE_ROLE: &str = "newsroom_test_gate";

/// Creates [`GATE_ROLE`] if it is missing; under the template lock, like the reader role.
async fn ensure_gate_role(conn: &mut sqlx::PgConnection) -> Result<(), String> {
    sqlx::query(&format!(
        "do $$ begin
           if not exists (select 1 from pg_roles where rolname = '{GATE_ROLE}') then
             create role {GATE_ROLE} nologin;
           end if;
         end $$"
    ))
    .execute(&mut *conn)
    .await
    .map_err(|e| format!("setting up the role {GATE_ROLE}: {e}"))?;
    Ok(())
}

/// An empty database (no migrations), dropped with this value: for tests that apply the
/// migrations up to a point, write rows as they were then, and check what a later migration
/// makes of them.
pub struct BlankDb {
    pub pool: PgPool,
    _db: TestDb,
}

pub async fn blank_database() -> BlankDb {
    let server = db_server();
    let name = format!("newsroom_blank_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::PgConnection::connect_with(&server.admin)
        .await
        .expect("connect to the test server");
    sqlx::query(&format!("create database \"{name}\""))
        .execute(&mut conn)
        .await
        .expect("create a blank database");
    conn.close().await.ok();
    let db = TestDb { name: name.clone() };
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect_lazy_with(server.admin.clone().database(&name));
    BlankDb { pool, _db: db }
}
