//! Changes to articles: create, edit, delete, every workflow action and restore, in every
//! state of the article, as each principal. Each cell gets a fresh article of outlet A,
//! written by the writer `wrA` and put in its state directly in the database, at version 1.
//! Other outlets' articles answer 404 unless they are published (then 403 or 409).

use actix_web::http::Method;
use serde_json::json;

use super::{run, Call, Fixture, Principals, Row, COLUMNS};
use crate::helpers::{id_str, Desk, TestApp};

pub const TABLE: &str = "
#      path                                             state                  anon  wrA wrA2  edA  wrB  edB  adm keyA keyB  rvk  exp gone
# create: in the outlet named (in_a, in_b), or in the caller's own outlet translating a draft of A
POST   /api/v1/articles                                 in_a                    401  201  201  201  422  422  201  401  401  401  401  401
POST   /api/v1/articles                                 in_b                    401  422  422  422  201  201  201  401  401  401  401  401
POST   /api/v1/articles                                 translating_a_draft     401  201  201  201  422  422  201  401  401  401  401  401

PATCH  /api/v1/articles/{id}                            draft                   401  200  403  200  404  404  200  401  401  401  401  401
PATCH  /api/v1/articles/{id}                            in_review               401  403  403  200  404  404  200  401  401  401  401  401
PATCH  /api/v1/articles/{id}                            approved                401  403  403  200  404  404  200  401  401  401  401  401
PATCH  /api/v1/articles/{id}                            scheduled               401  403  403  200  404  404  200  401  401  401  401  401
PATCH  /api/v1/articles/{id}                            published               401  403  403  200  403  403  200  401  401  401  401  401
PATCH  /api/v1/articles/{id}                            embargoed               401  403  403  200  403  403  200  401  401  401  401  401
PATCH  /api/v1/articles/{id}                            unpublished             401  403  403  200  404  404  200  401  401  401  401  401
PATCH  /api/v1/articles/{id}                            killed                  401  403  403  403  404  404  403  401  401  401  401  401
# an A draft of wrA, edited to translate a draft of B
PATCH  /api/v1/articles/{id}                            translating_b_draft     401  422  403  422  404  404  200  401  401  401  401  401

DELETE /api/v1/articles/{id}                            draft                   401  204  403  204  404  404  204  401  401  401  401  401
DELETE /api/v1/articles/{id}                            in_review               401  403  403  409  404  404  409  401  401  401  401  401
DELETE /api/v1/articles/{id}                            approved                401  403  403  409  404  404  409  401  401  401  401  401
DELETE /api/v1/articles/{id}                            scheduled               401  403  403  409  404  404  409  401  401  401  401  401
DELETE /api/v1/articles/{id}                            published               401  403  403  409  403  403  409  401  401  401  401  401
DELETE /api/v1/articles/{id}                            embargoed               401  403  403  409  403  403  409  401  401  401  401  401
DELETE /api/v1/articles/{id}                            unpublished             401  403  403  409  404  404  409  401  401  401  401  401
DELETE /api/v1/articles/{id}                            killed                  401  403  403  403  404  404  403  401  401  401  401  401

POST   /api/v1/articles/{id}/actions/{action}           submit:draft            401  200  403  200  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           submit:in_review        401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           submit:approved         401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           submit:scheduled        401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           submit:published        401  409  409  409  409  409  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           submit:embargoed        401  409  409  409  409  409  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           submit:unpublished      401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           submit:killed           401  409  409  409  404  404  409  401  401  401  401  401

POST   /api/v1/articles/{id}/actions/{action}           return:draft            401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           return:in_review        401  403  403  200  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           return:approved         401  403  403  200  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           return:scheduled        401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           return:published        401  409  409  409  409  409  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           return:embargoed        401  409  409  409  409  409  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           return:unpublished      401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           return:killed           401  409  409  409  404  404  409  401  401  401  401  401

POST   /api/v1/articles/{id}/actions/{action}           approve:draft           401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           approve:in_review       401  403  403  200  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           approve:approved        401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           approve:scheduled       401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           approve:published       401  409  409  409  409  409  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           approve:embargoed       401  409  409  409  409  409  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           approve:unpublished     401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           approve:killed          401  409  409  409  404  404  409  401  401  401  401  401

POST   /api/v1/articles/{id}/actions/{action}           publish:draft           401  403  403  200  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           publish:in_review       401  403  403  200  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           publish:approved        401  403  403  200  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           publish:scheduled       401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           publish:published       401  409  409  409  409  409  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           publish:embargoed       401  409  409  409  409  409  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           publish:unpublished     401  403  403  200  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           publish:killed          401  409  409  409  404  404  409  401  401  401  401  401

POST   /api/v1/articles/{id}/actions/{action}           schedule:draft          401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           schedule:in_review      401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           schedule:approved       401  403  403  200  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           schedule:scheduled      401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           schedule:published      401  409  409  409  409  409  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           schedule:embargoed      401  409  409  409  409  409  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           schedule:unpublished    401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           schedule:killed         401  409  409  409  404  404  409  401  401  401  401  401

POST   /api/v1/articles/{id}/actions/{action}           unschedule:draft        401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           unschedule:in_review    401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           unschedule:approved     401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           unschedule:scheduled    401  403  403  200  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           unschedule:published    401  409  409  409  409  409  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           unschedule:embargoed    401  409  409  409  409  409  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           unschedule:unpublished  401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           unschedule:killed       401  409  409  409  404  404  409  401  401  401  401  401

POST   /api/v1/articles/{id}/actions/{action}           unpublish:draft         401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           unpublish:in_review     401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           unpublish:approved      401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           unpublish:scheduled     401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           unpublish:published     401  403  403  200  403  403  200  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           unpublish:embargoed     401  403  403  200  403  403  200  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           unpublish:unpublished   401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           unpublish:killed        401  409  409  409  404  404  409  401  401  401  401  401

POST   /api/v1/articles/{id}/actions/{action}           kill:draft              401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           kill:in_review          401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           kill:approved           401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           kill:scheduled          401  409  409  409  404  404  409  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           kill:published          401  403  403  403  403  403  200  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           kill:embargoed          401  403  403  403  403  403  200  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           kill:unpublished        401  403  403  403  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/actions/{action}           kill:killed             401  409  409  409  404  404  409  401  401  401  401  401

POST   /api/v1/articles/{id}/revisions/{number}/restore draft                   401  200  403  200  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/revisions/{number}/restore in_review               401  403  403  200  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/revisions/{number}/restore approved                401  403  403  200  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/revisions/{number}/restore scheduled               401  403  403  200  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/revisions/{number}/restore published               401  403  403  200  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/revisions/{number}/restore embargoed               401  403  403  200  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/revisions/{number}/restore unpublished             401  403  403  200  404  404  200  401  401  401  401  401
POST   /api/v1/articles/{id}/revisions/{number}/restore killed                  401  403  403  403  404  404  403  401  401  401  401  401
";

struct Changes;

/// A fresh article of outlet A by its owner, in `state` (`embargoed`: published, with an
/// embargo a day ahead).
async fn article_in(app: &TestApp, who: &Principals, state: &str) -> String {
    let headline = format!("A {state} story {}", uuid::Uuid::now_v7().simple());
    let id = id_str(&app.draft(who.owner(), &who.a, &headline).await);
    sqlx::query(
        "update articles set status = (case when $2 = 'embargoed' then 'published' else $2 end)::article_status,
             scheduled_at = case when $2 = 'scheduled' then $3 end,
             embargo_until = case when $2 = 'embargoed' then $3 + interval '1 day' end,
             first_published_at = case when $2 in ('published', 'embargoed', 'unpublished', 'killed') then $3 end,
             published_at = case when $2 in ('published', 'embargoed', 'unpublished', 'killed') then $3 end
         where id = $1::uuid",
    )
    .bind(&id)
    .bind(state)
    .bind(app.clock.now() + chrono::Duration::hours(1))
    .execute(&app.state.db)
    .await
    .expect("set the state");
    id
}

/// A fresh draft of `desk`'s outlet, written by the admin: to be named in `translation_of`.
async fn draft_of(app: &TestApp, who: &Principals, desk: &Desk) -> String {
    let headline = format!("Original {}", uuid::Uuid::now_v7().simple());
    id_str(&app.draft(&who.admin, desk, &headline).await)
}

impl Fixture for Changes {
    async fn call(&self, app: &TestApp, who: &Principals, row: &Row, column: usize) -> Call {
        let at = app.clock.now() + chrono::Duration::hours(2);
        if row.path == "/api/v1/articles" {
            let of_b = matches!(COLUMNS[column], "wrB" | "edB");
            let desk = match row.state {
                "in_a" => &who.a,
                "in_b" => &who.b,
                _ if of_b => &who.b,
                _ => &who.a,
            };
            let translated = match row.state {
                "translating_a_draft" => Some(draft_of(app, who, &who.a).await),
                _ => None,
            };
            let headline = format!("New {}", uuid::Uuid::now_v7().simple());
            return Call::new(Method::POST, row.path).json(json!({
                "outlet_id": desk.outlet, "headline": headline, "body": "Text.",
                "section_id": desk.section, "author_ids": [desk.author],
                "translation_of": translated,
            }));
        }
        let (action, state) = row.state.split_once(':').unwrap_or(("", row.state));
        let state = if state == "translating_b_draft" {
            "draft"
        } else {
            state
        };
        let id = article_in(app, who, state).await;
        let call = match row.path {
            "/api/v1/articles/{id}" => {
                let call = Call::new(row.method.clone(), format!("/api/v1/articles/{id}"));
                if row.state == "translating_b_draft" {
                    call.json(json!({"translation_of": draft_of(app, who, &who.b).await}))
                } else if row.method == Method::PATCH {
                    call.json(json!({"headline": "Edited"}))
                } else {
                    call
                }
            }
            "/api/v1/articles/{id}/actions/{action}" => Call::new(
                Method::POST,
                format!("/api/v1/articles/{id}/actions/{action}"),
            )
            .json(json!({"note": "A note.", "at": at})),
            "/api/v1/articles/{id}/revisions/{number}/restore" => Call::new(
                Method::POST,
                format!("/api/v1/articles/{id}/revisions/1/restore"),
            ),
            _ => panic!("no request for row {row:?}"),
        };
        call.if_match(1)
    }
}

#[actix_web::test]
async fn article_changes_follow_the_matrix() {
    let app = TestApp::spawn().await;
    let who = Principals::new(&app).await;
    run(&app, &who, &Changes, TABLE).await;
}
