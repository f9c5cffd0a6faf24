//! The audit log: written with every change, readable by admins.

use newsroom::domain::Role;
use serde_json::json;

use crate::helpers::{id_of, TestApp};

#[actix_web::test]
async fn every_change_writes_an_entry_with_actor_and_changed_fields() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let created = app
        .post(
            "/api/v1/outlets",
            &admin.token,
            json!({"name": "Dawn", "country": "PK", "language": "en"}),
        )
        .await;
    let id = id_of(&created);
    app.patch(
        &format!("/api/v1/outlets/{id}"),
        &admin.token,
        json!({"name": "DAWN", "country": "PK"}),
    )
    .await
    .assert_status(200);
    app.delete(&format!("/api/v1/outlets/{id}"), &admin.token)
        .await
        .assert_status(204);

    let res = app
        .get(&format!("/api/v1/audit?entity_id={id}"), &admin.token)
        .await;
    res.assert_status(200);
    let items = res.body["items"].as_array().unwrap();
    let actions: Vec<&str> = items
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["outlet.delete", "outlet.update", "outlet.create"],
        "newest first"
    );
    for entry in items {
        assert_eq!(entry["actor_id"], json!(admin.id));
        assert_eq!(entry["actor_label"], json!(admin.email));
        assert_eq!(entry["entity_type"], json!("outlet"));
        assert!(entry["request_id"].is_string());
    }
    assert_eq!(
        items[1]["changes"],
        json!({"name": {"from": "Dawn", "to": "DAWN"}}),
        "only what changed"
    );
    assert_eq!(
        items[2]["changes"]["slug"],
        json!({"from": null, "to": "dawn"})
    );
    assert_eq!(
        items[0]["changes"]["name"],
        json!({"from": "DAWN", "to": null})
    );
}

#[actix_web::test]
async fn sign_ins_user_changes_and_catalogue_changes_are_all_audited() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let outlet = app.outlet(&admin, "dawn").await;
    let editor = app.user(Role::Editor, &[outlet]).await;
    app.post(
        "/api/v1/sections",
        &admin.token,
        json!({"name": "Economics"}),
    )
    .await
    .assert_status(201);
    app.post(
        "/api/v1/authors",
        &editor.token,
        json!({"name": "Desk", "outlet_id": outlet}),
    )
    .await
    .assert_status(201);
    app.patch(
        &format!("/api/v1/users/{}", editor.id),
        &admin.token,
        json!({"display_name": "Ed"}),
    )
    .await
    .assert_status(200);
    let res = app.get("/api/v1/audit?limit=100", &admin.token).await;
    let actions: Vec<&str> = res.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for expected in [
        "auth.login",
        "outlet.create",
        "section.create",
        "author.create",
        "user.update",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    let by_editor = app
        .get(
            &format!("/api/v1/audit?actor_id={}&action=author.create", editor.id),
            &admin.token,
        )
        .await;
    assert_eq!(by_editor.body["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn a_refused_change_writes_no_entry() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let writer = app.user(Role::Writer, &[]).await;
    let before = app.count("audit_entries").await;
    app.post(
        "/api/v1/outlets",
        &writer.token,
        json!({"name": "Dawn", "country": "PK", "language": "en"}),
    )
    .await
    .assert_problem(403);
    app.post(
        "/api/v1/outlets",
        &admin.token,
        json!({"name": "Dawn", "country": "??", "language": "en"}),
    )
    .await
    .assert_problem(422);
    assert_eq!(app.count("audit_entries").await, before);
}

#[actix_web::test]
async fn the_audit_log_filters_by_time_and_pages_with_a_cursor() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let t0 = app.clock.now();
    for i in 0..5 {
        app.clock.advance(chrono::Duration::minutes(1));
        app.post(
            "/api/v1/sections",
            &admin.token,
            json!({"name": format!("Section {i}")}),
        )
        .await
        .assert_status(201);
    }
    let from =
        (t0 + chrono::Duration::seconds(150)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let res = app
        .get(
            &format!("/api/v1/audit?action=section.create&from={from}"),
            &admin.token,
        )
        .await;
    assert_eq!(res.body["items"].as_array().unwrap().len(), 3);

    let mut seen = Vec::new();
    let mut path = "/api/v1/audit?action=section.create&limit=2".to_owned();
    loop {
        let page = app.get(&path, &admin.token).await;
        seen.extend(
            page.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].clone()),
        );
        match page.body["next"].as_str() {
            Some(next) => {
                path = format!("/api/v1/audit?action=section.create&limit=2&cursor={next}")
            }
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
}
