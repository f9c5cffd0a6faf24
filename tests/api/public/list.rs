//! The story list: newest first, with filters and a cursor; a cursor PostgreSQL could not
//! store is a client error.

use chrono::Duration;
use serde_json::{json, Value};

use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn the_list_is_newest_first_filters_and_pages_with_a_cursor() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let star = app.newsroom(&admin, "the-star").await;
    let first = app
        .published(
            &admin,
            &dawn,
            "First",
            json!({"tags": ["trade"], "canonical_url": "https://dawn.example/first"}),
        )
        .await;
    app.clock.advance(Duration::minutes(5));
    app.published(&admin, &star, "Second", json!({"language": "ms"}))
        .await;
    app.clock.advance(Duration::minutes(5));
    app.published(&admin, &dawn, "Third", json!({})).await;

    let all = app.get_with("/public/v1/articles?limit=2", &[]).await;
    all.assert_status(200);
    let names = |body: &Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["headline"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&all.body), ["Third", "Second"]);
    let next = all.body["next"].as_str().expect("a next cursor");
    let rest = app
        .get_with(&format!("/public/v1/articles?limit=2&cursor={next}"), &[])
        .await;
    assert_eq!(names(&rest.body), ["First"]);
    assert_eq!(rest.body["next"], Value::Null);

    let item = &rest.body["items"][0];
    assert_eq!(item["outlet"], "dawn");
    assert_eq!(item["outlet_name"], "The dawn");
    assert_eq!(item["slug"], "first");
    assert_eq!(
        item["section"],
        json!({"slug": "dawn-news", "name": "News"})
    );
    assert_eq!(
        item["authors"],
        json!([{"name": "Desk", "slug": "dawn-desk"}])
    );
    assert_eq!(item["tags"], json!(["trade"]));
    assert_eq!(item["canonical_url"], "https://dawn.example/first");
    assert_eq!(item["updated"], json!(false));
    for private in [
        "status",
        "version",
        "body",
        "body_html",
        "created_by",
        "outlet_id",
    ] {
        assert!(item.get(private).is_none(), "{private} is not public");
    }

    for (query, expected) in [
        ("outlet=dawn", vec!["Third", "First"]),
        (&format!("outlet={}", star.outlet), vec!["Second"]),
        ("section=the-star-news", vec!["Second"]),
        ("author=dawn-desk", vec!["Third", "First"]),
        ("tag=trade", vec!["First"]),
        ("language=ms", vec!["Second"]),
        ("outlet=dawn&tag=trade", vec!["First"]),
    ] {
        let res = app
            .get_with(&format!("/public/v1/articles?{query}"), &[])
            .await;
        res.assert_status(200);
        assert_eq!(names(&res.body), expected, "{query}");
    }

    // A correction moves published_at: the story comes first again, flagged as updated.
    let id = id_str(&first);
    app.clock.advance(Duration::minutes(5));
    app.edit(
        &admin.token,
        &id,
        2,
        json!({"body": "Fixed.", "correction_note": "A figure was wrong."}),
    )
    .await
    .assert_status(200);
    let after = app.get_with("/public/v1/articles", &[]).await;
    assert_eq!(names(&after.body), ["First", "Third", "Second"]);
    assert_eq!(after.body["items"][0]["updated"], json!(true));

    for field in ["outlet", "section", "author"] {
        let res = app
            .get_with(&format!("/public/v1/articles?{field}=nowhere"), &[])
            .await;
        res.assert_problem(422);
        assert!(!res.field_errors(field).is_empty(), "{field}: {}", res.text);
    }
    let bad = app
        .get_with("/public/v1/articles?cursor=not-a-cursor", &[])
        .await;
    bad.assert_problem(422);
    assert!(!bad.field_errors("cursor").is_empty());
    app.get_with("/public/v1/articles?limit=0", &[])
        .await
        .assert_problem(422);
    app.get_with("/public/v1/articles?status=draft", &[])
        .await
        .assert_problem(422);
}

#[actix_web::test]
async fn a_cursor_holding_a_date_postgresql_cannot_store_is_a_client_error() {
    let app = TestApp::spawn().await;
    // PostgreSQL stores years from 4713 BC to 294276 AD.
    for at in ["-5000-01-01T00:00:00Z", "+300000-01-01T00:00:00Z"] {
        let cursor = newsroom::domain::Cursor::encode(&(at, uuid::Uuid::nil()));
        let res = app
            .get_with(&format!("/public/v1/articles?cursor={cursor}"), &[])
            .await;
        assert!(
            res.status.is_client_error(),
            "{at}: {} {}",
            res.status,
            res.body
        );
    }
}
