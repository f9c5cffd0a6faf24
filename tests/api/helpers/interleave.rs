//! Deterministic interleaving of two instances' claims. A claim (`… for update skip locked`)
//! reads a snapshot first and locks rows after; the race of issue #13 needs another
//! instance's claim to commit in between. A gated instance's pool runs as a role that
//! row-level security applies to, with a policy on the claimed table whose check waits for an
//! advisory lock the test holds, but only inside statements that claim (`skip locked`). So
//! its claim stops mid-scan with its snapshot taken, the test lets the other instance claim
//! and commit, then opens the gate, and the paused claim goes on to lock rows.

use std::time::{Duration, Instant};

use newsroom::state::AppState;
use sqlx::{Connection, Executor, PgConnection};

use super::db::{read_only_pool, GATE_ROLE};
use super::TestApp;

/// The advisory lock a gated claim waits for, held by the test until [`ClaimGate::open`].
pub struct ClaimGate {
    holder: PgConnection,
    key: i64,
}

impl TestApp {
    /// Another instance (own pool, same clock and settings) whose claims on `table` pause
    /// mid-statement until the returned gate opens.
    pub async fn gated_instance(&self, table: &str) -> (AppState, ClaimGate) {
        let options = self.connect_options();
        let mut admin = PgConnection::connect_with(&options).await.unwrap();
        let key = i64::from(rand_key());
        admin
            .execute(
                "create function newsroom_test_gate() returns boolean language plpgsql as $$
                 begin
                   if coalesce(current_setting('newsroom.test_gate', true), '') <> ''
                      and current_query() ilike '%skip locked%' then
                     perform pg_advisory_xact_lock_shared(current_setting('newsroom.test_gate')::bigint);
                   end if;
                   return true;
                 end $$",
            )
            .await
            .unwrap();
        for sql in [
            format!("alter table {table} enable row level security"),
            format!(
                "create policy test_gate on {table} using (newsroom_test_gate()) with check (true)"
            ),
            format!("grant usage on schema public to {GATE_ROLE}"),
            format!("grant all on all tables in schema public to {GATE_ROLE}"),
            format!("grant all on all sequences in schema public to {GATE_ROLE}"),
        ] {
            admin.execute(sql.as_str()).await.unwrap();
        }
        admin.close().await.unwrap();

        let mut holder = PgConnection::connect_with(&options).await.unwrap();
        holder.execute("begin").await.unwrap();
        sqlx::query("select pg_advisory_xact_lock($1)")
            .bind(key)
            .execute(&mut holder)
            .await
            .unwrap();

        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(5)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    conn.execute(format!("set role {GATE_ROLE}").as_str())
                        .await?;
                    conn.execute(format!("set newsroom.test_gate = '{key}'").as_str())
                        .await?;
                    Ok(())
                })
            })
            .connect_lazy_with(options.clone());
        let db_name = options.get_database().unwrap_or_default().to_owned();
        let state = AppState::new(pool, self.clock.clone(), self.state.config.clone())
            .with_read_pool(read_only_pool(&db_name));
        (state, ClaimGate { holder, key })
    }
}

impl ClaimGate {
    /// Waits until a gated claim is paused (waiting for the lock), at most 10 s.
    pub async fn wait_until_paused(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let waiting: bool = sqlx::query_scalar(
                "select exists (select 1 from pg_locks where locktype = 'advisory' and not granted
                     and database = (select oid from pg_database where datname = current_database())
                     and objid = $1::bigint::oid)",
            )
            .bind(self.key)
            .fetch_one(&mut self.holder)
            .await
            .unwrap();
            if waiting {
                return;
            }
            assert!(Instant::now() < deadline, "no claim reached the gate");
            actix_web::rt::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Lets the paused claim go on.
    pub async fn open(mut self) {
        self.holder.execute("commit").await.unwrap();
        self.holder.close().await.unwrap();
    }
}

/// A lock key of this test alone (below 2^31, so it is the lock's `objid` in `pg_locks`).
fn rand_key() -> i32 {
    // The last bytes of a UUID v7 are random.
    let bytes = uuid::Uuid::now_v7().into_bytes();
    i32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15] & 0x7f])
}
