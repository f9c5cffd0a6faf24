//! `db::read_db`: a worker's read pool keeps its connections between statements (no test of
//! each on its way back to the pool), and keeps none it should not: one whose statement
//! failed, one whose server went away, one kept too long, and never all of the pool's; when
//! every connection is busy, the statements get them in the order they came, and the pool
//! still grows to what it may hold.

use std::time::Duration;

use chrono::{DateTime, Utc};
use newsroom::db::read_db::ReadDb;
use newsroom::metrics::{pool_waits, Pool};
use prometheus_client::metrics::histogram::Histogram;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

use crate::helpers::TestApp;

/// A pool of `max` connections to the test app's database.
fn pool(app: &TestApp, max: u32) -> PgPool {
    PgPoolOptions::new()
        .max_connections(max)
        .connect_lazy_with(app.state.db.connect_options().as_ref().clone())
}

/// A read pool of `max` connections to the test app's database that keeps them `keep_for`.
fn kept(app: &TestApp, max: u32, keep_for: Duration) -> ReadDb {
    ReadDb::keeping(pool(app, max), keep_for)
}

/// Long enough that nothing kept goes back to the pool during a test.
const A_MINUTE: Duration = Duration::from_secs(60);

async fn backend(db: &ReadDb) -> sqlx::Result<i32> {
    sqlx::query_scalar("select pg_backend_pid()")
        .fetch_one(db)
        .await
}

/// Waits until `pool` has `n` idle connections (a connection given back is tested by a task
/// of its own first).
async fn idle(pool: &PgPool, n: usize) {
    for _ in 0..200 {
        if pool.num_idle() == n {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the pool has {} idle connections, not {n}", pool.num_idle());
}

#[actix_web::test]
async fn a_read_keeps_its_connection_for_the_next_one_out_of_the_pool() {
    let app = TestApp::spawn().await;
    let db = kept(&app, 3, A_MINUTE);
    let first = backend(&db).await.unwrap();
    assert_eq!(db.kept_now(), 1);
    assert_eq!(db.pool().num_idle(), 0, "kept, not given back");
    for _ in 0..5 {
        assert_eq!(backend(&db).await.unwrap(), first);
    }
    // fetch_all and execute go through it too.
    let rows: Vec<i32> = sqlx::query_scalar("select pg_backend_pid() from generate_series(1, 3)")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(rows, vec![first; 3]);
    sqlx::query("select 1").execute(&db).await.unwrap();
    assert_eq!((db.kept_now(), db.pool().size()), (1, 1));
}

#[actix_web::test]
async fn a_failed_statement_gives_its_connection_back_to_the_pool() {
    let app = TestApp::spawn().await;
    let db = kept(&app, 3, A_MINUTE);
    sqlx::query("select 1/0").execute(&db).await.unwrap_err();
    assert_eq!(db.kept_now(), 0);
    idle(db.pool(), 1).await;
}

#[actix_web::test]
async fn a_connection_whose_server_went_away_fails_one_read_and_is_not_kept() {
    let app = TestApp::spawn().await;
    let db = kept(&app, 3, A_MINUTE);
    let gone = backend(&db).await.unwrap();
    sqlx::query("select pg_terminate_backend($1)")
        .bind(gone)
        .execute(&app.state.db)
        .await
        .unwrap();
    backend(&db).await.unwrap_err();
    assert_eq!(db.kept_now(), 0);
    let next = backend(&db).await.unwrap();
    assert_ne!(next, gone);
    assert_eq!(db.kept_now(), 1);
}

#[actix_web::test]
async fn a_connection_kept_too_long_goes_back_to_the_pool() {
    let app = TestApp::spawn().await;
    let db = kept(&app, 3, Duration::ZERO);
    backend(&db).await.unwrap();
    assert_eq!(db.kept_now(), 1);
    backend(&db).await.unwrap();
    // The second read took another connection; the first went back.
    assert_eq!(db.kept_now(), 1);
    idle(db.pool(), 1).await;
}

#[actix_web::test]
async fn one_connection_fewer_than_the_pool_holds_is_kept_and_closing_waits_for_none() {
    let app = TestApp::spawn().await;
    let db = kept(&app, 2, A_MINUTE);
    let sleep = || sqlx::query("select pg_sleep(0.2)").execute(&db);
    let (a, b) = futures_util::join!(sleep(), sleep());
    a.unwrap();
    b.unwrap();
    assert_eq!(db.kept_now(), 1);
    // The other is in the pool, for whoever needs a connection of their own.
    idle(db.pool(), 1).await;
    let own = tokio_timeout(db.pool().acquire()).await.unwrap();
    drop(own);

    db.give_back_all();
    assert_eq!(db.kept_now(), 0);
    tokio_timeout(db.pool().close()).await;
    // A read after closing keeps nothing.
    backend(&db).await.unwrap_err();
    assert_eq!(db.kept_now(), 0);
}

/// Waits until `n` statements of this test's database are in `pg_sleep`.
async fn sleeping(app: &TestApp, n: i64) {
    for _ in 0..500 {
        let now: i64 = sqlx::query_scalar(
            "select count(*) from pg_stat_activity where datname = current_database() \
             and state = 'active' and query like 'select pg_sleep%'",
        )
        .fetch_one(&app.state.db)
        .await
        .unwrap();
        if now == n {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("{n} statements never slept at once");
}

#[actix_web::test]
async fn a_statement_that_waits_for_a_connection_gets_one_before_any_that_comes_later() {
    let app = TestApp::spawn().await;
    let db = kept(&app, 2, A_MINUTE);
    let waited = || Histogram::sum(&pool_waits::ACQUIRE.get_or_create(&Pool::Read.labels()));
    let waited_before = waited();
    let clock =
        || sqlx::query_scalar::<_, DateTime<Utc>>("select clock_timestamp()").fetch_one(&db);
    let short = sqlx::query("select pg_sleep(0.4)").execute(&db);
    let long = sqlx::query("select pg_sleep(1.5)").execute(&db);
    // Comes while both connections are busy: waits in line.
    let early = async {
        sleeping(&app, 2).await;
        clock().await
    };
    // Comes once the short one has ended: its connection must have gone to `early`, not be
    // kept for this one.
    let late = async {
        sleeping(&app, 2).await;
        sleeping(&app, 1).await;
        clock().await
    };
    let (short, long, early, late) = futures_util::join!(short, long, early, late);
    short.unwrap();
    long.unwrap();
    let (early, late) = (early.unwrap(), late.unwrap());
    assert!(
        early < late,
        "served at {early} after the later one at {late}"
    );
    // `early`'s wait in line (about 0.4 s) is in the checkout waits of the read pools (the
    // process's histogram: other tests only add their checkouts of a few milliseconds).
    assert!(waited() - waited_before > 0.2);
}

#[actix_web::test]
async fn a_busy_read_pool_opens_every_connection_it_may_hold() {
    let app = TestApp::spawn().await;
    let db = kept(&app, 4, A_MINUTE);
    backend(&db).await.unwrap();
    // While one statement runs on the kept connection, the pool opens the others; a
    // connection handed on in line must not cancel their opening. (Each statement sleeps:
    // one that answered within its first poll would leave its connection to the next.)
    let slow = || {
        sqlx::query_scalar::<_, i32>("select pg_backend_pid() from pg_sleep(0.05)").fetch_one(&db)
    };
    let reads = futures_util::future::try_join_all((0..32).map(|_| slow()));
    let used: std::collections::HashSet<i32> = reads.await.unwrap().into_iter().collect();
    assert_eq!((db.pool().size(), used.len()), (4, 4));
}

#[actix_web::test]
async fn a_plain_read_pool_keeps_nothing() {
    let app = TestApp::spawn().await;
    let db = ReadDb::plain(pool(&app, 3));
    backend(&db).await.unwrap();
    assert_eq!(db.kept_now(), 0);
    idle(db.pool(), 1).await;
}

async fn tokio_timeout<T>(f: impl std::future::Future<Output = T>) -> T {
    actix_web::rt::time::timeout(Duration::from_secs(5), f)
        .await
        .expect("done within 5 s")
}
