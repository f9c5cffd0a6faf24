//! The real run of an import, in the background: queued → running → done in batches, with
//! progress visible between batches and tallies equal to the dry run's; a run whose worker
//! died (its lease ran out) is resumed from its last kept batch by the jobs loop's
//! `import_run::resume`, importing nothing twice; a worker that lost its lease stops; only
//! admins see a run's page.

use chrono::Duration;
use newsroom::auth::CurrentUser;
use newsroom::domain::Role;
use newsroom::subscribers::import_run::{self, Step};
use uuid::Uuid;

use super::subscriber_import::{counts, FILE};
use super::subscribers::newsletters;
use super::{Browser, Page};
use crate::helpers::TestApp;
use crate::media::form;

/// Reloads the run's page until it says the run is done (at most 30 s).
pub(super) async fn wait_done(browser: &mut Browser<'_>, url: &str) -> Page {
    for _ in 0..300 {
        let page = browser.get(url).await;
        page.assert_status(200);
        if page.text.contains("id=\"import-done\"") {
            return page;
        }
        assert!(!page.text.contains("the import failed"), "{}", page.text);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the import did not end within 30 s");
}

/// Uploads `FILE` for its dry run; answers the staged file's id.
async fn stage(app: &TestApp, browser: &mut Browser<'_>) -> (Uuid, String) {
    let csrf = browser
        .get("/admin/subscribers/import")
        .await
        .hidden("csrf");
    let (ct, body) = form(FILE, "spring.csv", "text/csv", &[("csrf", &csrf)]);
    browser
        .post_raw("/admin/subscribers/import", &ct, body)
        .await
        .assert_status(200);
    let id: Uuid = sqlx::query_scalar("select id from subscriber_imports")
        .fetch_one(&app.state.db)
        .await
        .expect("the staged file");
    (id, csrf)
}

async fn run_row(app: &TestApp, id: Uuid) -> (String, i32, i32, [i32; 4]) {
    let (state, done, total, c, p, s, r): (String, i32, i32, i32, i32, i32, i32) = sqlx::query_as(
        "select state, done, total, confirmed, pending, skipped, rejected
             from subscriber_import_runs where import_id = $1",
    )
    .bind(id)
    .fetch_one(&app.state.db)
    .await
    .expect("the run");
    (state, done, total, [c, p, s, r])
}

fn admin_user(id: Uuid, email: &str) -> CurrentUser {
    CurrentUser {
        id,
        email: email.to_owned(),
        role: Role::Admin,
        outlet_ids: Vec::new(),
        session_id: Uuid::nil(),
        request_id: None,
    }
}

#[actix_web::test]
async fn a_run_goes_queued_running_done_with_its_progress_visible_between_batches() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    newsletters(&app, &admin).await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let (id, _) = stage(&app, &mut browser).await;
    let by = admin_user(admin.id, &admin.email);
    import_run::start(&app.state, &by, id).await.expect("start");
    let url = format!("/admin/subscribers/import/{id}");
    assert_eq!(run_row(&app, id).await.0, "queued");
    browser
        .get(&url)
        .await
        .assert_status(200)
        .assert_contains("Waiting to start…")
        .assert_contains("hx-trigger=\"every 1s\"")
        .assert_contains("<progress id=\"import-bar\" max=\"6\" value=\"0\"");
    // A second start is refused, whoever asks.
    assert!(import_run::start(&app.state, &by, id).await.is_err());

    let (claimed, owner) = import_run::claim(&app.state, Some(id))
        .await
        .expect("claim")
        .expect("the queued run");
    assert_eq!(claimed, id);
    assert_eq!(
        import_run::batch(&app.state, id, owner, 2)
            .await
            .expect("batch"),
        Step::More
    );
    // Mid-run: two rows of six done, kept, and shown; the fragment still polls.
    assert_eq!(
        run_row(&app, id).await,
        ("running".into(), 2, 6, [1, 1, 0, 0])
    );
    browser
        .get_with(&url, &[("hx-request", "true")])
        .await
        .assert_status(200)
        .assert_contains("Importing…")
        .assert_contains("Rows of the file done: 2 of 6")
        .assert_contains("<progress id=\"import-bar\" max=\"6\" value=\"2\"")
        .assert_contains("hx-trigger=\"every 1s\"")
        .assert_lacks("<html");
    assert_eq!(
        import_run::work_held(&app.state, id, owner, 2)
            .await
            .expect("the rest"),
        Step::Done
    );
    // As FILE's dry run says here: Ana confirmed; Bo and Mei pending; three rows rejected.
    assert_eq!(run_row(&app, id).await, ("done".into(), 6, 6, [1, 2, 0, 3]));
    let done = browser.get_with(&url, &[("hx-request", "true")]).await;
    done.assert_contains("spring.csv was imported")
        .assert_lacks("hx-trigger");
    let rows: i64 = sqlx::query_scalar("select count(*) from subscriber_import_rows")
        .fetch_one(&app.state.db)
        .await
        .expect("rows");
    assert_eq!(rows, 6);
}

#[actix_web::test]
async fn a_run_whose_worker_died_is_resumed_from_its_last_batch_and_imports_nothing_twice() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    newsletters(&app, &admin).await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let (id, _) = stage(&app, &mut browser).await;
    let by = admin_user(admin.id, &admin.email);
    import_run::start(&app.state, &by, id).await.expect("start");
    let (_, dead) = import_run::claim(&app.state, Some(id))
        .await
        .expect("claim")
        .expect("the run");
    import_run::batch(&app.state, id, dead, 3)
        .await
        .expect("batch");
    let mid = counts(&app).await;
    // The worker's instance dies: nobody renews the lease. While it holds, nobody takes over.
    assert_eq!(
        import_run::claim(&app.state, None).await.expect("claim"),
        None
    );
    sqlx::query("update subscriber_import_runs set lease_until = $2 where import_id = $1")
        .bind(id)
        .bind(app.state.clock.now() - Duration::seconds(1))
        .execute(&app.state.db)
        .await
        .expect("the lease runs out");
    assert_eq!(import_run::resume(&app.state).await.expect("resume"), 1);
    let url = format!("/admin/subscribers/import/{id}");
    let done = wait_done(&mut browser, &url).await;
    done.assert_contains("<progress id=\"import-bar\" max=\"6\" value=\"6\"");
    assert_eq!(run_row(&app, id).await, ("done".into(), 6, 6, [1, 2, 0, 3]));
    let after = counts(&app).await;
    assert_eq!(
        after[0],
        mid[0] + 1,
        "Ana and Bo were in the first batch; Mei is added once"
    );
    let events: i64 = sqlx::query_scalar("select count(*) from consent_events")
        .fetch_one(&app.state.db)
        .await
        .expect("events");
    assert_eq!(events, 3, "one imported event each for Ana, Bo and Mei");
    // The dead worker, back, has lost the run: it imports nothing.
    assert_eq!(
        import_run::batch(&app.state, id, dead, 3)
            .await
            .expect("batch"),
        Step::Lost
    );
    assert_eq!(counts(&app).await, after);
}

#[actix_web::test]
async fn a_failing_batch_fails_the_run_keeping_the_batches_before_it_and_none_of_its_own() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    newsletters(&app, &admin).await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let (id, _) = stage(&app, &mut browser).await;
    import_run::start(&app.state, &admin_user(admin.id, &admin.email), id)
        .await
        .expect("start");
    // A report row already there for line 5 makes the second batch (lines 4 and 5) fail.
    sqlx::query(
        "insert into subscriber_import_rows (import_id, line, email, outcome)
         values ($1, 5, 'x', 'rejected')",
    )
    .bind(id)
    .execute(&app.state.db)
    .await
    .expect("a row in the way");
    let (_, owner) = import_run::claim(&app.state, Some(id))
        .await
        .expect("claim")
        .expect("the run");
    let before_second = {
        import_run::batch(&app.state, id, owner, 2)
            .await
            .expect("the first batch");
        counts(&app).await
    };
    assert!(import_run::work_held(&app.state, id, owner, 2)
        .await
        .is_err());
    assert_eq!(
        run_row(&app, id).await,
        ("failed".into(), 2, 6, [1, 1, 0, 0])
    );
    assert_eq!(
        counts(&app).await,
        before_second,
        "the failed batch kept nothing"
    );
    browser
        .get(&format!("/admin/subscribers/import/{id}"))
        .await
        .assert_status(200)
        .assert_contains("Stopped: the import failed")
        .assert_contains("The import stopped after 2 rows")
        .assert_lacks("hx-trigger");
    // A failed run is not taken up again.
    assert_eq!(import_run::resume(&app.state).await.expect("resume"), 0);
}

#[actix_web::test]
async fn only_admins_see_a_run_and_only_admins_start_one() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    newsletters(&app, &admin).await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let (id, _) = stage(&app, &mut browser).await;
    let url = format!("/admin/subscribers/import/{id}");
    let desk = app.newsroom(&admin, "dawn").await;
    for role in [Role::Writer, Role::Editor] {
        let user = app.user(role, &[desk.outlet]).await;
        let mut other = Browser::signed_in(&app, &user.email).await;
        let csrf = other.get("/admin/stories").await.hidden("csrf");
        other
            .post(&url, &[("csrf", &csrf)])
            .await
            .assert_status(403);
        other.get(&url).await.assert_status(403);
    }
    assert_eq!(app.count("subscriber_import_runs").await, 0);
    browser
        .get(&format!("/admin/subscribers/import/{}", Uuid::now_v7()))
        .await
        .assert_status(404);
}

#[actix_web::test]
async fn a_big_runs_report_is_paged_and_its_batches_add_up() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    newsletters(&app, &admin).await;
    // 501 rows: two batches, two pages of the report.
    let mut file = b"email,newsletter\n".to_vec();
    for n in 0..501 {
        file.extend_from_slice(format!("r{n}@example.org,markets\n").as_bytes());
    }
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let csrf = browser
        .get("/admin/subscribers/import")
        .await
        .hidden("csrf");
    let (ct, body) = form(&file, "big.csv", "text/csv", &[("csrf", &csrf)]);
    browser
        .post_raw("/admin/subscribers/import", &ct, body)
        .await
        .assert_status(200)
        .assert_contains("Import 501 rows");
    let id: Uuid = sqlx::query_scalar("select id from subscriber_imports")
        .fetch_one(&app.state.db)
        .await
        .expect("the staged file");
    let url = format!("/admin/subscribers/import/{id}");
    browser
        .post(&url, &[("csrf", &csrf)])
        .await
        .assert_redirect(&url);
    let first = wait_done(&mut browser, &url).await;
    assert_eq!(
        run_row(&app, id).await,
        ("done".into(), 501, 501, [0, 501, 0, 0])
    );
    first
        .assert_contains("page 1 of 2")
        .assert_contains("?page=2\" rel=\"next\">Next rows</a>")
        .assert_contains("r499@example.org")
        .assert_lacks("r500@example.org");
    assert_eq!(
        first.text.matches("<tr>").count(),
        501,
        "500 rows and the header"
    );
    browser
        .get(&format!("{url}?page=2"))
        .await
        .assert_status(200)
        .assert_contains("page 2 of 2")
        .assert_contains("r500@example.org")
        .assert_contains("rel=\"prev\"")
        .assert_lacks("r499@example.org");
    browser
        .get(&format!("{url}?page=many"))
        .await
        .assert_status(400);
}

/// The figures in docs/desk.md: a 10,000-row file (every row with consent evidence), its dry
/// run and its real run in batches. Run by hand: `cargo test --test api measure_ -- --ignored
/// --nocapture`.
#[actix_web::test]
#[ignore = "a measurement, not a check"]
async fn measure_a_ten_thousand_row_import() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    newsletters(&app, &admin).await;
    let mut file = b"email,name,newsletter,consent_time,consent_source\n".to_vec();
    for n in 0..10_000 {
        file.extend_from_slice(
            format!("r{n}@example.org,R {n},markets,2026-01-05T10:00:00Z,paper form\n").as_bytes(),
        );
    }
    let by = admin_user(admin.id, &admin.email);
    let started = std::time::Instant::now();
    let staged = newsroom::subscribers::staged_import::stage(&app.state, &by, "big.csv", &file)
        .await
        .expect("the dry run");
    let dry = started.elapsed();
    eprintln!("10,000 rows: dry run {dry:.1?}");
    let id = staged.id;
    import_run::start(&app.state, &by, id).await.expect("start");
    let started = std::time::Instant::now();
    let (_, owner) = import_run::claim(&app.state, Some(id))
        .await
        .expect("claim")
        .expect("the run");
    let step = import_run::work_held(&app.state, id, owner, import_run::BATCH_ROWS).await;
    let real = started.elapsed();
    assert_eq!(step.expect("the run"), Step::Done);
    assert_eq!(run_row(&app, id).await.3, [10_000, 0, 0, 0]);
    eprintln!("10,000 rows: dry run {dry:.1?}, real run {real:.1?}");
}
