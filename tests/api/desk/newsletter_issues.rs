//! Composing, previewing and sending an issue from the desk: published stories found and
//! ordered with buttons, bad input (a blank subject, an unpublished or embargoed story) refused with its
//! message and nothing saved, the preview's HTML frame and plain text, the confirm step's
//! recipient count, and the progress fragment's tallies up to the final one.

use newsroom::domain::Role;
use newsroom::email::Worker;
use serde_json::json;

use super::{Browser, Page};
use crate::helpers::{id_str, TestApp};
use crate::smtp_sink::SmtpSink;
use crate::subscriptions::{confirmation_link, newsletter, post_json, sign_up};

const BASE: &str = "/admin/newsletters/eastern-briefings";

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

/// The ids of the stories the compose form lists, in order.
fn listed(page: &Page) -> Vec<String> {
    page.text
        .split("name=\"article_ids\" value=\"")
        .skip(1)
        .map(|rest| rest[..36].to_owned())
        .collect()
}

/// The stored issue 1's stories.
async fn stored_ids(app: &TestApp) -> Vec<String> {
    let ids: Vec<uuid::Uuid> =
        sqlx::query_scalar("select article_ids from newsletter_issues where number = 1")
            .fetch_one(&app.state.db)
            .await
            .expect("issue 1");
    ids.iter().map(|id| id.to_string()).collect()
}

#[actix_web::test]
async fn an_editor_composes_an_issue_of_published_stories_in_order_and_bad_input_changes_nothing() {
    let app = TestApp::spawn().await;
    newsletter(&app, "eastern-briefings").await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let mut published = Vec::new();
    for headline in ["Monsoon season opens", "Rice harvest doubles"] {
        let id = id_str(&app.draft(&admin, &desk, headline).await);
        app.act(&admin.token, &id, 1, "publish", None)
            .await
            .assert_status(200);
        published.push(id);
    }
    let (monsoon, rice) = (published[0].clone(), published[1].clone());
    let draft = id_str(&app.draft(&admin, &desk, "Secret draft headline").await);
    let until = app.clock.now() + chrono::Duration::hours(6);
    let embargoed = app
        .published(
            &admin,
            &desk,
            "Embargoed budget",
            json!({"embargo_until": until}),
        )
        .await;
    let embargoed = id_str(&embargoed);
    let editor = app.user(Role::Editor, &[desk.outlet]).await;
    let mut browser = Browser::signed_in(&app, &editor.email).await;

    let new = browser.get(&format!("{BASE}/issues/new")).await;
    new.assert_status(200)
        .assert_contains("Monsoon season opens")
        .assert_contains("Rice harvest doubles")
        .assert_lacks("Secret draft headline")
        .assert_lacks("Embargoed budget");
    let csrf = new.hidden("csrf");
    let post = format!("{BASE}/issues");

    // The search finds published stories only.
    let found = browser
        .post(&post, &[("csrf", &csrf), ("q", "rice"), ("op", "search")])
        .await;
    found
        .assert_status(200)
        .assert_contains(&format!("value=\"add:{rice}\""))
        .assert_lacks(&format!("value=\"add:{monsoon}\""));
    let found = browser
        .post(&post, &[("csrf", &csrf), ("q", "secret"), ("op", "search")])
        .await;
    found.assert_lacks(&format!("add:{draft}"));

    // Adding two, then moving the second up: the form keeps the order, nothing is saved.
    let add = format!("add:{monsoon}");
    let one = browser
        .post(&post, &[("csrf", &csrf), ("op", &add), ("subject", "S")])
        .await;
    one.assert_status(200).assert_contains("value=\"S\"");
    assert_eq!(listed(&one), std::slice::from_ref(&monsoon));
    let add = format!("add:{rice}");
    let two = browser
        .post(
            &post,
            &[("csrf", &csrf), ("article_ids", &monsoon), ("op", &add)],
        )
        .await;
    assert_eq!(listed(&two), [monsoon.clone(), rice.clone()]);
    let moved = browser
        .post(
            &post,
            &[
                ("csrf", &csrf),
                ("article_ids", &monsoon),
                ("article_ids", &rice),
                ("op", "up:1"),
            ],
        )
        .await;
    assert_eq!(listed(&moved), [rice.clone(), monsoon.clone()]);
    // The moved story keeps the focus, on the button still shown at the top.
    moved
        .assert_contains("id=\"down-0\" name=\"op\" value=\"down:0\" autofocus")
        .assert_lacks("id=\"up-0\"");
    assert_eq!(app.count("newsletter_issues").await, 0);

    // Bad input: a blank subject; an unpublished story (picked by a forged form). The
    // service refuses, the page says why, nothing is stored, the draft's headline is not shown.
    let blank = browser
        .post(
            &post,
            &[("csrf", &csrf), ("subject", " "), ("article_ids", &rice)],
        )
        .await;
    blank
        .assert_status(422)
        .assert_contains("id=\"subject-error\"")
        .assert_contains("Nothing was saved");
    let unpublished = browser
        .post(
            &post,
            &[
                ("csrf", &csrf),
                ("subject", "Eastern Briefings, 2 March"),
                ("article_ids", &rice),
                ("article_ids", &draft),
            ],
        )
        .await;
    unpublished
        .assert_status(422)
        .assert_contains("must list published, public stories, each once")
        .assert_contains("it cannot be sent")
        .assert_lacks("Secret draft headline");
    let under_embargo = browser
        .post(
            &post,
            &[
                ("csrf", &csrf),
                ("subject", "S"),
                ("article_ids", &embargoed),
            ],
        )
        .await;
    under_embargo
        .assert_status(422)
        .assert_lacks("Embargoed budget");
    let not_an_id = browser
        .post(
            &post,
            &[("csrf", &csrf), ("subject", "S"), ("article_ids", "nope")],
        )
        .await;
    not_an_id.assert_status(422);
    assert_eq!(app.count("newsletter_issues").await, 0);

    // Saved: the issue in the form's order; then changed while a draft.
    browser
        .post(
            &post,
            &[
                ("csrf", &csrf),
                ("subject", "Eastern Briefings, 2 March"),
                ("intro", "Rain & rivers."),
                ("article_ids", &rice),
                ("article_ids", &monsoon),
                ("op", "save"),
            ],
        )
        .await
        .assert_redirect(&format!("{BASE}/issues/1?saved"));
    assert_eq!(stored_ids(&app).await, [rice.clone(), monsoon.clone()]);
    let issue = format!("{BASE}/issues/1");
    browser
        .get(&format!("{issue}?saved"))
        .await
        .assert_status(200)
        .assert_contains("Saved.")
        .assert_contains("Save the issue");
    let changed = [
        ("csrf", csrf.as_str()),
        ("subject", "Eastern Briefings, 3 March"),
        ("article_ids", monsoon.as_str()),
        ("op", "save"),
    ];
    browser
        .post(&issue, &changed)
        .await
        .assert_redirect(&format!("{issue}?saved"));
    assert_eq!(stored_ids(&app).await, std::slice::from_ref(&monsoon));
    let bad = [("csrf", csrf.as_str()), ("subject", ""), ("op", "save")];
    browser.post(&issue, &bad).await.assert_status(422);
    assert_eq!(stored_ids(&app).await, std::slice::from_ref(&monsoon));

    // Once sending has started, the issue is no longer changed.
    app.post(
        "/api/v1/newsletters/eastern-briefings/issues/1/send",
        &admin.token,
        json!({}),
    )
    .await
    .assert_status(200);
    browser
        .post(&issue, &changed)
        .await
        .assert_status(409)
        .assert_contains("no longer a draft");
    browser
        .get(&issue)
        .await
        .assert_contains("it can no longer be changed")
        .assert_lacks("Save the issue");
}

#[actix_web::test]
async fn the_preview_frames_the_html_email_and_shows_the_plain_text() {
    let app = TestApp::spawn().await;
    newsletter(&app, "eastern-briefings").await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let story = id_str(&app.draft(&admin, &desk, "Monsoon season opens").await);
    app.act(&admin.token, &story, 1, "publish", None)
        .await
        .assert_status(200);
    app.post(
        "/api/v1/newsletters/eastern-briefings/issues",
        &admin.token,
        json!({"subject": "Briefing <1>", "intro": "Rain & rivers.", "article_ids": [story]}),
    )
    .await
    .assert_status(201);
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let preview = format!("{BASE}/issues/1/preview");
    let page = browser.get(&preview).await;
    page.assert_status(200)
        .assert_contains(&format!("src=\"{preview}.html\""))
        .assert_contains("sandbox")
        .assert_contains("Briefing &lt;1&gt;")
        .assert_contains("Monsoon season opens")
        .assert_lacks("email-frame-phone");
    browser
        .get(&format!("{preview}?width=375"))
        .await
        .assert_contains("email-frame-phone");
    let frame = browser.get(&format!("{preview}.html")).await;
    frame
        .assert_status(200)
        .assert_contains("Monsoon season opens")
        .assert_contains("Rain &amp; rivers.");
    assert_eq!(frame.header("x-frame-options"), Some("SAMEORIGIN"));
    let csp = frame.header("content-security-policy").expect("a CSP");
    assert!(
        csp.contains("sandbox") && csp.contains("frame-ancestors 'self'"),
        "{csp}"
    );
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
}

#[actix_web::test]
async fn sending_states_the_recipient_count_then_the_progress_reaches_the_final_tally() {
    let sink = SmtpSink::start();
    let url = sink.url();
    let app = TestApp::spawn_with(|c| c.smtp_url = Some(newsroom::config::Secret::new(url))).await;
    newsletter(&app, "eastern-briefings").await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let story = id_str(&app.draft(&admin, &desk, "Monsoon season opens").await);
    app.act(&admin.token, &story, 1, "publish", None)
        .await
        .assert_status(200);
    app.post(
        "/api/v1/newsletters/eastern-briefings/issues",
        &admin.token,
        json!({"subject": "Briefing", "article_ids": [story]}),
    )
    .await
    .assert_status(201);
    confirmed_reader(&app, "ana@example.org").await;
    confirmed_reader(&app, "bo@example.org").await;
    sign_up(&app, "eastern-briefings", "pending@example.org")
        .await
        .assert_status(202);
    let worker = Worker::new(&app.state.config).unwrap();
    worker.run_once(&app.state).await.unwrap();
    let before = sink.messages().len();

    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let send = format!("{BASE}/issues/1/send");
    let confirm = browser.get(&send).await;
    confirm
        .assert_status(200)
        .assert_contains("Send to 2 readers")
        .assert_contains(&format!("action=\"{send}\""));
    let csrf = confirm.hidden("csrf");
    browser.post(&send, &[]).await.assert_status(403);
    assert_eq!(app.count("issue_recipients").await, 0);

    // A draft's progress page does not ask again: nothing is going out.
    let progress = format!("{BASE}/issues/1/progress");
    browser
        .get(&progress)
        .await
        .assert_status(200)
        .assert_contains("Not sent yet")
        .assert_lacks("hx-trigger");
    browser
        .post(&send, &[("csrf", &csrf)])
        .await
        .assert_redirect(&progress);
    let sending = browser.get(&progress).await;
    sending
        .assert_status(200)
        .assert_contains("hx-trigger=\"every 1s\"")
        .assert_contains("<dd id=\"tally-queued\">2</dd>")
        .assert_contains("<dd id=\"tally-sent\">0</dd>")
        .assert_contains("Emails out of the queue: 0 of 2");
    let fragment = browser.get_with(&progress, &[("hx-request", "true")]).await;
    fragment
        .assert_status(200)
        .assert_contains("id=\"send-progress\"")
        .assert_lacks("<html");

    worker.run_once(&app.state).await.unwrap();
    newsroom::newsletters::issues::resume_sending(&app.state)
        .await
        .unwrap();
    assert_eq!(sink.messages().len(), before + 2);
    let done = browser.get_with(&progress, &[("hx-request", "true")]).await;
    done.assert_contains("<dd id=\"tally-sent\">2</dd>")
        .assert_contains("<dd id=\"tally-queued\">0</dd>")
        .assert_contains("Done: 2 sent, 0 failed, 0 interrupted, of 2 recipients.")
        .assert_contains("value=\"100\"")
        .assert_lacks("hx-trigger");
    // The list shows the issue sent, with its tallies; its confirm step no longer offers it.
    let list = browser.get(BASE).await;
    list.assert_contains(">Sent</span>")
        .assert_contains("<td data-label=\"Sent\">2</td>");
    browser
        .get(&send)
        .await
        .assert_contains("nobody gets it twice")
        .assert_lacks("Send to");
}
