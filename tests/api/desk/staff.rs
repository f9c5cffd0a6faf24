//! The staff screens per role: the list, creating an account, changing its role and outlets,
//! deactivating (which ends the account's desk session) and reactivating it; the service's
//! refusals as field messages or sentences; writers and editors refused; hostile names escaped.

use newsroom::domain::Role;
use serde_json::json;

use super::Browser;
use crate::helpers::{TestApp, PASSWORD};

const NEW_PASSWORD: &str = "a long enough initial password";

#[actix_web::test]
async fn an_admin_lists_creates_and_changes_staff_accounts() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.outlet(&admin, "dawn").await;
    let star = app.outlet(&admin, "star").await;
    let writer = app.user(Role::Writer, &[dawn]).await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;

    let list = browser.get("/admin/staff").await;
    list.assert_status(200)
        .assert_contains("<a href=\"/admin/staff\">Staff</a>")
        .assert_contains("<a href=\"/admin/audit\">Audit log</a>")
        .assert_contains(&writer.email)
        .assert_contains("The dawn");
    browser
        .get("/admin/staff?role=editor")
        .await
        .assert_status(200)
        .assert_lacks(&writer.email)
        .assert_contains("No accounts match.");
    browser
        .get("/admin/staff?active=no")
        .await
        .assert_lacks(&writer.email);

    let csrf = list.hidden("csrf");
    let dawn_id = dawn.to_string();
    let created = browser
        .post(
            "/admin/staff",
            &[
                ("csrf", &csrf),
                ("display_name", "Amna Riaz"),
                ("email", "Amna@Dawn.example"),
                ("role", "editor"),
                ("outlet_ids", &dawn_id),
                ("password", NEW_PASSWORD),
            ],
        )
        .await;
    created.assert_status(303);
    let location = created.header("location").expect("a location").to_owned();
    assert!(location.ends_with("?created"), "{location}");
    let path = location.trim_end_matches("?created").to_owned();
    let id = path.trim_start_matches("/admin/staff/").to_owned();
    let stored = app.get(&format!("/api/v1/users/{id}"), &admin.token).await;
    assert_eq!(stored.body["email"], json!("amna@dawn.example"));
    assert_eq!(stored.body["role"], json!("editor"));
    assert_eq!(stored.body["outlet_ids"], json!([dawn]));
    app.login("amna@dawn.example", NEW_PASSWORD)
        .await
        .assert_status(200);

    let page = browser.get(&location).await;
    page.assert_status(200)
        .assert_contains("The account was created.")
        .assert_contains("Amna Riaz");
    let star_id = star.to_string();
    browser
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("display_name", "Amna R."),
                ("role", "writer"),
                ("outlet_ids", &star_id),
            ],
        )
        .await
        .assert_redirect(&format!("{path}?saved"));
    let stored = app.get(&format!("/api/v1/users/{id}"), &admin.token).await;
    assert_eq!(stored.body["display_name"], json!("Amna R."));
    assert_eq!(stored.body["role"], json!("writer"));
    assert_eq!(stored.body["outlet_ids"], json!([star]));
}

#[actix_web::test]
async fn the_services_refusals_are_told_next_to_their_fields_and_nothing_is_made() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let writer = app.user(Role::Writer, &[]).await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let csrf = browser.get("/admin/staff").await.hidden("csrf");
    let users = app.count("users").await;
    let create = |email: &'static str, role: &'static str, password: &'static str| {
        [
            ("display_name", "Kept name"),
            ("email", email),
            ("role", role),
            ("password", password),
        ]
    };
    let cases = [
        (
            create("not an email", "writer", NEW_PASSWORD),
            422,
            "email-error",
            "is not a valid email address",
        ),
        (
            create("x@dawn.example", "root", NEW_PASSWORD),
            422,
            "role-error",
            "is not a role",
        ),
        (
            create("x@dawn.example", "writer", "short"),
            422,
            "password-error",
            "must be 12 to 128",
        ),
        (
            create("TAKEN", "writer", NEW_PASSWORD),
            409,
            "email-error",
            "is already registered",
        ),
    ];
    for (fields, status, field, message) in cases {
        let mut form = vec![("csrf", csrf.as_str())];
        for (name, value) in fields {
            let value = if value == "TAKEN" {
                writer.email.as_str()
            } else {
                value
            };
            form.push((name, value));
        }
        browser
            .post("/admin/staff", &form)
            .await
            .assert_status(status)
            .assert_contains(&format!("id=\"{field}\""))
            .assert_contains(message)
            .assert_contains("value=\"Kept name\"")
            .assert_lacks(NEW_PASSWORD);
    }
    assert_eq!(app.count("users").await, users);

    // A forged filter: its message by the field, no rows.
    browser
        .get("/admin/staff?role=root&q=kept")
        .await
        .assert_status(422)
        .assert_contains("id=\"role-error\"")
        .assert_contains("value=\"kept\"")
        .assert_lacks(&writer.email);
    browser
        .get("/admin/staff?cursor=nope")
        .await
        .assert_status(422)
        .assert_contains("The link to this page is broken");

    // An empty name on an account's page: the message by the field, the account unchanged.
    let path = format!("/admin/staff/{}", writer.id);
    browser
        .post(
            &path,
            &[("csrf", &csrf), ("display_name", " "), ("role", "editor")],
        )
        .await
        .assert_status(422)
        .assert_contains("id=\"display_name-error\"");
    let stored = app
        .get(&format!("/api/v1/users/{}", writer.id), &admin.token)
        .await;
    assert_eq!(stored.body["role"], json!("writer"));
}

#[actix_web::test]
async fn an_admin_may_not_demote_or_deactivate_themselves() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let path = format!("/admin/staff/{}", admin.id);
    let csrf = browser.get(&path).await.hidden("csrf");
    browser
        .post(
            &path,
            &[("csrf", &csrf), ("display_name", "Me"), ("role", "writer")],
        )
        .await
        .assert_status(409)
        .assert_contains("you cannot demote or deactivate your own account")
        .assert_contains("value=\"Me\"");
    browser
        .post(&format!("{path}/deactivate"), &[("csrf", &csrf)])
        .await
        .assert_status(409)
        .assert_contains("you cannot demote or deactivate your own account");
    let stored = app
        .get(&format!("/api/v1/users/{}", admin.id), &admin.token)
        .await;
    assert_eq!(stored.body["role"], json!("admin"));
    assert_eq!(stored.body["active"], json!(true));
}

#[actix_web::test]
async fn deactivation_asks_first_and_ends_the_accounts_desk_session() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let writer = app.user(Role::Writer, &[]).await;
    let mut theirs = Browser::signed_in(&app, &writer.email).await;
    theirs.get("/admin/stories").await.assert_status(200);

    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let path = format!("/admin/staff/{}", writer.id);
    browser
        .get(&path)
        .await
        .assert_contains(&format!("href=\"{path}/deactivate\""));
    let confirm = browser.get(&format!("{path}/deactivate")).await;
    confirm
        .assert_status(200)
        .assert_contains("every session they have open")
        .assert_contains(&format!("action=\"{path}/deactivate\""));
    let csrf = confirm.hidden("csrf");
    // Without the CSRF token: refused, still active.
    browser
        .post(&format!("{path}/deactivate"), &[])
        .await
        .assert_status(403);
    theirs.get("/admin/stories").await.assert_status(200);
    browser
        .post(&format!("{path}/deactivate"), &[("csrf", &csrf)])
        .await
        .assert_redirect(&format!("{path}?deactivated"));

    theirs
        .get("/admin/stories")
        .await
        .assert_redirect("/admin/login");
    Browser::new(&app)
        .sign_in(&writer.email, PASSWORD)
        .await
        .assert_status(401);
    browser
        .get("/admin/staff?active=no")
        .await
        .assert_contains(&writer.email)
        .assert_contains("Deactivated");

    let page = browser.get(&format!("{path}?deactivated")).await;
    page.assert_contains("can no longer sign in")
        .assert_contains("Reactivate this account");
    browser
        .post(&format!("{path}/reactivate"), &[("csrf", &csrf)])
        .await
        .assert_redirect(&format!("{path}?reactivated"));
    Browser::signed_in(&app, &writer.email).await;
}

#[actix_web::test]
async fn writers_and_editors_see_no_staff_link_and_a_forged_post_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.outlet(&admin, "dawn").await;
    let other = app.user(Role::Writer, &[dawn]).await;
    for role in [Role::Writer, Role::Editor] {
        let user = app.user(role, &[dawn]).await;
        let mut browser = Browser::signed_in(&app, &user.email).await;
        let stories = browser.get("/admin/stories").await;
        stories
            .assert_status(200)
            .assert_lacks("/admin/staff")
            .assert_lacks("/admin/audit");
        let csrf = stories.hidden("csrf");
        browser
            .get("/admin/staff")
            .await
            .assert_status(403)
            .assert_contains("You may not see or change staff accounts.");
        browser
            .get("/admin/staff?role=root")
            .await
            .assert_status(403);
        browser
            .get(&format!("/admin/staff/{}", other.id))
            .await
            .assert_status(403);
        let users = app.count("users").await;
        let dawn_id = dawn.to_string();
        let forged = [
            ("csrf", csrf.as_str()),
            ("display_name", "Boss"),
            ("email", "boss@dawn.example"),
            ("role", "admin"),
            ("outlet_ids", &dawn_id),
            ("password", NEW_PASSWORD),
        ];
        browser
            .post("/admin/staff", &forged)
            .await
            .assert_status(403);
        browser
            .post("/admin/staff", &[("csrf", &csrf), ("role", "admin")])
            .await
            .assert_status(403);
        assert_eq!(app.count("users").await, users);
        // Their own account: readable, not changeable (no form; a forged save is refused).
        let own = format!("/admin/staff/{}", user.id);
        browser
            .get(&own)
            .await
            .assert_status(200)
            .assert_lacks(&format!("action=\"{own}\""));
        browser.post(&own, &forged).await.assert_status(403);
        browser
            .post(
                &format!("/admin/staff/{}/deactivate", other.id),
                &[("csrf", &csrf)],
            )
            .await
            .assert_status(403);
        let me = app
            .get(&format!("/api/v1/users/{}", user.id), &admin.token)
            .await;
        assert_eq!(me.body["role"], json!(format!("{role:?}").to_lowercase()));
        let them = app
            .get(&format!("/api/v1/users/{}", other.id), &admin.token)
            .await;
        assert_eq!(them.body["active"], json!(true));
    }
}

#[actix_web::test]
async fn hostile_names_are_escaped_on_every_staff_page() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    let created = app
        .post(
            "/api/v1/users",
            &admin.token,
            json!({"email": "h@dawn.example", "display_name": hostile, "role": "writer",
                   "password": NEW_PASSWORD}),
        )
        .await;
    created.assert_status(201);
    let id = created.body["id"].as_str().expect("an id").to_owned();
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    for path in [
        "/admin/staff".to_owned(),
        format!("/admin/staff/{id}"),
        format!("/admin/staff/{id}/deactivate"),
        "/admin/audit".to_owned(),
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

#[actix_web::test]
async fn the_list_pages_fifty_accounts_at_a_time_by_email() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for _ in 0..54 {
        app.account(Role::Writer, &[]).await;
    }
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let rows = |text: &str| text.matches("<td data-label=\"Email\">").count();
    let first = browser.get("/admin/staff?role=writer").await;
    first.assert_status(200);
    assert_eq!(rows(&first.text), 50);
    let next = first
        .text
        .split("<a href=\"")
        .find(|part| part.contains("rel=\"next\""))
        .and_then(|part| part.split('"').next())
        .expect("a next link")
        .replace("&amp;", "&")
        .replace("&#x2f;", "/");
    let rest = browser.get(&next).await;
    rest.assert_status(200).assert_lacks("rel=\"next\"");
    assert_eq!(rows(&rest.text), 4);
}
