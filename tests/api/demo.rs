//! The demo of `serve --demo`: every outlet the walk-through reads has a published story, a
//! partner's change feed shows a withdrawn and a killed story as tombstones, and
//! `--reset` empties the database so the walk-through can run again.

use serde_json::{json, Value};

use crate::helpers::TestApp;

/// The demo alliance seeded into the test's database, and an admin token of it.
async fn demo(app: &TestApp) -> String {
    newsroom::demo::seed(&app.state).await.unwrap();
    let login = app
        .login("admin@newsroom.example", "newsroom-admin-demo")
        .await;
    login.assert_status(200);
    login.body["token"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn every_outlet_of_the_walk_through_has_a_published_story() {
    let app = TestApp::spawn().await;
    demo(&app).await;
    for outlet in ["dawn", "the-daily-star", "china-daily"] {
        let list = app
            .get_with(&format!("/public/v1/articles?outlet={outlet}"), &[])
            .await;
        list.assert_status(200);
        let items = list.body["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{outlet} has no published story");
        let slug = items[0]["slug"].as_str().unwrap();
        app.get_with(&format!("/public/v1/outlets/{outlet}/articles/{slug}"), &[])
            .await
            .assert_status(200);
    }
}

#[actix_web::test]
async fn a_partner_of_the_demo_sees_the_withdrawn_and_the_killed_story_as_tombstones() {
    let app = TestApp::spawn().await;
    let admin = demo(&app).await;
    let partner = app
        .post("/api/v1/partners", &admin, json!({"name": "Asia Wire"}))
        .await;
    partner.assert_status(201);
    let key = app
        .post(
            &format!(
                "/api/v1/partners/{}/keys",
                partner.body["id"].as_str().unwrap()
            ),
            &admin,
            json!({}),
        )
        .await;
    let key = key.body["key"].as_str().unwrap();
    // Five publications, a withdrawal and a kill; other tests' transactions may hold the
    // feed back for a moment (see `walk_until`).
    let items = crate::syndication::walk_until(&app, key, "", 7).await;
    let tombstone = |event: &str| -> Value {
        items
            .iter()
            .find(|i| i["event"] == json!(event))
            .unwrap_or_else(|| panic!("no {event} in {items:#?}"))["story"]
            .clone()
    };
    let withdrawn = tombstone("article.withdrawn");
    assert_eq!(withdrawn["pubstatus"], json!("withheld"));
    assert!(withdrawn.get("body_html").is_none_or(Value::is_null));
    let killed = tombstone("article.killed");
    assert_eq!(killed["pubstatus"], json!("canceled"));
    assert!(killed.get("body_html").is_none_or(Value::is_null));
    // Each was published first, and the partner saw that too.
    let published = items
        .iter()
        .filter(|i| i["event"] == json!("article.published"))
        .count();
    assert_eq!(published, 5, "three live stories, and the two taken down");
}

#[actix_web::test]
async fn reset_empties_the_database_so_the_demo_starts_afresh() {
    let app = TestApp::spawn().await;
    let admin = demo(&app).await;
    app.post(
        "/api/v1/outlets",
        &admin,
        json!({"name": "The Jakarta Post", "country": "ID", "language": "en"}),
    )
    .await
    .assert_status(201);

    // `serve --demo --reset` is a new process: a fresh pool on the same database.
    let (server, state) = app.another_instance();
    newsroom::demo::reset(&state).await.unwrap();
    newsroom::db::migrate(&state.db).await.unwrap();
    newsroom::demo::seed(&state).await.unwrap();
    let outlets: Vec<String> = sqlx::query_scalar("select slug from outlets order by slug")
        .fetch_all(&state.db)
        .await
        .unwrap();
    assert_eq!(outlets.len(), 5, "the demo's outlets only: {outlets:?}");
    assert!(!outlets.contains(&"the-jakarta-post".to_owned()));
    // The walk-through's first steps work again.
    let client = awc::Client::default();
    let mut login = client
        .post(server.url("/api/v1/auth/login"))
        .send_json(&json!({"email": "admin@newsroom.example", "password": "newsroom-admin-demo"}))
        .await
        .unwrap();
    assert_eq!(login.status().as_u16(), 200);
    let token = login.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let created = client
        .post(server.url("/api/v1/outlets"))
        .bearer_auth(&token)
        .send_json(&json!({"name": "The Jakarta Post", "country": "ID", "language": "en"}))
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
}
