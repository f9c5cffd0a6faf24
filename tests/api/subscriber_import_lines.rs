//! A CSV import refuses a subscriber name with a line break or control character, as the
//! API does: the name reaches the plain-text body of emails.

use serde_json::json;

use crate::helpers::TestApp;

#[actix_web::test]
async fn a_csv_import_rejects_a_name_with_a_line_break_and_imports_the_rest() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.post(
        "/api/v1/newsletters",
        &admin.token,
        json!({"slug": "eastern-briefings", "name": "Eastern Briefings"}),
    )
    .await
    .assert_status(201);
    let file = "email,name,newsletter\n\
        fine@example.org,Ana,eastern-briefings\n\
        crlf@example.org,\"Bo\r\nBcc: someone@example.org\",eastern-briefings\n\
        escape@example.org,Cy\u{1b}[31m,eastern-briefings\n";
    let res = app
        .call_raw(
            actix_web::http::Method::POST,
            "/api/v1/subscribers/import",
            Some(&admin.token),
            Some("text/csv"),
            file.as_bytes().to_vec(),
        )
        .await;
    res.assert_status(200);
    assert_eq!(
        (&res.body["pending"], &res.body["rejected"]),
        (&json!(1), &json!(2)),
        "{}",
        res.body
    );
    let reasons: Vec<&str> = res.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["reason"].as_str())
        .collect();
    assert!(
        reasons.iter().all(|r| r.contains("one line")),
        "{reasons:?}"
    );
    let stored: i64 = sqlx::query_scalar("select count(*) from subscribers")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(stored, 1);
}
