//! "Also open by …": two people with the same story open see each other; nobody else does.

use chrono::Duration;
use newsroom::domain::Role;

use super::Browser;
use crate::helpers::{id_str, TestApp};

#[actix_web::test]
async fn two_editors_on_one_story_see_each_other_and_then_forget() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let star = app.newsroom(&admin, "star").await;
    let first = app.user(Role::Editor, &[dawn.outlet]).await;
    let second = app.user(Role::Editor, &[dawn.outlet]).await;
    let outsider = app.user(Role::Editor, &[star.outlet]).await;
    let story = app.draft(&first, &dawn, "Floods").await;
    let path = format!("/admin/stories/{}", id_str(&story));
    let name =
        |user: &crate::helpers::TestUser| format!("Editor {}", &user.id.simple().to_string()[24..]);

    let mut one = Browser::signed_in(&app, &first.email).await;
    let mut two = Browser::signed_in(&app, &second.email).await;
    one.get(&path).await.assert_lacks("Also open by");
    let page = two.get(&path).await;
    page.assert_contains(&format!("Also open by {}", name(&first)));
    let csrf = page.hidden("csrf");

    // The heartbeat needs the CSRF header, like every POST.
    two.post(&format!("{path}/presence"), &[])
        .await
        .assert_status(403);
    let csrf_one = one.get("/admin/stories").await.hidden("csrf");
    one.post_with(
        &format!("{path}/presence"),
        &[],
        &[("x-csrf-token", &csrf_one)],
    )
    .await
    .assert_status(200)
    .assert_contains(&name(&second));

    // Another outlet's editor may not see the draft, nor who has it open.
    let mut three = Browser::signed_in(&app, &outsider.email).await;
    let csrf_three = three.get("/admin/stories").await.hidden("csrf");
    three
        .post_with(
            &format!("{path}/presence"),
            &[],
            &[("x-csrf-token", &csrf_three)],
        )
        .await
        .assert_status(404);

    // A page closed for longer than the heartbeat's span no longer counts.
    app.clock.advance(Duration::minutes(2));
    two.post_with(&format!("{path}/presence"), &[], &[("x-csrf-token", &csrf)])
        .await
        .assert_status(200)
        .assert_lacks("Also open by");
}
