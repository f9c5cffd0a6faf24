//! The audit log in the desk per role: newest first, 50 rows a page on the log's cursor, its
//! filters as a GET form, changes as a field / before / after table, bad filters told next to
//! their fields; writers and editors refused.

use chrono::TimeZone;
use newsroom::audit::{self, Actor, Entry};
use newsroom::domain::Role;
use serde_json::json;
use uuid::Uuid;

use super::Browser;
use crate::helpers::TestApp;

/// Rows of the log's table on a page.
fn rows(text: &str) -> usize {
    text.matches("<td data-label=\"Action\">").count()
}

#[actix_web::test]
async fn an_admin_reads_the_log_newest_first_with_each_change_as_before_and_after() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let writer = app.user(Role::Writer, &[]).await;
    app.patch(
        &format!("/api/v1/users/{}", writer.id),
        &admin.token,
        json!({"display_name": "Sana Before"}),
    )
    .await
    .assert_status(200);
    app.clock.advance(chrono::Duration::minutes(1));
    app.patch(
        &format!("/api/v1/users/{}", writer.id),
        &admin.token,
        json!({"display_name": "Sana After", "role": "editor"}),
    )
    .await
    .assert_status(200);

    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let page = browser.get("/admin/audit").await;
    page.assert_status(200)
        .assert_contains("<td>display name</td><td>Sana Before</td><td>Sana After</td>")
        .assert_contains("<td>role</td><td>writer</td><td>editor</td>")
        .assert_contains(&format!("?actor={}", admin.id))
        .assert_contains(&format!("entity_type=user&amp;entity_id={}", writer.id));
    let newer = page
        .text
        .find("<td>Sana Before</td><td>Sana After</td>")
        .expect("the newer entry");
    let older = page
        .text
        .find("<td>Sana Before</td></tr>")
        .expect("the older entry");
    assert!(newer < older, "newest first");
}

#[actix_web::test]
async fn the_filters_narrow_the_log_and_it_pages_by_fifty() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let actor = Actor {
        id: Some(admin.id),
        label: admin.email.clone(),
        request_id: None,
    };
    let target = Uuid::now_v7();
    let day = |d: u32| {
        chrono::Utc
            .with_ymd_and_hms(2026, 11, d, 12, 0, 0)
            .single()
            .expect("a time")
    };
    for n in 0..60 {
        let entry = Entry {
            actor: &actor,
            action: if n % 2 == 0 {
                "outlet.update"
            } else {
                "section.update"
            },
            entity_type: if n % 2 == 0 { "outlet" } else { "section" },
            entity_id: Some(if n == 7 { target } else { Uuid::now_v7() }),
            changes: json!({"name": {"from": format!("n{n}"), "to": format!("m{n}")}}),
        };
        audit::record(&app.state.db, entry, day(1 + n % 20))
            .await
            .expect("an entry");
    }
    let cli = Entry {
        actor: &Actor::cli(),
        action: "user.create",
        entity_type: "user",
        entity_id: None,
        changes: json!({}),
    };
    audit::record(&app.state.db, cli, day(25))
        .await
        .expect("an entry");

    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let first = browser.get("/admin/audit?entity_type=outlet").await;
    first.assert_status(200);
    assert_eq!(rows(&first.text), 30);
    first
        .assert_lacks("section.update")
        .assert_lacks("Older entries");

    // Sixty-one entries (and the sign-in): 50, then the rest on the cursor's page.
    let all = browser.get("/admin/audit").await;
    assert_eq!(rows(&all.text), 50);
    let marker = "<a href=\"";
    let next = all
        .text
        .split(marker)
        .find(|part| part.contains("rel=\"next\""))
        .and_then(|part| part.split('"').next())
        .expect("a next link")
        .replace("&amp;", "&")
        .replace("&#x2f;", "/");
    let rest = browser.get(&next).await;
    rest.assert_status(200);
    assert!(rows(&rest.text) >= 11, "{}", rest.text);
    assert!(rest.text.contains("n0") || all.text.contains("n0"));

    let one = browser
        .get(&format!("/admin/audit?entity_id={target}"))
        .await;
    assert_eq!(rows(&one.text), 1);
    one.assert_contains("m7");
    let action = browser.get("/admin/audit?action=user.create").await;
    action.assert_contains(">cli<");
    assert_eq!(rows(&action.text), 1);
    let mine = browser
        .get(&format!("/admin/audit?actor={}", admin.id))
        .await;
    mine.assert_lacks(">cli<");
    // 2026-11-03 to 2026-11-04, both days whole: n = 2, 3, 22, 23, 42, 43.
    let days = browser
        .get("/admin/audit?from=2026-11-03&to=2026-11-04")
        .await;
    assert_eq!(rows(&days.text), 6, "{}", days.text);
}

#[actix_web::test]
async fn bad_filters_are_told_next_to_their_fields_with_the_text_kept() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let page = browser
        .get("/admin/audit?entity_id=nope%3Cb%3E&from=2026-02-30&action=user.update")
        .await;
    page.assert_status(422)
        .assert_contains("id=\"entity_id-error\"")
        .assert_contains("is not an id")
        .assert_contains("id=\"from-error\"")
        .assert_contains("is not a date like 2026-12-31")
        .assert_contains("value=\"nope&lt;b&gt;\"")
        .assert_contains("value=\"user.update\"")
        .assert_contains("aria-invalid=\"true\"");
    assert_eq!(rows(&page.text), 0);
}

#[actix_web::test]
async fn writers_and_editors_may_not_read_the_log() {
    let app = TestApp::spawn().await;
    for role in [Role::Writer, Role::Editor] {
        let user = app.user(role, &[]).await;
        let mut browser = Browser::signed_in(&app, &user.email).await;
        browser
            .get("/admin/audit")
            .await
            .assert_status(403)
            .assert_contains("You may not read the audit log.")
            .assert_lacks("<td data-label=\"Action\">");
        browser
            .get("/admin/audit?entity_id=nope")
            .await
            .assert_status(403);
    }
}
