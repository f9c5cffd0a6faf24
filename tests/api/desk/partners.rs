//! The partner screens per role: the list, creating a partner (its webhook secret shown on
//! that answer only), its entitlements said as a sentence, API keys (shown once, revoked after
//! a confirm step), the secret's rotation, the SSRF guard's refusal by the webhook field, the
//! webhook log (in `partner_deliveries.rs`); writers and editors refused (403 pages, forged
//! posts change nothing).

use serde_json::json;
use uuid::Uuid;

use super::{Browser, Page};
use crate::helpers::{TestApp, TestUser};

/// The value of the secret or key a page shows once.
#[track_caller]
fn shown_once(page: &Page) -> String {
    let marker = "spellcheck=\"false\">";
    let start = page.text.find(marker).expect("a value shown once") + marker.len();
    let len = page.text[start..].find('<').expect("the end of the field");
    page.text[start..start + len].to_owned()
}

/// Creates a partner through the API: its id.
pub(super) async fn partner(app: &TestApp, admin: &TestUser, body: serde_json::Value) -> Uuid {
    let res = app.post("/api/v1/partners", &admin.token, body).await;
    res.assert_status(201);
    res.body["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .expect("an id")
}

#[actix_web::test]
async fn an_admin_creates_a_partner_whose_secret_and_keys_are_shown_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;

    let list = browser.get("/admin/partners").await;
    list.assert_status(200)
        .assert_contains("<a href=\"/admin/partners\">Partners</a>")
        .assert_contains("No partners match.");
    let csrf = list.hidden("csrf");
    let (outlet, section) = (desk.outlet.to_string(), desk.section.to_string());
    let created = browser
        .post(
            "/admin/partners",
            &[
                ("csrf", &csrf),
                ("name", "Wire Asia"),
                ("outlet_ids", &outlet),
                ("section_ids", &section),
                ("webhook_url", "https://hooks.example.com/in"),
            ],
        )
        .await;
    created
        .assert_status(201)
        .assert_contains("The partner was created.")
        .assert_contains("The new webhook secret")
        .assert_contains("it is not shown again")
        .assert_contains("data-copy=\"once-value\"")
        .assert_contains(
            "Wire Asia may fetch the published stories of The dawn, in News only (stories \
             without a section are left out). Webhooks for them go to \
             https:&#x2f;&#x2f;hooks.example.com&#x2f;in.",
        );
    assert_eq!(created.header("cache-control"), Some("no-store"));
    let secret = shown_once(&created);
    assert!(secret.starts_with("whsec_"), "{secret}");
    let stored = sqlx::query_as::<_, (Uuid, String)>("select id, webhook_secret from partners")
        .fetch_one(&app.state.db)
        .await
        .expect("the partner");
    assert_eq!(stored.1, secret);
    let path = format!("/admin/partners/{}", stored.0);

    // An API key: on the answer once, then never again.
    let made = browser
        .post(
            &format!("{path}/keys"),
            &[("csrf", &csrf), ("expires_on", "")],
        )
        .await;
    made.assert_status(201)
        .assert_contains("The new API key")
        .assert_contains("It works until it is revoked.")
        .assert_lacks(&secret);
    let key = shown_once(&made);
    app.syndication(&key, "/syndication/v1/articles")
        .await
        .assert_status(200);
    let prefix = &key[..8];
    let later = browser.get(&path).await;
    later
        .assert_status(200)
        .assert_contains(prefix)
        .assert_contains("Never")
        .assert_lacks("once-value");
    let key_id: String = sqlx::query_scalar::<_, Uuid>("select id from api_keys")
        .fetch_one(&app.state.db)
        .await
        .expect("the key")
        .to_string();
    let revoke = format!("{path}/keys/{key_id}/revoke");
    let confirm = browser.get(&revoke).await;
    for page in [
        later,
        browser.get("/admin/partners").await,
        confirm,
        browser.get(&format!("{path}/deliveries")).await,
        browser.get("/admin/audit").await,
    ] {
        page.assert_status(200)
            .assert_lacks(&key)
            .assert_lacks(&secret);
    }

    // Revoking asks first; without the CSRF token nothing happens.
    browser
        .get(&revoke)
        .await
        .assert_contains("will stop working on its next request")
        .assert_contains(&format!("action=\"{revoke}\""));
    browser.post(&revoke, &[]).await.assert_status(403);
    app.syndication(&key, "/syndication/v1/articles")
        .await
        .assert_status(200);
    browser
        .post(&revoke, &[("csrf", &csrf)])
        .await
        .assert_redirect(&format!("{path}?revoked"));
    app.syndication(&key, "/syndication/v1/articles")
        .await
        .assert_status(401);
    browser
        .get(&format!("{path}?revoked"))
        .await
        .assert_contains("The key was revoked")
        .assert_contains("Revoked 20")
        .assert_lacks(&format!("href=\"{revoke}\""));

    // Rotating the secret: the new one once, the old one signing for the overlap.
    let rotated = browser
        .post(
            &format!("{path}/webhook-secret"),
            &[("csrf", &csrf), ("overlap_hours", "24")],
        )
        .await;
    rotated
        .assert_status(200)
        .assert_contains("The webhook secret was rotated.")
        .assert_contains("The previous secret signs too until");
    let new_secret = shown_once(&rotated);
    assert_ne!(new_secret, secret);
    browser.get(&path).await.assert_lacks(&new_secret);

    // Editing the entitlements: every outlet and section, no webhook.
    browser
        .post(
            &path,
            &[("csrf", &csrf), ("name", "Wire"), ("active", "yes")],
        )
        .await
        .assert_redirect(&format!("{path}?saved"));
    browser
        .get(&format!("{path}?saved"))
        .await
        .assert_contains("Saved.")
        .assert_contains(
            "Wire may fetch the published stories of every outlet, in every section. No \
             webhook URL is set: it gets no webhooks.",
        );
    let stored = app
        .get(&format!("/api/v1/partners/{}", stored.0), &admin.token)
        .await;
    assert_eq!(stored.body["outlet_ids"], json!([]));
    assert_eq!(stored.body["webhook_url"], json!(null));
    assert_eq!(stored.body["active"], json!(true));
}

/// A form's fields, as a test case sends them.
type Fields = &'static [(&'static str, &'static str)];

#[actix_web::test]
async fn bad_input_is_told_next_to_its_field_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let id = partner(&app, &admin, json!({"name": "Kept"})).await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let csrf = browser.get("/admin/partners").await.hidden("csrf");
    let cases: [(Fields, &str, &str); 3] = [
        (&[("name", " ")], "name-error", "must not be empty"),
        (
            &[("name", "Kept name"), ("outlet_ids", "nope")],
            "outlet_ids-error",
            "must list existing entries",
        ),
        (
            &[("name", "Kept name"), ("webhook_url", "ftp://x.example")],
            "webhook_url-error",
            "Newsroom will not send webhooks to this address",
        ),
    ];
    for (fields, field, message) in cases {
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        for path in [
            "/admin/partners".to_owned(),
            format!("/admin/partners/{id}"),
        ] {
            browser
                .post(&path, &form)
                .await
                .assert_status(422)
                .assert_contains(&format!("id=\"{field}\""))
                .assert_contains(message);
        }
    }
    assert_eq!(app.count("partners").await, 1);
    let stored = app
        .get(&format!("/api/v1/partners/{id}"), &admin.token)
        .await;
    assert_eq!(stored.body["name"], json!("Kept"));

    let path = format!("/admin/partners/{id}");
    for (expires, message) in [
        ("2020-01-01", "must be in the future"),
        ("tomorrow", "is not a date"),
    ] {
        browser
            .post(
                &format!("{path}/keys"),
                &[("csrf", &csrf), ("expires_on", expires)],
            )
            .await
            .assert_status(422)
            .assert_contains("id=\"expires_at-error\"")
            .assert_contains(message)
            .assert_lacks("once-value");
    }
    assert_eq!(app.count("api_keys").await, 0);
    browser
        .post(
            &format!("{path}/webhook-secret"),
            &[("csrf", &csrf), ("overlap_hours", "999")],
        )
        .await
        .assert_status(422)
        .assert_contains("id=\"overlap_hours-error\"")
        .assert_lacks("once-value");
    browser
        .get("/admin/partners?active=maybe")
        .await
        .assert_status(422)
        .assert_contains("id=\"active-error\"");
}

#[actix_web::test]
async fn the_ssrf_guards_refusal_is_a_sentence_next_to_the_webhook_field() {
    let app = TestApp::spawn_with(|c| c.webhook_allow_private = false).await;
    let admin = app.admin().await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let csrf = browser.get("/admin/partners").await.hidden("csrf");
    browser
        .post(
            "/admin/partners",
            &[
                ("csrf", &csrf),
                ("name", "Inside"),
                ("webhook_url", "https://10.0.0.7/hooks"),
            ],
        )
        .await
        .assert_status(422)
        .assert_contains(
            "Newsroom will not send webhooks to this address: the URL must not point to a \
             private, loopback, link-local or reserved address.",
        )
        .assert_contains("aria-describedby=\"p-webhook-hint webhook_url-error\"")
        .assert_contains("value=\"Inside\"");
    assert_eq!(app.count("partners").await, 0);
}

#[actix_web::test]
async fn hostile_names_are_escaped_on_every_partner_page() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    let (id, _) = app.partner(&admin, json!({"name": hostile})).await;
    let key_id: Uuid = sqlx::query_scalar("select id from api_keys")
        .fetch_one(&app.state.db)
        .await
        .expect("the key");
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    for path in [
        "/admin/partners".to_owned(),
        format!("/admin/partners/{id}"),
        format!("/admin/partners/{id}/deliveries"),
        format!("/admin/partners/{id}/keys/{key_id}/revoke"),
    ] {
        browser
            .get(&path)
            .await
            .assert_status(200)
            .assert_contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            .assert_lacks("<script>alert")
            .assert_lacks("<img src=x");
    }
}
