//! Newsletters themselves: admins manage them, staff read them.

use newsroom::domain::Role;
use serde_json::json;

use super::{newsletter, sign_up};
use crate::helpers::TestApp;

#[actix_web::test]
async fn admins_manage_newsletters_and_staff_read_them() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let editor = app.user(Role::Editor, &[]).await;
    let id = newsletter(&app, "eastern-briefings").await;
    app.post(
        "/api/v1/newsletters",
        &editor.token,
        json!({"name": "Mine"}),
    )
    .await
    .assert_problem(403);
    let taken = app
        .post(
            "/api/v1/newsletters",
            &admin.token,
            json!({"slug": "eastern-briefings", "name": "Again"}),
        )
        .await;
    taken.assert_problem(409);
    assert!(!taken.field_errors("slug").is_empty());
    let read = app
        .get("/api/v1/newsletters/eastern-briefings", &editor.token)
        .await;
    read.assert_status(200);
    assert_eq!(read.body["id"], id.to_string());
    let renamed = app
        .patch(
            &format!("/api/v1/newsletters/{id}"),
            &admin.token,
            json!({"description": null}),
        )
        .await;
    renamed.assert_status(200);
    assert!(renamed.body["description"].is_null());
    app.get(
        "/api/v1/newsletters",
        &app.user(Role::Writer, &[]).await.token,
    )
    .await
    .assert_status(200);

    // A newsletter with subscribers cannot be deleted; an empty one can.
    sign_up(&app, "eastern-briefings", "reader@example.org")
        .await
        .assert_status(202);
    app.delete(&format!("/api/v1/newsletters/{id}"), &admin.token)
        .await
        .assert_problem(409);
    let spare = newsletter(&app, "spare").await;
    app.delete(&format!("/api/v1/newsletters/{spare}"), &admin.token)
        .await
        .assert_status(204);
}
