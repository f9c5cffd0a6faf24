//! Keyset pagination walks every row exactly once, even while rows are being inserted, and
//! every list takes the same `limit` and `cursor` and refuses parameters it does not know.

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

#[actix_web::test]
async fn every_list_takes_limit_and_cursor_and_refuses_unknown_parameters() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let doc = app.get_with("/api/openapi.json", &[]).await.body;
    let mut lists = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let Some(op) = item.get("get") else { continue };
        let page = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .is_some_and(|r| r.starts_with("#/components/schemas/Page"));
        if !page || !path.starts_with("/api/") {
            continue;
        }
        lists += 1;
        let params: Vec<&str> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["name"].as_str())
            .collect();
        for name in ["limit", "cursor"] {
            assert!(
                params.contains(&name),
                "GET {path} does not declare `{name}`"
            );
        }
        let path = path.replace("{id}", "0190a1b2-0000-7000-8000-000000000000");
        let res = app
            .get(&format!("{path}?no_such_parameter=1"), &admin.token)
            .await;
        assert_eq!(res.status.as_u16(), 422, "GET {path}: {}", res.text);
        assert!(
            !res.field_errors("no_such_parameter").is_empty(),
            "GET {path}: {}",
            res.text
        );
    }
    assert!(lists >= 12, "only {lists} lists found");
}
