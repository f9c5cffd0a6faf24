//! Listing and full-text search: filters, ranking, cursors, and never a story the caller may
//! not see.

use newsroom::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{id_str, TestApp};

fn headlines(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["headline"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn search_finds_by_headline_standfirst_and_body_and_ranks_headlines_first() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let stories = [
        (
            "Markets calm",
            "Traders wait.",
            "The monsoon delayed shipments of rice.",
        ),
        (
            "Monsoon floods Karachi",
            "Streets under water.",
            "Rain fell all night.",
        ),
        (
            "Cabinet meets",
            "The monsoon response was discussed.",
            "Ministers met.",
        ),
        (
            "Cricket final",
            "A close game.",
            "Nothing about the weather.",
        ),
    ];
    for (headline, standfirst, body) in stories {
        let res = app.post("/api/v1/articles", &admin.token, json!({"outlet_id": desk.outlet, "headline": headline, "standfirst": standfirst, "body": body})).await;
        res.assert_status(201);
    }
    let res = app.get("/api/v1/articles?q=monsoon", &admin.token).await;
    res.assert_status(200);
    assert_eq!(
        headlines(&res.body),
        ["Monsoon floods Karachi", "Cabinet meets", "Markets calm"]
    );
    let stemmed = app.get("/api/v1/articles?q=flooding", &admin.token).await;
    assert_eq!(
        headlines(&stemmed.body),
        ["Monsoon floods Karachi"],
        "English stemming"
    );
    let phrase = app
        .get(
            "/api/v1/articles?q=%22rain%20fell%22%20-cricket",
            &admin.token,
        )
        .await;
    assert_eq!(headlines(&phrase.body), ["Monsoon floods Karachi"]);
    let paged = app
        .get("/api/v1/articles?q=monsoon&limit=2", &admin.token)
        .await;
    assert_eq!(headlines(&paged.body).len(), 2);
    let next = paged.body["next"].as_str().unwrap();
    let rest = app
        .get(
            &format!("/api/v1/articles?q=monsoon&limit=2&cursor={next}"),
            &admin.token,
        )
        .await;
    assert_eq!(headlines(&rest.body), ["Markets calm"]);
}

#[actix_web::test]
async fn staff_see_their_outlets_and_published_stories_only() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let star = app.newsroom(&admin, "the-star").await;
    let dawn_editor = app.user(Role::Editor, &[dawn.outlet]).await;
    app.draft(&admin, &dawn, "Dawn draft about rice").await;
    app.draft(&admin, &star, "Star draft about rice").await;
    let published = id_str(&app.draft(&admin, &star, "Star story about rice").await);
    app.act(&admin.token, &published, 1, "publish", None)
        .await
        .assert_status(200);

    let mut seen = headlines(&app.get("/api/v1/articles", &dawn_editor.token).await.body);
    seen.sort();
    assert_eq!(seen, ["Dawn draft about rice", "Star story about rice"]);
    let mut found = headlines(
        &app.get("/api/v1/articles?q=rice", &dawn_editor.token)
            .await
            .body,
    );
    found.sort();
    assert_eq!(
        found,
        ["Dawn draft about rice", "Star story about rice"],
        "search never leaks another outlet's draft"
    );
    assert_eq!(
        headlines(&app.get("/api/v1/articles?q=rice", &admin.token).await.body).len(),
        3
    );
    let star_view = app
        .get(&format!("/api/v1/articles/{published}"), &dawn_editor.token)
        .await;
    star_view.assert_status(200);
    assert_eq!(
        star_view.body["allowed_actions"],
        json!([]),
        "read-only for other outlets"
    );
    assert_eq!(star_view.body["editable"], json!(false));
}

#[actix_web::test]
async fn lists_filter_by_status_outlet_section_author_tag_language_and_time() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let star = app.newsroom(&admin, "the-star").await;
    let a = id_str(&app.draft(&admin, &dawn, "Alpha").await);
    app.clock.advance(chrono::Duration::hours(1));
    let t1 = app.clock.now();
    app.post("/api/v1/articles", &admin.token, json!({"outlet_id": star.outlet, "headline": "Beta", "tags": ["Economy"], "language": "ms"})).await.assert_status(201);
    app.clock.advance(chrono::Duration::minutes(1));
    app.act(&admin.token, &a, 1, "publish", None)
        .await
        .assert_status(200);
    let q = |query: &str| format!("/api/v1/articles?{query}");
    assert_eq!(
        headlines(&app.get(&q("status=published"), &admin.token).await.body),
        ["Alpha"]
    );
    assert_eq!(
        headlines(
            &app.get(&q(&format!("outlet_id={}", star.outlet)), &admin.token)
                .await
                .body
        ),
        ["Beta"]
    );
    assert_eq!(
        headlines(
            &app.get(&q(&format!("section_id={}", dawn.section)), &admin.token)
                .await
                .body
        ),
        ["Alpha"]
    );
    assert_eq!(
        headlines(
            &app.get(&q(&format!("author_id={}", dawn.author)), &admin.token)
                .await
                .body
        ),
        ["Alpha"]
    );
    assert_eq!(
        headlines(&app.get(&q("tag=economy"), &admin.token).await.body),
        ["Beta"]
    );
    assert_eq!(
        headlines(&app.get(&q("language=ms"), &admin.token).await.body),
        ["Beta"]
    );
    let after = t1.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert_eq!(
        headlines(
            &app.get(&q(&format!("updated_before={after}")), &admin.token)
                .await
                .body
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        headlines(
            &app.get(&q(&format!("updated_after={after}")), &admin.token)
                .await
                .body
        ),
        ["Alpha", "Beta"]
    );
    assert_eq!(
        headlines(&app.get(&q("sort=published_at"), &admin.token).await.body),
        ["Alpha"]
    );
    app.get(&q("sort=headline"), &admin.token)
        .await
        .assert_problem(422);
    app.get(&q("status=gone"), &admin.token)
        .await
        .assert_problem(422);
}

#[actix_web::test]
async fn an_excluded_word_in_the_body_excludes_a_headline_match() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    for (headline, body) in [
        ("Refinery reopens", "Workers returned."),
        ("Refinery fire", "The cricket ground nearby closed."),
    ] {
        let res = app
            .post(
                "/api/v1/articles",
                &admin.token,
                json!({"outlet_id": desk.outlet, "headline": headline, "body": body}),
            )
            .await;
        res.assert_status(201);
    }
    let res = app
        .get("/api/v1/articles?q=refinery%20-cricket", &admin.token)
        .await;
    assert_eq!(headlines(&res.body), ["Refinery reopens"]);
    let phrase = app
        .get("/api/v1/articles?q=%22cricket%20ground%22", &admin.token)
        .await;
    assert_eq!(
        headlines(&phrase.body),
        ["Refinery fire"],
        "a body-only phrase match is found too"
    );
}

#[actix_web::test]
async fn a_search_finds_matches_older_than_every_time_window() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let old = app.draft(&admin, &desk, "Monsoon of last year").await;
    sqlx::query(
        "update articles set updated_at = updated_at - interval '400 days' where id = $1::uuid",
    )
    .bind(id_str(&old))
    .execute(&app.state.db)
    .await
    .unwrap();
    app.draft(&admin, &desk, "Monsoon of this week").await;
    let ranked = app.get("/api/v1/articles?q=monsoon", &admin.token).await;
    assert_eq!(
        headlines(&ranked.body),
        ["Monsoon of this week", "Monsoon of last year"]
    );
    let first = app
        .get(
            "/api/v1/articles?q=monsoon&sort=updated_at&limit=1",
            &admin.token,
        )
        .await;
    assert_eq!(headlines(&first.body), ["Monsoon of this week"]);
    let next = first.body["next"].as_str().unwrap();
    let older = app
        .get(
            &format!("/api/v1/articles?q=monsoon&sort=updated_at&limit=1&cursor={next}"),
            &admin.token,
        )
        .await;
    assert_eq!(headlines(&older.body), ["Monsoon of last year"]);
}

#[actix_web::test]
async fn a_ranked_search_ranks_the_newest_candidates_and_sorting_by_time_reaches_all() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    // The best match of all, but older than the 200 newest matches.
    app.draft(&admin, &desk, "Monsoon").await;
    app.clock.advance(chrono::Duration::hours(1));
    let now = app.clock.now();
    sqlx::query(
        "insert into articles (id, outlet_id, slug, headline, body, language, created_at, updated_at)
         select gen_random_uuid(), $1, 'rain-' || g, 'Rain ' || g, 'The monsoon came.', 'en',
                $2 + make_interval(secs => g), $2 + make_interval(secs => g)
         from generate_series(1, $3::int) g",
    )
    .bind(desk.outlet)
    .bind(now)
    .bind(newsroom::articles::search::RANKED_CANDIDATES as i32)
    .execute(&app.state.db)
    .await
    .unwrap();
    app.clock.advance(chrono::Duration::hours(1));

    let ranked = app
        .get("/api/v1/articles?q=monsoon&limit=100", &admin.token)
        .await;
    let first = &ranked.body["items"][0];
    assert_eq!(
        first["rank"],
        json!(0.0),
        "the older headline match is not ranked: {first}"
    );
    let mut seen = headlines(&ranked.body);
    let mut next = ranked.body["next"].as_str().map(str::to_owned);
    while let Some(cursor) = next {
        let page = app
            .get(
                &format!("/api/v1/articles?q=monsoon&limit=100&cursor={cursor}"),
                &admin.token,
            )
            .await;
        seen.extend(headlines(&page.body));
        next = page.body["next"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), 200);
    assert!(!seen.contains(&"Monsoon".to_owned()));

    let oldest = app
        .get(
            &format!(
                "/api/v1/articles?q=monsoon&sort=updated_at&updated_before={}",
                now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
            &admin.token,
        )
        .await;
    assert_eq!(headlines(&oldest.body), ["Monsoon"]);
}
