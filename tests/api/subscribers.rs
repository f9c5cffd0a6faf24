//! The admin view of subscribers: filters, the ledger, GDPR export and erasure.

use actix_web::http::Method;
use newsroom::domain::Role;
use serde_json::json;

use crate::helpers::TestApp;

async fn sign_up(app: &TestApp, newsletter: &str, email: &str, name: &str) {
    app.call_raw(
        Method::POST,
        &format!("/public/v1/newsletters/{newsletter}/subscribe"),
        None,
        Some("application/json"),
        json!({"email": email, "name": name, "consent": true, "policy_version": "2026-11"})
            .to_string()
            .into_bytes(),
    )
    .await
    .assert_status(202);
}

/// Every table whose rows, as text, mention `needle`.
async fn tables_mentioning(app: &TestApp, needle: &str) -> Vec<String> {
    let tables: Vec<String> = sqlx::query_scalar(
        "select table_name::text from information_schema.tables
         where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    let mut found = Vec::new();
    for table in tables {
        let hits: i64 = sqlx::query_scalar(&format!(
            "select count(*) from \"{table}\" t where t::text ilike '%' || $1 || '%'"
        ))
        .bind(needle)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
        if hits > 0 {
            found.push(table);
        }
    }
    found
}

#[actix_web::test]
async fn admins_list_read_export_and_erase_subscribers_and_no_one_else_sees_them() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for (slug, name) in [
        ("eastern-briefings", "Eastern Briefings"),
        ("markets", "Markets"),
    ] {
        app.post(
            "/api/v1/newsletters",
            &admin.token,
            json!({"slug": slug, "name": name}),
        )
        .await
        .assert_status(201);
    }
    sign_up(&app, "eastern-briefings", "mei@example.org", "Mei Tan").await;
    sign_up(&app, "markets", "mei@example.org", "Mei Tan").await;
    sign_up(&app, "markets", "ravi@example.org", "Ravi").await;

    let all = app.get("/api/v1/subscribers", &admin.token).await;
    all.assert_status(200);
    assert_eq!(all.body["items"].as_array().unwrap().len(), 2);
    let briefings = app
        .get(
            "/api/v1/subscribers?newsletter=eastern-briefings&status=pending",
            &admin.token,
        )
        .await;
    let items = briefings.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["email"], "mei@example.org");
    assert_eq!(items[0]["subscriptions"].as_array().unwrap().len(), 2);
    let found = app.get("/api/v1/subscribers?q=RAVI", &admin.token).await;
    assert_eq!(found.body["items"][0]["email"], "ravi@example.org");
    app.get("/api/v1/subscribers?status=gone", &admin.token)
        .await
        .assert_problem(422);
    app.get("/api/v1/subscribers?newsletter=nothing", &admin.token)
        .await
        .assert_problem(422);
    let paged = app.get("/api/v1/subscribers?limit=1", &admin.token).await;
    let next = paged.body["next"].as_str().unwrap().to_owned();
    let rest = app
        .get(
            &format!("/api/v1/subscribers?limit=1&cursor={next}"),
            &admin.token,
        )
        .await;
    assert_ne!(rest.body["items"][0]["id"], paged.body["items"][0]["id"]);

    let id = items[0]["id"].as_str().unwrap().to_owned();
    for who in [Role::Editor, Role::Writer] {
        let user = app.user(who, &[]).await;
        for path in [
            "/api/v1/subscribers".to_owned(),
            format!("/api/v1/subscribers/{id}"),
            format!("/api/v1/subscribers/{id}/export"),
        ] {
            app.get(&path, &user.token).await.assert_problem(403);
        }
        app.delete(&format!("/api/v1/subscribers/{id}"), &user.token)
            .await
            .assert_problem(403);
    }

    let read = app
        .get(&format!("/api/v1/subscribers/{id}"), &admin.token)
        .await;
    read.assert_status(200);
    let actions: Vec<&str> = read.body["ledger"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["subscribed", "subscribed"]);
    let export = app
        .get(&format!("/api/v1/subscribers/{id}/export"), &admin.token)
        .await;
    export.assert_status(200);
    assert!(export
        .header("content-disposition")
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(export.body["email"], "mei@example.org");
    assert_eq!(export.body["ledger"].as_array().unwrap().len(), 2);
    assert_eq!(export.body["ledger"][0]["policy_version"], "2026-11");

    // Erasure: the address is in no table any more, only as the suppression hash.
    assert!(!tables_mentioning(&app, "mei@example.org").await.is_empty());
    app.delete(&format!("/api/v1/subscribers/{id}"), &admin.token)
        .await
        .assert_status(204);
    assert_eq!(
        tables_mentioning(&app, "mei@example.org").await,
        Vec::<String>::new()
    );
    assert_eq!(
        tables_mentioning(&app, "Mei Tan").await,
        Vec::<String>::new()
    );
    let erased = app
        .get(&format!("/api/v1/subscribers/{id}"), &admin.token)
        .await;
    assert!(erased.body["email"].is_null());
    assert!(erased.body["erased_at"].is_string());
    let last = erased.body["ledger"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["action"], "erased");
    app.delete(&format!("/api/v1/subscribers/{id}"), &admin.token)
        .await
        .assert_status(204);

    // The erased address is never mailed again, not even a confirmation.
    sign_up(&app, "markets", "Mei@Example.org", "Mei").await;
    assert_eq!(
        tables_mentioning(&app, "mei@example.org").await,
        Vec::<String>::new()
    );
}

#[actix_web::test]
async fn the_csv_export_streams_ten_thousand_subscribers() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.post(
        "/api/v1/newsletters",
        &admin.token,
        json!({"slug": "eastern-briefings", "name": "Eastern Briefings"}),
    )
    .await
    .assert_status(201);
    sqlx::query(
        "with s as (
             insert into subscribers (id, email, name, created_at, updated_at)
             select gen_random_uuid(), 'reader' || i || '@example.org', case when i = 7 then '=cmd|calc' else 'Reader ' || i end, now(), now()
             from generate_series(1, 10000) i
             returning id)
         insert into subscriptions (subscriber_id, newsletter_id, status, policy_version, created_at, updated_at)
         select s.id, n.id, 'confirmed', '2026-11', now(), now() from s, newsletters n",
    )
    .execute(&app.state.db)
    .await
    .unwrap();
    let res = app
        .get("/api/v1/subscribers/export.csv", &admin.token)
        .await;
    res.assert_status(200);
    assert!(res.header("content-type").unwrap().starts_with("text/csv"));
    assert!(
        res.header("content-length").is_none(),
        "the export is streamed, not built in memory"
    );
    let mut reader = csv::Reader::from_reader(res.text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.get(1), Some("email"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 10_000);
    let mut emails: Vec<&str> = rows.iter().map(|r| r.get(1).unwrap()).collect();
    emails.sort();
    emails.dedup();
    assert_eq!(emails.len(), 10_000, "every subscriber once");
    assert!(
        rows.iter().any(|r| r.get(2) == Some("'=cmd|calc")),
        "a formula is defused"
    );
    let editor = app.user(Role::Editor, &[]).await;
    app.get("/api/v1/subscribers/export.csv", &editor.token)
        .await
        .assert_problem(403);
}

#[actix_web::test]
async fn a_csv_import_reports_every_row_and_asks_for_consent_where_there_is_no_evidence() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.post(
        "/api/v1/newsletters",
        &admin.token,
        json!({"slug": "eastern-briefings", "name": "Eastern Briefings"}),
    )
    .await
    .assert_status(201);
    let hash = newsroom::subscriptions::service::email_hash("gone@example.org");
    sqlx::query(
        "insert into suppressions (email_hash, reason, created_at) values ($1, 'erased', now())",
    )
    .bind(hash)
    .execute(&app.state.db)
    .await
    .unwrap();
    let file = "email,name,newsletter,consent_time,consent_source\n\
        evidence@example.org,Ana,eastern-briefings,2026-01-05T10:00:00Z,paper form at the book fair\n\
        no-evidence@example.org,Bo,eastern-briefings,,\n\
        Evidence@Example.org,Ana again,eastern-briefings,2026-01-05T10:00:00Z,duplicate\n\
        not-an-address,Cy,eastern-briefings,,\n\
        dee@example.org,Dee,no-such-letter,,\n\
        gone@example.org,Eve,eastern-briefings,2026-01-05T10:00:00Z,old list\n\
        fay@example.org,Fay,eastern-briefings,yesterday,website\n";
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
        (
            &res.body["confirmed"],
            &res.body["pending"],
            &res.body["rejected"]
        ),
        (&json!(1), &json!(1), &json!(5)),
        "{}",
        res.body
    );
    let outcomes: Vec<(u64, &str)> = res.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(
        outcomes,
        [
            (2, "confirmed"),
            (3, "pending"),
            (4, "rejected"),
            (5, "rejected"),
            (6, "rejected"),
            (7, "rejected"),
            (8, "rejected")
        ]
    );
    let reasons: Vec<&str> = res.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["reason"].as_str())
        .collect();
    assert!(reasons[0].contains("earlier in the file"), "{reasons:?}");
    assert!(
        reasons[3].contains("unsubscribed, bounced or was erased"),
        "{reasons:?}"
    );

    let status = |email: &'static str| {
        let db = app.state.db.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "select x.status from subscriptions x join subscribers s on s.id = x.subscriber_id where s.email = $1",
            )
            .bind(email)
            .fetch_optional(&db)
            .await
            .unwrap()
        }
    };
    assert_eq!(
        status("evidence@example.org").await.as_deref(),
        Some("confirmed")
    );
    assert_eq!(
        status("no-evidence@example.org").await.as_deref(),
        Some("pending")
    );
    assert_eq!(status("gone@example.org").await, None);
    let emails: Vec<String> =
        sqlx::query_scalar("select recipient from email_outbox where kind = 'confirm'")
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    assert_eq!(
        emails,
        ["no-evidence@example.org"],
        "only the row without evidence is asked"
    );
    let evidence: String = sqlx::query_scalar(
        "select c.source from consent_events c join subscribers s on s.id = c.subscriber_id
         where s.email = 'evidence@example.org' and c.action = 'imported'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert!(evidence.contains("paper form at the book fair") && evidence.contains("2026-01-05"));

    let missing = app
        .call_raw(
            actix_web::http::Method::POST,
            "/api/v1/subscribers/import",
            Some(&admin.token),
            Some("text/csv"),
            b"name,newsletter\nAna,eastern-briefings\n".to_vec(),
        )
        .await;
    missing.assert_problem(422);
}
