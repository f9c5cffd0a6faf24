//! Saved views of the story list: saving the current filters under a name, picking one,
//! replacing one by saving under its name again, deleting one; the name rules and the limit;
//! and that nobody sees or deletes another user's views.

use newsroom::domain::Role;
use uuid::Uuid;

use super::{href, Browser};
use crate::helpers::TestApp;

/// (name, query) of every saved view of `user`, by name.
async fn views_of(app: &TestApp, user: Uuid) -> Vec<(String, String)> {
    sqlx::query_as("select name, query from saved_views where user_id = $1 order by name")
        .bind(user)
        .fetch_all(&app.state.db)
        .await
        .expect("saved views")
}

#[actix_web::test]
async fn a_writer_saves_picks_replaces_and_deletes_a_view() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let (writer_id, email) = app.account(Role::Writer, &[dawn.outlet]).await;
    let mut writer = Browser::signed_in(&app, &email).await;
    let list = writer.get("/admin/stories?status=draft").await;
    list.assert_contains("Save this view")
        .assert_contains("name=\"query\" value=\"status=draft\"");
    let csrf = list.hidden("csrf");

    // The query is stored without the cursor or unknown keys, in the list's key order.
    let outlet = dawn.outlet.to_string();
    let sent = format!("cursor=abc&outlet={outlet}&junk=1&status=draft&from=2026-03-01");
    let saved = writer
        .post(
            "/admin/views",
            &[("csrf", &csrf), ("name", " Dawn drafts "), ("query", &sent)],
        )
        .await;
    let query = format!("status=draft&outlet={outlet}&from=2026-03-01");
    saved.assert_redirect(&format!("/admin/stories?{query}"));
    assert_eq!(
        views_of(&app, writer_id).await,
        [("Dawn drafts".to_owned(), query.clone())]
    );

    // Picked from the menu, it is a link to the list under its filters, marked current there.
    let menu = writer.get("/admin/stories").await;
    let link = format!("/admin/stories?{query}");
    menu.assert_contains(&href(&link))
        .assert_contains(">Dawn drafts</a>");
    writer
        .get(&link)
        .await
        .assert_status(200)
        .assert_contains(&format!(
            "{} aria-current=\"page\">Dawn drafts",
            href(&link)
        ))
        .assert_contains("value=\"2026-03-01\"");

    // Saving under the same name replaces its filters.
    writer
        .post(
            "/admin/views",
            &[
                ("csrf", &csrf),
                ("name", "Dawn drafts"),
                ("query", "q=rain"),
            ],
        )
        .await
        .assert_redirect("/admin/stories?q=rain");
    assert_eq!(
        views_of(&app, writer_id).await,
        [("Dawn drafts".to_owned(), "q=rain".to_owned())]
    );

    let id: Uuid = sqlx::query_scalar("select id from saved_views where user_id = $1")
        .bind(writer_id)
        .fetch_one(&app.state.db)
        .await
        .expect("the view");
    let delete = format!("/admin/views/{id}/delete");
    // Without the CSRF token nothing is deleted.
    writer.post(&delete, &[]).await.assert_status(403);
    assert_eq!(views_of(&app, writer_id).await.len(), 1);
    writer
        .post(&delete, &[("csrf", &csrf)])
        .await
        .assert_redirect("/admin/stories");
    assert!(views_of(&app, writer_id).await.is_empty());
    writer
        .get("/admin/stories")
        .await
        .assert_lacks("Dawn drafts");
}

#[actix_web::test]
async fn a_bad_name_is_refused_next_to_the_field_and_fifty_views_are_the_most() {
    let app = TestApp::spawn().await;
    let (editor_id, email) = app.account(Role::Editor, &[]).await;
    let mut editor = Browser::signed_in(&app, &email).await;
    let csrf = editor.get("/admin/stories").await.hidden("csrf");

    let blank = editor
        .post(
            "/admin/views",
            &[("csrf", &csrf), ("name", "  "), ("query", "status=draft")],
        )
        .await;
    blank
        .assert_status(422)
        .assert_contains("id=\"name-error\"")
        .assert_contains("give the view a name")
        .assert_contains("aria-describedby=\"name-error\"")
        // The list stays under the filters the form was sent from.
        .assert_contains("name=\"query\" value=\"status=draft\"");
    let long = "n".repeat(81);
    editor
        .post(
            "/admin/views",
            &[("csrf", &csrf), ("name", &long), ("query", "")],
        )
        .await
        .assert_status(422)
        .assert_contains("must be at most 80 characters")
        .assert_contains(&format!("value=\"{long}\""));
    assert_eq!(app.count("saved_views").await, 0);

    for n in 0..50 {
        let name = format!("View {n:02}");
        editor
            .post(
                "/admin/views",
                &[("csrf", &csrf), ("name", &name), ("query", "status=draft")],
            )
            .await
            .assert_status(303);
    }
    editor
        .post(
            "/admin/views",
            &[("csrf", &csrf), ("name", "One more"), ("query", "")],
        )
        .await
        .assert_status(422)
        .assert_contains("id=\"name-error\"")
        .assert_contains("you have 50 saved views already; delete one first")
        .assert_contains("value=\"One more\"");
    // Replacing one of the fifty is not a new view.
    editor
        .post(
            "/admin/views",
            &[("csrf", &csrf), ("name", "View 07"), ("query", "q=tea")],
        )
        .await
        .assert_redirect("/admin/stories?q=tea");
    let views = views_of(&app, editor_id).await;
    assert_eq!(views.len(), 50);
    assert!(views.contains(&("View 07".to_owned(), "q=tea".to_owned())));
}

#[actix_web::test]
async fn nobody_sees_or_deletes_another_users_views() {
    let app = TestApp::spawn().await;
    let (ann_id, ann_email) = app.account(Role::Editor, &[]).await;
    let (_, bob_email) = app.account(Role::Admin, &[]).await;
    let mut ann = Browser::signed_in(&app, &ann_email).await;
    let csrf = ann.get("/admin/stories").await.hidden("csrf");
    ann.post(
        "/admin/views",
        &[
            ("csrf", &csrf),
            ("name", "Ann's beat"),
            ("query", "tag=rain"),
        ],
    )
    .await
    .assert_status(303);
    let id: Uuid = sqlx::query_scalar("select id from saved_views where user_id = $1")
        .bind(ann_id)
        .fetch_one(&app.state.db)
        .await
        .expect("the view");

    // Even an admin neither sees Ann's view nor deletes it with a forged form: 404.
    let mut bob = Browser::signed_in(&app, &bob_email).await;
    let page = bob.get("/admin/stories").await;
    page.assert_lacks("Ann&#x27;s beat")
        .assert_lacks("Ann's beat");
    let bob_csrf = page.hidden("csrf");
    bob.post(&format!("/admin/views/{id}/delete"), &[("csrf", &bob_csrf)])
        .await
        .assert_status(404);
    bob.post("/admin/views/not-an-id/delete", &[("csrf", &bob_csrf)])
        .await
        .assert_status(404);
    // Saving under the same name makes Bob's own view; Ann's is unchanged.
    bob.post(
        "/admin/views",
        &[
            ("csrf", &bob_csrf),
            ("name", "Ann's beat"),
            ("query", "q=x"),
        ],
    )
    .await
    .assert_status(303);
    assert_eq!(
        views_of(&app, ann_id).await,
        [("Ann's beat".to_owned(), "tag=rain".to_owned())]
    );
    assert_eq!(app.count("saved_views").await, 2);
}
