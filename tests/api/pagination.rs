//! Keyset pagination walks every row exactly once, even while rows are being inserted.

use std::collections::HashMap;

use serde_json::json;

use crate::helpers::TestApp;

#[actix_web::test]
async fn a_cursor_walk_sees_every_row_once_while_rows_are_inserted() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut original = Vec::new();
    for i in 0..40 {
        let slug = format!("s-{:03}", i * 10);
        app.post(
            "/api/v1/sections",
            &admin.token,
            json!({"slug": slug, "name": slug}),
        )
        .await
        .assert_status(201);
        original.push(slug);
    }

    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut cursor: Option<String> = None;
    let mut inserted = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/sections?limit=7&cursor={c}"),
            None => "/api/v1/sections?limit=7".to_owned(),
        };
        let page = app.get(&path, &admin.token).await;
        page.assert_status(200);
        for item in page.body["items"].as_array().unwrap() {
            *seen
                .entry(item["slug"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
        // Between pages, rows land both behind and ahead of the cursor.
        for slug in [
            format!("s-{:03}", inserted * 10 + 5),
            format!("s-{:03}", 395 - inserted * 10),
        ] {
            app.post(
                "/api/v1/sections",
                &admin.token,
                json!({"slug": slug, "name": slug}),
            )
            .await
            .assert_status(201);
        }
        inserted += 1;
        match page.body["next"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    for slug in &original {
        assert_eq!(seen.get(slug), Some(&1), "{slug} was not seen exactly once");
    }
    assert!(seen.values().all(|n| *n == 1), "no row repeats");
    assert!(
        seen.len() > original.len(),
        "rows inserted ahead of the cursor are picked up"
    );
}

#[actix_web::test]
async fn the_last_page_has_no_next_cursor() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for name in ["A", "B"] {
        app.post("/api/v1/sections", &admin.token, json!({"name": name}))
            .await
            .assert_status(201);
    }
    let page = app.get("/api/v1/sections?limit=2", &admin.token).await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(page.body["next"], json!(null));
    let page = app.get("/api/v1/sections", &admin.token).await;
    assert_eq!(page.body["next"], json!(null));
}
