//! Email across a crash mid-send: an email the SMTP server may or may not have taken goes
//! again if it is delivered at least once (confirmations), and is marked `interrupted`, never
//! sent again, if it is delivered at most once (newsletter issues).

use chrono::Duration;
use newsroom::email::{self, store, Worker};

use crate::email::{enqueue, message, spawn_with_sink};
use crate::helpers::TestApp;
use crate::smtp_sink::SmtpSink;

/// The worker of an instance killed while the SMTP server holds its messages: the pass is
/// dropped mid-send, as a crash would leave it.
pub(crate) async fn crash_mid_send(app: &TestApp) {
    let worker = Worker::new(&app.state.config).unwrap();
    let cut = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        worker.run_once(&app.state),
    )
    .await;
    assert!(cut.is_err(), "the sends were still waiting for the server");
}

#[actix_web::test]
async fn an_email_a_crash_interrupted_mid_send_goes_again_only_if_delivered_at_least_once() {
    let sink = SmtpSink::stalling_first(2);
    let app = spawn_with_sink(&sink).await;
    enqueue(&app, &message("confirm@example.org", None)).await;
    let mut bulk = message("issue@example.org", None);
    bulk.delivery = email::Delivery::AtMostOnce;
    enqueue(&app, &bulk).await;
    crash_mid_send(&app).await;
    let left: Vec<(String, String)> =
        sqlx::query_as("select recipient, status from email_outbox order by recipient")
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    assert_eq!(
        left,
        [
            ("confirm@example.org".to_owned(), "pending".to_owned()),
            ("issue@example.org".to_owned(), "sending".to_owned())
        ]
    );

    let worker = Worker::new(&app.state.config).unwrap();
    let early = worker.run_once(&app.state).await.unwrap();
    assert_eq!(
        (early.sent, early.interrupted),
        (0, 0),
        "the lease still holds"
    );
    app.clock.advance(email::worker::LEASE);
    let pass = worker.run_once(&app.state).await.unwrap();
    assert_eq!((pass.sent, pass.interrupted), (1, 1));
    app.clock.advance(Duration::hours(1));
    let later = worker.run_once(&app.state).await.unwrap();
    assert_eq!((later.sent, later.interrupted), (0, 0));
    let got: Vec<Vec<String>> = sink.messages().into_iter().map(|m| m.recipients).collect();
    assert_eq!(got, [["confirm@example.org"]]);
    let (status, error): (String, Option<String>) = sqlx::query_as(
        "select status, last_error from email_outbox where recipient = 'issue@example.org'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(status, "interrupted");
    assert!(error.unwrap_or_default().contains("not sent again"));
}

#[actix_web::test]
async fn an_at_most_once_email_is_not_sent_by_a_claim_that_lost_it() {
    let app = TestApp::spawn().await;
    let mut bulk = message("issue@example.org", None);
    bulk.delivery = email::Delivery::AtMostOnce;
    enqueue(&app, &bulk).await;
    let now = app.clock.now();
    let lease = email::worker::LEASE;
    let stale = store::claim_due(&app.state.db, now, now + lease, 16)
        .await
        .unwrap();
    // The first claim stalled past its lease; another instance claimed the email since.
    let fresh = store::claim_due(&app.state.db, now + lease, now + lease + lease, 16)
        .await
        .unwrap();
    assert!(
        !store::mark_sending(&app.state.db, stale[0].id, stale[0].attempts)
            .await
            .unwrap()
    );
    assert!(
        store::mark_sending(&app.state.db, fresh[0].id, fresh[0].attempts)
            .await
            .unwrap()
    );
    assert!(
        !store::mark_sending(&app.state.db, fresh[0].id, fresh[0].attempts)
            .await
            .unwrap(),
        "once sending, never again"
    );
}
