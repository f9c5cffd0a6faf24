//! Seeding runs: what a run writes, that a second run adds nothing, that a run fills only
//! the batches a stopped one left out, that a concurrent run is turned away, and the command.

use newsroom::seed::{self, Outcome, ADVISORY_LOCK, MAX_BODY, MIN_BODY};
use uuid::Uuid;

use super::{ids, scalar};
use crate::cli::newsroom;
use crate::helpers::TestApp;

#[actix_web::test]
async fn seeding_writes_realistic_stories_and_a_second_run_adds_nothing() {
    let app = TestApp::spawn().await;
    let outcome = seed::run(&app.state, 300, Default::default(), false)
        .await
        .unwrap();
    assert_eq!(
        outcome,
        Outcome {
            before: 0,
            after: 300
        }
    );
    assert_eq!(app.count("articles").await, 300);

    let published = scalar(
        &app,
        "select count(*) from articles where status = 'published'",
    )
    .await;
    assert!(
        (255..=290).contains(&published),
        "~90% published: {published}"
    );
    for (what, sql) in [
        ("drafts", "select count(*) from articles where status = 'draft'"),
        ("in review", "select count(*) from articles where status = 'in_review'"),
        ("scheduled", "select count(*) from articles where status = 'scheduled' and scheduled_at > '2026-03-02T09:00:00Z'"),
        ("embargoed", "select count(*) from articles where status = 'published' and embargo_until > '2026-03-02T09:00:00Z'"),
        ("withdrawn", "select count(*) from articles where status in ('killed', 'unpublished')"),
        ("corrected", "select count(distinct article_id) from article_corrections"),
    ] {
        assert!(scalar(&app, sql).await > 0, "some {what}");
    }
    let (min, max): (i32, i32) =
        sqlx::query_as("select min(octet_length(body)), max(octet_length(body)) from articles")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert!(
        min >= MIN_BODY as i32 && max <= MAX_BODY as i32,
        "{min}..{max}"
    );
    let markdown = scalar(
        &app,
        "select count(*) from articles where body like '%## %' and body_html like '%<h2>%'",
    )
    .await;
    assert!(markdown > 0, "subheadings rendered to HTML");
    let (fewest, most): (i64, i64) = sqlx::query_as(
        "select min(c), max(c) from (select count(x.article_id) c from articles a
         left join article_authors x on x.article_id = a.id group by a.id) t",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!((fewest, most), (1, 3), "1-3 authors each");
    let languages = scalar(&app, "select count(distinct language) from articles").await;
    let english = scalar(&app, "select count(*) from articles where language = 'en'").await;
    assert!(
        languages >= 4 && english > 150,
        "{languages} languages, {english} in English"
    );
    assert_eq!(
        scalar(&app, "select count(*) from (select slug from articles group by outlet_id, slug having count(*) > 1) d").await,
        0
    );
    assert!(scalar(&app, "select count(distinct outlet_id) from articles").await >= 5);
    assert_eq!(
        scalar(&app, "select count(*) from articles a where version <> (select count(*) from article_revisions r where r.article_id = a.id)").await,
        0,
        "one revision per version"
    );
    assert_eq!(
        scalar(&app, "select count(*) from articles a where (status = 'published' and (embargo_until is null or embargo_until <= '2026-03-02T09:00:00Z'))
                      <> exists (select 1 from outbox_events e where e.article_id = a.id and e.event_type = 'article.published' and a.status = 'published')").await,
        0,
        "exactly the visible stories were announced to partners"
    );
    assert_eq!(
        scalar(
            &app,
            "select count(*) from outbox_events where delivered_at is null"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &app,
            "select count(*) from audit_entries where action = 'article.seed'"
        )
        .await,
        1
    );

    let revisions = app.count("article_revisions").await;
    let again = seed::run(&app.state, 300, Default::default(), false)
        .await
        .unwrap();
    assert_eq!(
        again,
        Outcome {
            before: 300,
            after: 300
        }
    );
    let fewer = seed::run(&app.state, 100, Default::default(), false)
        .await
        .unwrap();
    assert_eq!(
        fewer,
        Outcome {
            before: 300,
            after: 300
        },
        "never removes stories"
    );
    assert_eq!(app.count("articles").await, 300);
    assert_eq!(app.count("article_revisions").await, revisions);

    let more = seed::run(&app.state, 350, Default::default(), false)
        .await
        .unwrap();
    assert_eq!(
        more,
        Outcome {
            before: 300,
            after: 350
        }
    );
    assert_eq!(app.count("articles").await, 350);
}

#[actix_web::test]
async fn a_run_fills_the_batches_a_stopped_run_left_out_and_nothing_else() {
    let app = TestApp::spawn().await;
    seed::run(&app.state, 150, Default::default(), false)
        .await
        .unwrap();
    let mut all = ids(&app, "select id from articles").await;
    all.sort();
    // As if writers had committed stories 0-49 and 100-149 but not 50-99: the story number
    // is the low 62 bits of a seeded id.
    let lost: Vec<Uuid> = all
        .iter()
        .copied()
        .filter(|id| (50..100).contains(&(id.as_u128() & ((1 << 62) - 1))))
        .collect();
    assert_eq!(lost.len(), 50);
    for sql in [
        "delete from outbox_events where article_id = any($1)",
        "delete from articles where id = any($1)",
    ] {
        sqlx::query(sql)
            .bind(&lost)
            .execute(&app.state.db)
            .await
            .unwrap();
    }
    sqlx::raw_sql(
        "delete from seed_batches;
         insert into seed_batches (first_article, articles, written_at)
         values (0, 50, now()), (100, 50, now())",
    )
    .execute(&app.state.db)
    .await
    .unwrap();

    let resumed = seed::run(&app.state, 150, Default::default(), false)
        .await
        .unwrap();
    assert_eq!(
        resumed,
        Outcome {
            before: 100,
            after: 150
        }
    );
    let mut again = ids(&app, "select id from articles").await;
    again.sort();
    assert_eq!(again, all, "the same stories, each once");
    assert_eq!(
        scalar(&app, "select count(*) from article_revisions r where not exists (select 1 from articles a where a.id = r.article_id)").await,
        0
    );
}

#[actix_web::test]
async fn a_second_run_while_one_is_seeding_is_turned_away() {
    let app = TestApp::spawn().await;
    // Held the way a run holds it: in a transaction (behind PgBouncer in transaction mode a
    // session-level lock would not stay on one server connection).
    let mut holder = app.state.db.begin().await.unwrap();
    sqlx::query("select pg_advisory_xact_lock($1)")
        .bind(ADVISORY_LOCK)
        .execute(&mut *holder)
        .await
        .unwrap();
    let err = seed::run(&app.state, 10, Default::default(), false)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("another `newsroom seed` is running"),
        "{err}"
    );
    assert_eq!(app.count("articles").await, 0);
    holder.rollback().await.unwrap();
    assert_eq!(
        seed::run(&app.state, 10, Default::default(), false)
            .await
            .unwrap()
            .after,
        10
    );
}

#[actix_web::test]
async fn the_seed_command_seeds_once_and_says_so() {
    let app = TestApp::spawn().await;
    let url = app.database_url();
    let first = newsroom(&url, &["seed", "--articles", "20"], "");
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let said = String::from_utf8_lossy(&first.stdout);
    assert!(said.starts_with("seeded 20 articles"), "{said}");
    assert!(said.contains("\nmade 20 story docs in "), "{said}");
    let made: i64 = sqlx::query_scalar("select count(doc) from story_docs")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(made, 20, "the seed makes every story's public JSON");
    let second = newsroom(&url, &["seed", "--articles", "20"], "");
    assert!(second.status.success());
    assert_eq!(
        String::from_utf8_lossy(&second.stdout).trim(),
        "20 seeded articles already there: nothing to do"
    );
    assert_eq!(app.count("articles").await, 20);
    let zero = newsroom(&url, &["seed", "--articles", "0"], "");
    assert!(!zero.status.success(), "N must be at least 1");
    for bad in ["0.7", "-0.1", "lots"] {
        let refused = newsroom(&url, &["seed", "--articles", "20", "--embargoed", bad], "");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(!refused.status.success(), "--embargoed {bad}");
        assert!(stderr.contains("0.01 = 1 %"), "--embargoed {bad}: {stderr}");
    }
}

#[actix_web::test]
async fn the_embargoed_share_is_the_one_asked_for() {
    let app = TestApp::spawn().await;
    let share = seed::EmbargoShare::parse(0.25).unwrap();
    seed::run(&app.state, 400, share, false).await.unwrap();
    let published = scalar(
        &app,
        "select count(*) from articles where status = 'published'",
    )
    .await;
    let embargoed = scalar(
        &app,
        "select count(*) from articles where status = 'published' and embargo_until > '2026-03-02T09:00:00Z'",
    )
    .await;
    let ratio = embargoed as f64 / published as f64;
    assert!((0.17..=0.33).contains(&ratio), "{embargoed} of {published}");
}
