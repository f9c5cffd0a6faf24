//! The authorization matrix of articles: principal × state × operation -> status, kept as
//! data (written from PRODUCT.md's rules, not from the code). Mutating cells each get a fresh
//! article, so no cell depends on another. Other outlets' unpublished articles answer 404.

use actix_web::http::Method;
use newsroom::domain::Role;
use serde_json::json;

use crate::helpers::{id_str, TestApp, TestUser};

/// Operation, state, then the status for: admin, editor of A, the writer who owns the
/// article, a writer colleague in A, editor of B, writer of B. For `list`, 200 means listed
/// and 404 absent.
const EXPECTED: &str = "
read       draft       200 200 200 200 404 404
read       in_review   200 200 200 200 404 404
read       approved    200 200 200 200 404 404
read       scheduled   200 200 200 200 404 404
read       published   200 200 200 200 200 200
read       unpublished 200 200 200 200 404 404
read       killed      200 200 200 200 404 404
list       draft       200 200 200 200 404 404
list       in_review   200 200 200 200 404 404
list       approved    200 200 200 200 404 404
list       scheduled   200 200 200 200 404 404
list       published   200 200 200 200 200 200
list       unpublished 200 200 200 200 404 404
list       killed      200 200 200 200 404 404
edit       draft       200 200 200 403 404 404
edit       in_review   200 200 403 403 404 404
edit       approved    200 200 403 403 404 404
edit       scheduled   200 200 403 403 404 404
edit       published   200 200 403 403 403 403
edit       unpublished 200 200 403 403 404 404
edit       killed      403 403 403 403 404 404
delete     draft       204 204 204 403 404 404
delete     in_review   409 409 403 403 404 404
delete     approved    409 409 403 403 404 404
delete     scheduled   409 409 403 403 404 404
delete     published   409 409 403 403 403 403
delete     unpublished 409 409 403 403 404 404
delete     killed      403 403 403 403 404 404
submit     draft       200 200 200 403 404 404
submit     in_review   409 409 409 409 404 404
submit     approved    409 409 409 409 404 404
submit     scheduled   409 409 409 409 404 404
submit     published   409 409 409 409 409 409
submit     unpublished 409 409 409 409 404 404
submit     killed      409 409 409 409 404 404
return     draft       409 409 409 409 404 404
return     in_review   200 200 403 403 404 404
return     approved    200 200 403 403 404 404
return     scheduled   409 409 409 409 404 404
return     published   409 409 409 409 409 409
return     unpublished 409 409 409 409 404 404
return     killed      409 409 409 409 404 404
approve    draft       409 409 409 409 404 404
approve    in_review   200 200 403 403 404 404
approve    approved    409 409 409 409 404 404
approve    scheduled   409 409 409 409 404 404
approve    published   409 409 409 409 409 409
approve    unpublished 409 409 409 409 404 404
approve    killed      409 409 409 409 404 404
publish    draft       200 200 403 403 404 404
publish    in_review   200 200 403 403 404 404
publish    approved    200 200 403 403 404 404
publish    scheduled   409 409 409 409 404 404
publish    published   409 409 409 409 409 409
publish    unpublished 200 200 403 403 404 404
publish    killed      409 409 409 409 404 404
schedule   draft       409 409 409 409 404 404
schedule   in_review   409 409 409 409 404 404
schedule   approved    200 200 403 403 404 404
schedule   scheduled   409 409 409 409 404 404
schedule   published   409 409 409 409 409 409
schedule   unpublished 409 409 409 409 404 404
schedule   killed      409 409 409 409 404 404
unschedule draft       409 409 409 409 404 404
unschedule in_review   409 409 409 409 404 404
unschedule approved    409 409 409 409 404 404
unschedule scheduled   200 200 403 403 404 404
unschedule published   409 409 409 409 409 409
unschedule unpublished 409 409 409 409 404 404
unschedule killed      409 409 409 409 404 404
unpublish  draft       409 409 409 409 404 404
unpublish  in_review   409 409 409 409 404 404
unpublish  approved    409 409 409 409 404 404
unpublish  scheduled   409 409 409 409 404 404
unpublish  published   200 200 403 403 403 403
unpublish  unpublished 409 409 409 409 404 404
unpublish  killed      409 409 409 409 404 404
kill       draft       409 409 409 409 404 404
kill       in_review   409 409 409 409 404 404
kill       approved    409 409 409 409 404 404
kill       scheduled   409 409 409 409 404 404
kill       published   200 403 403 403 403 403
kill       unpublished 200 403 403 403 404 404
kill       killed      409 409 409 409 404 404
";

async fn article_in(
    app: &TestApp,
    owner: &TestUser,
    desk: &crate::helpers::Desk,
    state: &str,
) -> String {
    let id = id_str(&app.draft(owner, desk, &format!("A {state} story")).await);
    sqlx::query(
        "update articles set status = $2::article_status,
             scheduled_at = case when $2 = 'scheduled' then $3 end,
             first_published_at = case when $2 in ('published', 'unpublished', 'killed') then $3 end,
             published_at = case when $2 in ('published', 'unpublished', 'killed') then $3 end
         where id = $1::uuid",
    )
    .bind(&id)
    .bind(state)
    .bind(app.clock.now() + chrono::Duration::hours(1))
    .execute(&app.state.db)
    .await
    .unwrap();
    id
}

#[actix_web::test]
async fn the_article_authorization_matrix_has_no_mismatch() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let a = app.newsroom(&admin, "outlet-a").await;
    let b = app.newsroom(&admin, "outlet-b").await;
    let principals = [
        admin.clone(),
        app.user(Role::Editor, &[a.outlet]).await,
        app.user(Role::Writer, &[a.outlet]).await,
        app.user(Role::Writer, &[a.outlet]).await,
        app.user(Role::Editor, &[b.outlet]).await,
        app.user(Role::Writer, &[b.outlet]).await,
    ];
    let owner = principals[2].clone();
    let at = app.clock.now() + chrono::Duration::hours(2);
    let mut mismatches = Vec::new();
    let mut cells = 0;
    for line in EXPECTED.lines().filter(|l| !l.trim().is_empty()) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let (op, state) = (parts[0], parts[1]);
        let shared = if matches!(op, "read" | "list") {
            Some(article_in(&app, &owner, &a, state).await)
        } else {
            None
        };
        for (who, want) in principals.iter().zip(&parts[2..]) {
            let want: u16 = want.parse().unwrap();
            let id = match &shared {
                Some(id) => id.clone(),
                None => article_in(&app, &owner, &a, state).await,
            };
            let got = match op {
                "read" => app
                    .get(&format!("/api/v1/articles/{id}"), &who.token)
                    .await
                    .status
                    .as_u16(),
                "list" => {
                    let res = app
                        .get(
                            &format!(
                                "/api/v1/articles?outlet_id={}&status={state}&limit=100",
                                a.outlet
                            ),
                            &who.token,
                        )
                        .await;
                    let listed = res.body["items"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|i| i["id"] == json!(id));
                    if listed {
                        200
                    } else {
                        404
                    }
                }
                "edit" => app
                    .edit(&who.token, &id, 1, json!({"headline": "Edited"}))
                    .await
                    .status
                    .as_u16(),
                "delete" => {
                    let path = format!("/api/v1/articles/{id}");
                    app.call_with(
                        Method::DELETE,
                        &path,
                        &who.token,
                        None,
                        &[("if-match", "\"1\"")],
                    )
                    .await
                    .status
                    .as_u16()
                }
                action => app
                    .act(
                        &who.token,
                        &id,
                        1,
                        action,
                        Some(json!({"note": "A note.", "at": at})),
                    )
                    .await
                    .status
                    .as_u16(),
            };
            cells += 1;
            if got != want {
                mismatches.push(format!(
                    "{op} {state} as #{}: expected {want}, got {got}",
                    principals.iter().position(|p| p.id == who.id).unwrap()
                ));
            }
        }
    }
    assert_eq!(cells, 84 * 6);
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
