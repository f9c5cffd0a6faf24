//! Gauges read at scrape time: the pools, checkout waits, the change feed's lag, and a
//! database that does not answer (the scrape still does, quickly, without those gauges).

use std::time::{Duration, Instant};

use newsroom::metrics::pool_waits;
use sqlx::Connection;
use tracing_subscriber::layer::SubscriberExt;

use super::Listener;
use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn each_pool_shows_its_size_use_and_limit() {
    let app = TestApp::spawn().await;
    let metrics = Listener::start(&app);
    let held = app.state.db.acquire().await.unwrap();
    let scrape = metrics.scrape(&app).await;
    let primary = [("pool", "primary")];
    assert_eq!(scrape.value("newsroom_db_pool_max", &primary), 20.0);
    assert!(scrape.value("newsroom_db_pool_in_use", &primary) >= 1.0);
    assert_eq!(
        scrape.value("newsroom_db_pool_size", &primary),
        scrape.value("newsroom_db_pool_in_use", &primary)
            + scrape.value("newsroom_db_pool_idle", &primary)
    );
    drop(held);
    // The test apps read syndication and public requests from a pool of their own.
    assert_eq!(
        scrape
            .samples("newsroom_db_pool_max", &[("pool", "read")])
            .len(),
        1
    );
    assert_eq!(scrape.value("newsroom_metrics_database_up", &[]), 1.0);
}

#[actix_web::test]
async fn checkout_waits_are_timed_under_the_pool_they_came_from() {
    let app = TestApp::spawn().await;
    // `serve` installs this layer for the whole process; here, for this test's thread.
    let subscriber = tracing_subscriber::registry().with(pool_waits::layer());
    let _guard = tracing::subscriber::set_default(subscriber);
    let url = app.database_url();
    let primary = newsroom::db::pool("DATABASE_URL", &url, 2).unwrap();
    let read = newsroom::db::pool("DATABASE_READ_URL", &url, 2).unwrap();
    let metrics = Listener::start(&app);
    let before = metrics.scrape(&app).await;
    let count = |s: &super::Scrape, pool| {
        s.samples(
            "newsroom_db_pool_acquire_duration_seconds_count",
            &[("pool", pool)],
        )
        .first()
        .map_or(0.0, |(_, v)| *v)
    };
    for _ in 0..3 {
        sqlx::query("select 1").execute(&primary).await.unwrap();
    }
    sqlx::query("select 1").execute(&read).await.unwrap();
    let after = metrics.scrape(&app).await;
    // The histogram is the process's: other tests' pools may add to it, never take away.
    assert!(count(&after, "primary") >= count(&before, "primary") + 3.0);
    assert!(count(&after, "read") > count(&before, "read"));
    primary.close().await;
    read.close().await;
}

#[actix_web::test]
async fn an_event_held_back_by_an_open_transaction_shows_as_change_feed_lag() {
    let app = TestApp::spawn().await;
    let metrics = Listener::start(&app);
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "lag-daily").await;
    let id = id_str(&app.draft(&admin, &desk, "Held back").await);
    // A transaction with an id, still open: the feed hands out nothing committed after it.
    let mut holder = sqlx::PgConnection::connect(&app.database_url())
        .await
        .unwrap();
    let mut open = holder.begin().await.unwrap();
    sqlx::query("select pg_current_xact_id()")
        .execute(&mut *open)
        .await
        .unwrap();
    app.act(&admin.token, &id, 1, "publish", None)
        .await
        .assert_status(200);
    app.clock.advance(chrono::Duration::seconds(90));
    let held = metrics.scrape(&app).await;
    assert_eq!(held.value("newsroom_change_feed_lag_seconds", &[]), 90.0);

    open.rollback().await.unwrap();
    // Other tests' transactions on the shared server can hold the feed back for a moment.
    let mut lag = f64::MAX;
    for _ in 0..200 {
        lag = metrics
            .scrape(&app)
            .await
            .value("newsroom_change_feed_lag_seconds", &[]);
        if lag == 0.0 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(lag, 0.0, "the feed caught up");
}

#[actix_web::test]
async fn a_scrape_without_a_database_answers_quickly_and_leaves_its_gauges_out() {
    let app = TestApp::spawn_without_database().await;
    let metrics = Listener::start(&app);
    let started = Instant::now();
    let scrape = metrics.scrape(&app).await;
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(scrape.value("newsroom_metrics_database_up", &[]), 0.0);
    assert!(scrape.samples("newsroom_scheduler_due", &[]).is_empty());
    assert!(scrape
        .samples("newsroom_webhook_paused_partners", &[])
        .is_empty());
    assert_eq!(
        scrape.value("newsroom_http_requests_in_flight", &[]),
        0.0,
        "the rest is there"
    );
}
