//! Email delivery through the outbox: a real SMTP sink on loopback (multipart, headers,
//! exactly once, dedupe, retries after backoff, giving up, several instances) and the `.eml`
//! drop folder when no SMTP server is set.

use chrono::Duration;
use newsroom::config::Secret;
use newsroom::email::{self, templates, Message, Worker};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::smtp_sink::SmtpSink;

pub(crate) fn message(to: &str, dedupe_key: Option<&str>) -> Message {
    let (text, html) = templates::render(
        "confirm",
        json!({
            "newsletter_name": "Eastern Briefings",
            "confirm_url": "https://news.example/confirm?token=t0k3n",
            "policy_version": "2026-01",
        }),
    )
    .expect("the confirm template renders");
    Message {
        kind: "confirm",
        to: to.to_owned(),
        subject: "Confirm your subscription to Eastern Briefings".to_owned(),
        text,
        html,
        headers: vec![
            (
                "List-Unsubscribe".to_owned(),
                "<https://news.example/unsubscribe?token=u1>".to_owned(),
            ),
            (
                "List-Unsubscribe-Post".to_owned(),
                "List-Unsubscribe=One-Click".to_owned(),
            ),
        ],
        dedupe_key: dedupe_key.map(str::to_owned),
        delivery: email::Delivery::AtLeastOnce,
    }
}

pub(crate) async fn enqueue(app: &TestApp, msg: &Message) -> bool {
    let mut tx = app.state.db.begin().await.unwrap();
    let queued = email::enqueue(&mut *tx, msg, app.clock.now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    queued
}

pub(crate) async fn spawn_with_sink(sink: &SmtpSink) -> TestApp {
    let url = sink.url();
    TestApp::spawn_with(move |c| c.smtp_url = Some(Secret::new(url))).await
}

async fn statuses(app: &TestApp) -> Vec<(String, i32)> {
    sqlx::query_as("select status, attempts from email_outbox order by id")
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

#[actix_web::test]
async fn queued_emails_reach_the_smtp_server_once_as_multipart_with_their_headers() {
    let sink = SmtpSink::start();
    let app = spawn_with_sink(&sink).await;
    assert!(enqueue(&app, &message("ada@example.org", None)).await);
    assert!(enqueue(&app, &message("grace@example.org", None)).await);
    let worker = Worker::new(&app.state.config).unwrap();

    let pass = worker.run_once(&app.state).await.unwrap();
    assert_eq!((pass.sent, pass.failed_attempts), (2, 0));
    let got = sink.messages();
    assert_eq!(got.len(), 2);
    let mut recipients: Vec<_> = got.iter().flat_map(|m| m.recipients.clone()).collect();
    recipients.sort();
    assert_eq!(recipients, ["ada@example.org", "grace@example.org"]);
    for m in &got {
        assert_eq!(m.from, "newsroom@test.example");
        assert_eq!(
            m.header("From").as_deref(),
            Some("newsroom <newsroom@test.example>")
        );
        assert_eq!(
            m.header("Subject").as_deref(),
            Some("Confirm your subscription to Eastern Briefings")
        );
        assert_eq!(
            m.header("List-Unsubscribe").as_deref(),
            Some("<https://news.example/unsubscribe?token=u1>")
        );
        assert_eq!(
            m.header("List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        let id = m.header("Message-ID").unwrap();
        assert!(
            id.starts_with('<') && id.ends_with("@test.example>"),
            "{id}"
        );
        assert!(m
            .header("Content-Type")
            .unwrap()
            .starts_with("multipart/alternative"));
        assert!(m.data.contains("Content-Type: text/plain"), "{}", m.data);
        assert!(m.data.contains("Content-Type: text/html"), "{}", m.data);
        // The parts are quoted-printable: undo its soft line breaks and `=3D` (`=`).
        let body = m.data.replace("=\r\n", "").replace("=3D", "=");
        assert!(
            body.contains("https://news.example/confirm?token=t0k3n"),
            "{body}"
        );
        assert!(body.contains("ignore this email"), "{body}");
    }
    assert_eq!(
        statuses(&app).await,
        [("sent".to_owned(), 1), ("sent".to_owned(), 1)]
    );

    // Exactly once: a later pass, even much later, sends nothing more.
    app.clock.advance(Duration::hours(2));
    let again = worker.run_once(&app.state).await.unwrap();
    assert_eq!((again.sent, again.failed_attempts), (0, 0));
    assert_eq!(sink.messages().len(), 2);
}

#[actix_web::test]
async fn an_email_enqueued_twice_with_one_dedupe_key_is_sent_once() {
    let sink = SmtpSink::start();
    let app = spawn_with_sink(&sink).await;
    let msg = message("ada@example.org", Some("confirm:ada:1"));
    assert!(enqueue(&app, &msg).await);
    assert!(!enqueue(&app, &msg).await);
    // Messages without a key are never deduplicated.
    assert!(enqueue(&app, &message("ada@example.org", None)).await);
    assert!(enqueue(&app, &message("ada@example.org", None)).await);

    let pass = Worker::new(&app.state.config)
        .unwrap()
        .run_once(&app.state)
        .await
        .unwrap();
    assert_eq!(pass.sent, 3);
    assert_eq!(sink.messages().len(), 3);
}

#[actix_web::test]
async fn an_enqueue_rolled_back_with_its_transaction_sends_nothing() {
    let sink = SmtpSink::start();
    let app = spawn_with_sink(&sink).await;
    let mut tx = app.state.db.begin().await.unwrap();
    let msg = message("ada@example.org", Some("k"));
    assert!(email::enqueue(&mut *tx, &msg, app.clock.now())
        .await
        .unwrap());
    tx.rollback().await.unwrap();

    let pass = Worker::new(&app.state.config)
        .unwrap()
        .run_once(&app.state)
        .await
        .unwrap();
    assert_eq!(pass.sent, 0);
    // The key is free again.
    assert!(enqueue(&app, &msg).await);
}

#[actix_web::test]
async fn a_server_answering_451_gets_the_email_again_after_the_backoff_and_once() {
    let sink = SmtpSink::failing_first(1);
    let app = spawn_with_sink(&sink).await;
    enqueue(&app, &message("ada@example.org", None)).await;
    let worker = Worker::new(&app.state.config).unwrap();

    let first = worker.run_once(&app.state).await.unwrap();
    assert_eq!((first.sent, first.failed_attempts), (0, 1));
    let (last_error,): (Option<String>,) = sqlx::query_as("select last_error from email_outbox")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert!(last_error.unwrap_or_default().contains("451"));
    // Not before the backoff (5 to 10 s after the first failure).
    app.clock.advance(Duration::seconds(4));
    let early = worker.run_once(&app.state).await.unwrap();
    assert_eq!((early.sent, early.failed_attempts), (0, 0));

    app.clock.advance(Duration::seconds(7));
    let later = worker.run_once(&app.state).await.unwrap();
    assert_eq!((later.sent, later.failed_attempts), (1, 0));
    assert_eq!(sink.messages().len(), 1);
    assert_eq!(statuses(&app).await, [("sent".to_owned(), 2)]);
}

#[actix_web::test]
async fn an_email_still_failing_after_24_hours_is_given_up() {
    let sink = SmtpSink::failing_first(usize::MAX);
    let app = spawn_with_sink(&sink).await;
    enqueue(&app, &message("ada@example.org", None)).await;
    let worker = Worker::new(&app.state.config).unwrap();
    worker.run_once(&app.state).await.unwrap();
    assert_eq!(statuses(&app).await, [("pending".to_owned(), 1)]);

    app.clock.advance(Duration::hours(25));
    let pass = worker.run_once(&app.state).await.unwrap();
    assert_eq!(pass.failed_attempts, 1);
    assert_eq!(statuses(&app).await, [("failed".to_owned(), 2)]);
    app.clock.advance(Duration::hours(2));
    let after = worker.run_once(&app.state).await.unwrap();
    assert_eq!((after.sent, after.failed_attempts), (0, 0));
}

#[actix_web::test]
async fn an_email_that_cannot_be_built_fails_at_once_without_blocking_others() {
    let sink = SmtpSink::start();
    let app = spawn_with_sink(&sink).await;
    let mut bad = message("ada@example.org", None);
    bad.headers
        .push(("Bcc".to_owned(), "spy@example.org".to_owned()));
    enqueue(&app, &bad).await;
    enqueue(&app, &message("not an address", None)).await;
    enqueue(&app, &message("grace@example.org", None)).await;

    let pass = Worker::new(&app.state.config)
        .unwrap()
        .run_once(&app.state)
        .await
        .unwrap();
    assert_eq!((pass.sent, pass.failed_attempts), (1, 2));
    assert_eq!(
        statuses(&app).await,
        [
            ("failed".to_owned(), 1),
            ("failed".to_owned(), 1),
            ("sent".to_owned(), 1)
        ]
    );
    assert_eq!(sink.messages()[0].recipients, ["grace@example.org"]);
}

#[actix_web::test]
async fn two_instances_sending_at_once_send_every_email_exactly_once() {
    let sink = SmtpSink::start();
    let app = spawn_with_sink(&sink).await;
    for n in 0..40 {
        enqueue(&app, &message(&format!("reader{n}@example.org"), None)).await;
    }
    let (_server, other) = app.another_instance();
    let (a, b) = (
        Worker::new(&app.state.config).unwrap(),
        Worker::new(&other.config).unwrap(),
    );
    let (one, two) = futures_util::join!(a.run_once(&app.state), b.run_once(&other));
    let (one, two) = (one.unwrap(), two.unwrap());
    assert_eq!(one.sent + two.sent, 40);
    let mut recipients: Vec<String> = sink
        .messages()
        .into_iter()
        .flat_map(|m| m.recipients)
        .collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 40);
    assert_eq!(sink.messages().len(), 40);
}

#[actix_web::test]
async fn without_an_smtp_server_emails_are_written_as_eml_files() {
    let dir = std::env::temp_dir().join(format!("newsroom-mail-test-{}", Uuid::now_v7()));
    let data_dir = dir.clone();
    let app = TestApp::spawn_with(move |c| {
        c.smtp_url = None;
        c.data_dir = data_dir;
    })
    .await;
    enqueue(&app, &message("ada@example.org", None)).await;
    enqueue(&app, &message("grace@example.org", None)).await;

    let pass = Worker::new(&app.state.config)
        .unwrap()
        .run_once(&app.state)
        .await
        .unwrap();
    assert_eq!(pass.sent, 2);
    let ids: Vec<(Uuid,)> = sqlx::query_as("select id from email_outbox order by id")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    let mut names: Vec<String> = std::fs::read_dir(dir.join("mail"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let expected: Vec<String> = ids.iter().map(|(id,)| format!("{id}.eml")).collect();
    assert_eq!(
        names, expected,
        "one file per email, no temporary files left"
    );
    let raw = std::fs::read_to_string(dir.join("mail").join(&expected[0])).unwrap();
    assert!(raw.contains("To: ada@example.org"), "{raw}");
    assert!(raw.contains("From: newsroom <newsroom@test.example>"));
    assert!(raw.contains("List-Unsubscribe: <https://news.example/unsubscribe?token=u1>"));
    assert!(raw.contains("multipart/alternative"));
    assert!(raw.contains(&format!("Message-ID: <{}@test.example>", ids[0].0)));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_refuses_a_malformed_mail_from_or_smtp_url() {
    let good = crate::helpers::test_config();
    assert!(email::check_settings(&good).is_ok());
    let mut with_sink = good.clone();
    with_sink.smtp_url = Some(Secret::new("smtp://127.0.0.1:2525"));
    assert!(email::check_settings(&with_sink).is_ok());
    let mut bad_from = good.clone();
    bad_from.mail_from = "newsroom at localhost".into();
    assert!(email::check_settings(&bad_from).is_err());
    let mut bad_url = good;
    bad_url.smtp_url = Some(Secret::new("http://mail.example"));
    assert!(email::check_settings(&bad_url).is_err());
}
