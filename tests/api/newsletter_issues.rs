//! Newsletter issues end to end through a real SMTP server: compose, preview, send exactly
//! once per subscriber with RFC 8058 headers, one-click unsubscribe, the next send skips the
//! address, and the public "latest issue" page.

use actix_web::http::Method;
use newsroom::domain::Role;
use serde_json::json;

use newsroom::email::Worker;

use crate::helpers::{id_str, Desk, TestApp, TestUser};
use crate::smtp_sink::SmtpSink;
use crate::subscriptions::{
    confirmation_link, newsletter, post_json, sign_up, smtp_text, status, token_in,
};

async fn confirmed_reader(app: &TestApp, email: &str) {
    sign_up(app, "eastern-briefings", email)
        .await
        .assert_status(202);
    let (token, _) = confirmation_link(app, email).await;
    post_json(
        app,
        "/public/v1/subscriptions/confirm",
        json!({"token": token}),
    )
    .await
    .assert_status(200);
}

/// Signs up through the API, then confirms with the link of the email the SMTP server got.
async fn confirmed_through_smtp(app: &TestApp, sink: &SmtpSink, worker: &Worker, email: &str) {
    sign_up(app, "eastern-briefings", email)
        .await
        .assert_status(202);
    worker.run_once(&app.state).await.unwrap();
    let mail = sink.messages();
    let message = mail
        .iter()
        .rev()
        .find(|m| m.recipients == [email])
        .expect("the confirmation email arrived");
    let token = token_in(&smtp_text(message));
    post_json(
        app,
        "/public/v1/subscriptions/confirm",
        json!({"token": token}),
    )
    .await
    .assert_status(200);
    assert_eq!(status(app, email).await.as_deref(), Some("confirmed"));
}

/// The newsletter `eastern-briefings`, an admin, and one published story (its id).
async fn newsletter_with_story(
    app: &TestApp,
    outlet: &str,
    headline: &str,
) -> (TestUser, Desk, String) {
    newsletter(app, "eastern-briefings").await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, outlet).await;
    let story = id_str(&app.draft(&admin, &desk, headline).await);
    app.act(&admin.token, &story, 1, "publish", None)
        .await
        .assert_status(200);
    (admin, desk, story)
}

#[actix_web::test]
async fn an_issue_reaches_each_subscriber_once_and_one_click_unsubscribe_stops_the_next() {
    let sink = SmtpSink::start();
    let url = sink.url();
    let app = TestApp::spawn_with(|c| c.smtp_url = Some(newsroom::config::Secret::new(url))).await;
    let (admin, desk, story) =
        newsletter_with_story(&app, "issue-daily", "Monsoon season opens").await;
    let draft = id_str(&app.draft(&admin, &desk, "Not yet public").await);
    let worker = Worker::new(&app.state.config).unwrap();
    confirmed_through_smtp(&app, &sink, &worker, "ana@example.org").await;
    confirmed_through_smtp(&app, &sink, &worker, "bo@example.org").await;
    sign_up(&app, "eastern-briefings", "pending@example.org")
        .await
        .assert_status(202);
    worker.run_once(&app.state).await.unwrap();
    let before = sink.messages().len();

    let editor = app.user(Role::Editor, &[desk.outlet]).await;
    let writer = app.user(Role::Writer, &[desk.outlet]).await;
    let issue = json!({"subject": "Eastern Briefings, 2 March", "intro": "Rain & <rivers>.", "article_ids": [story]});
    app.post(
        "/api/v1/newsletters/eastern-briefings/issues",
        &writer.token,
        issue.clone(),
    )
    .await
    .assert_problem(403);
    app.post(
        "/api/v1/newsletters/eastern-briefings/issues",
        &editor.token,
        json!({"subject": "x", "article_ids": [draft]}),
    )
    .await
    .assert_problem(422);
    let created = app
        .post(
            "/api/v1/newsletters/eastern-briefings/issues",
            &editor.token,
            issue,
        )
        .await;
    created.assert_status(201);
    assert_eq!(created.body["number"], 1);
    let preview = app
        .get(
            "/api/v1/newsletters/eastern-briefings/issues/1/preview",
            &editor.token,
        )
        .await;
    preview.assert_status(200);
    assert!(preview.body["html"]
        .as_str()
        .unwrap()
        .contains("Monsoon season opens"));
    assert!(preview.body["html"]
        .as_str()
        .unwrap()
        .contains("Rain &amp; &lt;rivers&gt;."));

    // Sent twice: each confirmed subscriber is queued once; the pending one not at all.
    for _ in 0..2 {
        let sent = app
            .post(
                "/api/v1/newsletters/eastern-briefings/issues/1/send",
                &editor.token,
                json!({}),
            )
            .await;
        sent.assert_status(200);
        // Queued for everyone, but not one email is out yet: `sending`, not `sent`.
        assert_eq!(sent.body["status"], "sending");
        assert!(sent.body["queued_at"].is_string());
        assert_eq!(sent.body["sent_at"], json!(null));
        assert_eq!(sent.body["progress"]["recipients"], 2);
    }
    worker.run_once(&app.state).await.unwrap();
    // The jobs loop's next pass sees that the last email is out.
    newsroom::newsletters::issues::resume_sending(&app.state)
        .await
        .unwrap();
    let progress = app
        .get(
            "/api/v1/newsletters/eastern-briefings/issues/1",
            &editor.token,
        )
        .await;
    assert_eq!(progress.body["progress"]["sent"], 2, "{}", progress.body);
    assert_eq!(progress.body["status"], "sent");
    assert!(progress.body["sent_at"].is_string());
    let mail: Vec<_> = sink.messages().into_iter().skip(before).collect();
    let mut recipients: Vec<String> = mail.iter().flat_map(|m| m.recipients.clone()).collect();
    recipients.sort();
    assert_eq!(recipients, ["ana@example.org", "bo@example.org"]);
    let to_ana = mail
        .iter()
        .find(|m| m.recipients == ["ana@example.org"])
        .unwrap();
    assert_eq!(
        to_ana.header("list-unsubscribe-post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let header = to_ana.header("list-unsubscribe").unwrap();
    let link = header.trim_start_matches('<').trim_end_matches('>');
    let path = link.split_once("newsroom.test").unwrap().1;

    // The mail client's one-click POST, with no login or cookie.
    app.call_raw(
        Method::POST,
        path,
        None,
        Some("application/x-www-form-urlencoded"),
        b"List-Unsubscribe=One-Click".to_vec(),
    )
    .await
    .assert_status(200);
    assert_eq!(
        status(&app, "ana@example.org").await.as_deref(),
        Some("unsubscribed")
    );

    // The next issue skips her.
    let second = app
        .post(
            "/api/v1/newsletters/eastern-briefings/issues",
            &editor.token,
            json!({"subject": "Eastern Briefings, 3 March", "article_ids": [story]}),
        )
        .await;
    assert_eq!(second.body["number"], 2);
    let sent = app
        .post(
            "/api/v1/newsletters/eastern-briefings/issues/2/send",
            &editor.token,
            json!({}),
        )
        .await;
    assert_eq!(sent.body["progress"]["recipients"], 1);
    worker.run_once(&app.state).await.unwrap();
    let last = sink.messages().last().unwrap().clone();
    assert_eq!(last.recipients, ["bo@example.org"]);

    // "View today's newsletter": the last sent issue, without anyone's unsubscribe link.
    let page = app
        .get_with("/public/v1/newsletters/eastern-briefings/latest", &[])
        .await;
    page.assert_status(200);
    assert!(page.text.contains("Eastern Briefings, 3 March"));
    assert!(!page.text.contains("unsubscribe?token"));
}

#[actix_web::test]
async fn a_send_cut_short_is_finished_by_the_jobs_loop_without_duplicates() {
    let app = TestApp::spawn().await;
    let (admin, _, story) = newsletter_with_story(&app, "resume-daily", "Story").await;
    for n in 0..3 {
        confirmed_reader(&app, &format!("reader{n}@example.org")).await;
    }
    let created = app
        .post(
            "/api/v1/newsletters/eastern-briefings/issues",
            &admin.token,
            json!({"subject": "Resumed", "article_ids": [story]}),
        )
        .await;
    let issue = id_str(&created.body);
    // As if the server died after queueing one subscriber: `sending`, one recipient.
    sqlx::query("update newsletter_issues set status = 'sending' where id = $1::uuid")
        .bind(&issue)
        .execute(&app.state.db)
        .await
        .unwrap();
    sqlx::query(
        "insert into issue_recipients (issue_id, subscriber_id, queued_at)
         select $1::uuid, id, now() from subscribers where email = 'reader0@example.org'",
    )
    .bind(&issue)
    .execute(&app.state.db)
    .await
    .unwrap();
    assert_eq!(
        newsroom::newsletters::issues::resume_sending(&app.state)
            .await
            .unwrap(),
        1
    );
    let queued: i64 =
        sqlx::query_scalar("select count(*) from email_outbox where kind = 'newsletter'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(
        queued, 2,
        "the two not yet queued, and not the one already queued"
    );
    let issue_path = "/api/v1/newsletters/eastern-briefings/issues/1";
    let read = app.get(issue_path, &admin.token).await;
    assert_eq!(read.body["status"], "sending", "queued, not sent");
    assert_eq!(read.body["progress"]["recipients"], 3);
    // The recipient recorded before the "crash" has no email in this simulation.
    assert_eq!(read.body["progress"]["queued"], 2);

    Worker::new(&app.state.config)
        .unwrap()
        .run_once(&app.state)
        .await
        .unwrap();
    assert_eq!(
        newsroom::newsletters::issues::resume_sending(&app.state)
            .await
            .unwrap(),
        0,
        "nothing left to queue"
    );
    let read = app.get(issue_path, &admin.token).await;
    assert_eq!(read.body["status"], "sent", "{}", read.body);
    assert_eq!(read.body["progress"]["sent"], 2);
}

#[actix_web::test]
async fn an_issue_email_a_crash_interrupted_is_counted_and_not_sent_twice() {
    let sink = SmtpSink::stalling_first(1);
    let url = sink.url();
    let app = TestApp::spawn_with(|c| c.smtp_url = Some(newsroom::config::Secret::new(url))).await;
    let (admin, _, story) = newsletter_with_story(&app, "crash-daily", "Story").await;
    for n in 0..3 {
        confirmed_reader(&app, &format!("reader{n}@example.org")).await;
    }
    // Only the issue's emails are in the outbox.
    sqlx::query("delete from email_outbox")
        .execute(&app.state.db)
        .await
        .unwrap();
    app.post(
        "/api/v1/newsletters/eastern-briefings/issues",
        &admin.token,
        json!({"subject": "Crash", "article_ids": [story]}),
    )
    .await
    .assert_status(201);
    app.post(
        "/api/v1/newsletters/eastern-briefings/issues/1/send",
        &admin.token,
        json!({}),
    )
    .await
    .assert_status(200);
    // The instance dies while the SMTP server holds one of the three.
    crate::email_crash::crash_mid_send(&app).await;
    let progress = |body: &serde_json::Value| {
        let p = &body["progress"];
        [&p["queued"], &p["sent"], &p["failed"], &p["interrupted"]].map(|v| v.as_i64())
    };
    let issue = "/api/v1/newsletters/eastern-briefings/issues/1";
    let during = app.get(issue, &admin.token).await;
    assert_eq!(progress(&during.body), [Some(1), Some(2), Some(0), Some(0)]);
    newsroom::newsletters::issues::resume_sending(&app.state)
        .await
        .unwrap();
    assert_eq!(app.get(issue, &admin.token).await.body["status"], "sending");

    app.clock.advance(newsroom::email::worker::LEASE);
    let restarted = Worker::new(&app.state.config).unwrap();
    let pass = restarted.run_once(&app.state).await.unwrap();
    assert_eq!((pass.sent, pass.interrupted), (0, 1));
    let after = app.get(issue, &admin.token).await;
    assert_eq!(progress(&after.body), [Some(0), Some(2), Some(0), Some(1)]);
    assert_eq!(after.body["progress"]["recipients"], 3);
    // An interrupted email is out too (it is never sent again): the issue is sent.
    newsroom::newsletters::issues::resume_sending(&app.state)
        .await
        .unwrap();
    assert_eq!(app.get(issue, &admin.token).await.body["status"], "sent");
    assert_eq!(
        sink.messages().len(),
        2,
        "the interrupted one is not sent again"
    );
}
