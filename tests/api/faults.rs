//! Faults that fit in `cargo test` (the rest is `scripts/fault-test`): a connection the
//! database killed answers 503 and the pool recovers; readiness fails fast; an email leased by
//! an instance that died is sent once its lease ends, and a live lease is renewed; SIGTERM
//! lets an in-flight request finish.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use actix_web::http::Method;
use newsroom::email::{self, store, worker::LEASE, Message, Worker};
use newsroom::error::AppError;
use newsroom::state::AppState;
use sqlx::Connection;
use uuid::Uuid;

use crate::helpers::{id_str, TestApp, PASSWORD};
use crate::smtp_sink::SmtpSink;

#[actix_web::test]
async fn connections_the_database_terminated_answer_503_and_the_pool_recovers() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    // The production pool (no ping before each use), as `newsroom serve` builds it.
    let pool = newsroom::db::pool("DATABASE_URL", &app.database_url(), 4).unwrap();
    let state = AppState::new(pool, app.clock.clone(), app.state.config.clone());
    let server = actix_test::start(move || newsroom::startup::app(state.clone()));
    let me = || async {
        server
            .get("/api/v1/me")
            .insert_header(("authorization", format!("Bearer {}", admin.token)))
            .send()
            .await
            .expect("an answer")
            .status()
            .as_u16()
    };
    for _ in 0..3 {
        assert_eq!(me().await, 200);
    }
    let mut other = sqlx::PgConnection::connect(&app.database_url())
        .await
        .unwrap();
    // What a fast shutdown or an administrator does to every session (SQLSTATE 57P01).
    sqlx::query(
        "select pg_terminate_backend(pid) from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid()",
    )
    .execute(&mut other)
    .await
    .unwrap();
    other.close().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut answers = vec![me().await];
    while answers.last() != Some(&200) && answers.len() < 10 {
        answers.push(me().await);
    }
    assert_eq!(answers[0], 503, "a dead connection is a 503: {answers:?}");
    assert!(
        answers.iter().all(|s| *s == 503 || *s == 200),
        "only 503s until the pool has fresh connections: {answers:?}"
    );
    assert_eq!(
        answers.last(),
        Some(&200),
        "the pool recovered: {answers:?}"
    );
}

#[actix_web::test]
async fn a_terminated_session_is_a_503_error_not_a_500() {
    let app = TestApp::spawn().await;
    let mut doomed = app.state.db.acquire().await.unwrap();
    let pid: i32 = sqlx::query_scalar("select pg_backend_pid()")
        .fetch_one(&mut *doomed)
        .await
        .unwrap();
    sqlx::query("select pg_terminate_backend($1)")
        .bind(pid)
        .execute(&app.state.db)
        .await
        .unwrap();
    let err = sqlx::query("select 1")
        .execute(&mut *doomed)
        .await
        .expect_err("the session is gone");
    assert!(
        matches!(AppError::from(err), AppError::Unavailable),
        "a terminated session is the database being unavailable"
    );
    for code in ["57P01", "57P02", "57P03", "08006", "53300"] {
        assert!(newsroom::error::database_unavailable(code), "{code}");
    }
    for code in ["23505", "40001", "42P01", "P0001"] {
        assert!(!newsroom::error::database_unavailable(code), "{code}");
    }
}

#[actix_web::test]
async fn readiness_answers_503_before_the_pool_would_give_up_on_a_dead_database() {
    let app = TestApp::spawn_without_database().await;
    let started = Instant::now();
    app.call(Method::GET, "/health/ready", None, None)
        .await
        .assert_problem(503);
    // A refused connection is an answer: readiness does not wait out the pool's 5 s
    // acquire timeout, nor its own 2 s limit, to say so.
    assert!(started.elapsed() < Duration::from_secs(2));
}

fn note(to: &str) -> Message {
    Message {
        kind: "confirm",
        to: to.to_owned(),
        subject: "A note".to_owned(),
        text: "Text".to_owned(),
        html: "<p>Text</p>".to_owned(),
        headers: vec![],
        dedupe_key: None,
        delivery: email::Delivery::AtLeastOnce,
    }
}

async fn queue(app: &TestApp, to: &str) -> Uuid {
    let mut tx = app.state.db.begin().await.unwrap();
    email::enqueue(&mut *tx, &note(to), app.clock.now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    sqlx::query_scalar("select id from email_outbox where recipient = $1")
        .bind(to)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

#[actix_web::test]
async fn an_email_leased_by_an_instance_that_died_is_sent_once_when_the_lease_ends() {
    let sink = SmtpSink::start();
    let url = sink.url();
    let app =
        TestApp::spawn_with(move |c| c.smtp_url = Some(newsroom::config::Secret::new(url))).await;
    queue(&app, "reader@example.org").await;
    let now = app.clock.now();
    // The instance that claimed it was killed before it sent anything.
    let claimed = store::claim_due(&app.state.db, now, now + LEASE, 16)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let worker = Worker::new(&app.state.config).unwrap();
    assert_eq!(worker.run_once(&app.state).await.unwrap().sent, 0);
    app.clock.advance(LEASE);
    assert_eq!(worker.run_once(&app.state).await.unwrap().sent, 1);
    assert_eq!(worker.run_once(&app.state).await.unwrap().sent, 0);
    assert_eq!(sink.messages().len(), 1);
}

#[actix_web::test]
async fn a_renewed_lease_keeps_other_instances_off_and_a_settled_email_is_not_renewed() {
    let app = TestApp::spawn().await;
    let sending = queue(&app, "one@example.org").await;
    let sent = queue(&app, "two@example.org").await;
    let now = app.clock.now();
    let lease = now + LEASE;
    assert_eq!(
        store::claim_due(&app.state.db, now, lease, 16)
            .await
            .unwrap()
            .len(),
        2
    );
    store::mark_sent(&app.state.db, sent, now).await.unwrap();
    let renewed_to = lease + LEASE;
    let renewed = store::renew(&app.state.db, &[sending, sent], lease, renewed_to)
        .await
        .unwrap();
    assert_eq!(
        renewed, 1,
        "only the email still being sent holds the lease"
    );
    let after_first_lease = store::claim_due(&app.state.db, lease, lease + LEASE, 16)
        .await
        .unwrap();
    assert!(
        after_first_lease.is_empty(),
        "the renewed lease still holds"
    );
    // A stale renewal (the lease moved on meanwhile) changes nothing.
    let stale = store::renew(&app.state.db, &[sending], lease, renewed_to + LEASE)
        .await
        .unwrap();
    assert_eq!(stale, 0);
    let after_renewal = store::claim_due(&app.state.db, renewed_to, renewed_to + LEASE, 16)
        .await
        .unwrap();
    assert_eq!(after_renewal.len(), 1);
    assert_eq!(after_renewal[0].id, sending);
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[actix_web::test]
async fn sigterm_lets_an_in_flight_request_finish_then_the_server_exits_cleanly() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "drain-times").await;
    let article = id_str(&app.draft(&admin, &desk, "Drained").await);
    let port = free_port();
    let data = std::env::temp_dir().join(format!("newsroom-drain-{}", Uuid::now_v7()));
    // With SMTP set, the email loop holds an SMTP pool, which must close inside the runtime.
    let sink = SmtpSink::start();
    let mut server = Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .arg("serve")
        .env("DATABASE_URL", app.database_url())
        .env("NEWSROOM_ADDR", format!("127.0.0.1:{port}"))
        // Not the default port: other tests may run a server at the same time.
        .env("NEWSROOM_METRICS_ADDR", "127.0.0.1:0")
        .env("NEWSROOM_DATA_DIR", &data)
        .env("SMTP_URL", sink.url())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run newsroom serve");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..200 {
        if let Ok(res) = client.get(format!("{base}/health/ready")).send().await {
            ready = res.status() == 200;
            if ready {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ready, "the server started");
    // Signed in through the child, whose clock is the system's (the test app's stands still).
    let login = client
        .post(format!("{base}/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(serde_json::json!({"email": admin.email, "password": PASSWORD}).to_string())
        .send()
        .await
        .unwrap();
    let login: serde_json::Value = serde_json::from_slice(&login.bytes().await.unwrap()).unwrap();
    let token = login["token"].as_str().expect("a token").to_owned();

    // The PATCH waits for this row lock, so it is in flight when SIGTERM arrives.
    let mut holder = sqlx::PgConnection::connect(&app.database_url())
        .await
        .unwrap();
    sqlx::query("begin").execute(&mut holder).await.unwrap();
    sqlx::query("select 1 from articles where id = $1::uuid for update")
        .bind(&article)
        .execute(&mut holder)
        .await
        .unwrap();
    let patch = tokio::spawn(
        client
            .patch(format!("{base}/api/v1/articles/{article}"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .header("if-match", "\"1\"")
            .body(r#"{"headline": "Drained on shutdown"}"#)
            .send(),
    );
    let mut waiting = false;
    for _ in 0..300 {
        let waiters: i64 = sqlx::query_scalar(
            "select count(*) from pg_stat_activity
             where datname = current_database() and application_name = 'newsroom'
               and wait_event_type = 'Lock'",
        )
        .fetch_one(&app.state.db)
        .await
        .unwrap();
        if waiters > 0 {
            waiting = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(waiting, "the PATCH is waiting for the lock");
    let signalled = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        server.try_wait().unwrap().is_none(),
        "the server waits for the request in flight"
    );
    sqlx::query("commit").execute(&mut holder).await.unwrap();
    let answer = patch.await.unwrap().expect("the PATCH got an answer");
    assert_eq!(answer.status(), 200);
    let status = server.wait().unwrap();
    let mut log = String::new();
    if let Some(mut stderr) = server.stderr.take() {
        std::io::Read::read_to_string(&mut stderr, &mut log).ok();
    }
    let _ = std::fs::remove_dir_all(&data);
    assert!(status.success(), "clean exit after draining: {log}");
    assert!(!log.contains("panicked"), "no panic on the way out: {log}");
    let headline: String = sqlx::query_scalar("select headline from articles where id = $1::uuid")
        .bind(&article)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(headline, "Drained on shutdown");
}
