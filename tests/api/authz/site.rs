//! The reader site's routes: the same for every principal, because the site takes no
//! credential at all — a staff token or a partner key opens no draft. Each list row checks
//! that the published target is listed and the draft is not (200 listed, 404 absent); the
//! story page answers 200 for the published story and 404 for the draft to everyone.

use serde_json::json;

use super::{run, Call, Fixture, Principals, Row};
use crate::helpers::TestApp;

pub const TABLE: &str = "
#    path                         state      anon  wrA wrA2  edA  wrB  edB  adm keyA keyB  rvk  exp gone
GET  /                            published   200  200  200  200  200  200  200  200  200  200  200  200
GET  /                            draft       404  404  404  404  404  404  404  404  404  404  404  404
GET  /search                      published   200  200  200  200  200  200  200  200  200  200  200  200
GET  /search                      draft       404  404  404  404  404  404  404  404  404  404  404  404
GET  /section/{section}           published   200  200  200  200  200  200  200  200  200  200  200  200
GET  /section/{section}           draft       404  404  404  404  404  404  404  404  404  404  404  404
GET  /author/{slug}               published   200  200  200  200  200  200  200  200  200  200  200  200
GET  /author/{slug}               draft       404  404  404  404  404  404  404  404  404  404  404  404
GET  /{outlet}                    published   200  200  200  200  200  200  200  200  200  200  200  200
GET  /{outlet}                    draft       404  404  404  404  404  404  404  404  404  404  404  404
GET  /{outlet}/{slug}             published   200  200  200  200  200  200  200  200  200  200  200  200
GET  /{outlet}/{slug}             draft       404  404  404  404  404  404  404  404  404  404  404  404
GET  /look/{outlet}.css           -           200  200  200  200  200  200  200  200  200  200  200  200
GET  /newsletter/{slug}           -           200  200  200  200  200  200  200  200  200  200  200  200
POST /newsletter/{slug}           -           200  200  200  200  200  200  200  200  200  200  200  200
";

struct SiteRoutes;

impl Fixture for SiteRoutes {
    async fn call(&self, _: &TestApp, _: &Principals, row: &Row, column: usize) -> Call {
        let (headline, slug) = match row.state {
            "draft" => ("Site draft story", "site-draft-story"),
            _ => ("Site published story", "site-published-story"),
        };
        let path = row
            .path
            .replace("{section}", "outlet-a-news")
            .replace("{outlet}", "outlet-a")
            .replace(
                "{slug}",
                if row.path.starts_with("/author") {
                    "outlet-a-desk"
                } else if row.path.starts_with("/newsletter") {
                    "site-letter"
                } else {
                    slug
                },
            );
        let path = if row.path == "/search" {
            "/search?q=site".to_owned()
        } else {
            path
        };
        let call = Call::new(row.method.clone(), path);
        if row.method == actix_web::http::Method::POST {
            let form =
                format!("email=reader{column}%40example.com&consent=yes&policy_version=2026-11");
            return call.raw("application/x-www-form-urlencoded", form.as_bytes());
        }
        if row.path == "/{outlet}/{slug}"
            || row.path.starts_with("/newsletter")
            || row.path.starts_with("/look")
        {
            return call;
        }
        call.listing(headline)
    }
}

#[actix_web::test]
async fn the_site_shows_the_same_public_stories_to_every_principal() {
    let app = TestApp::spawn().await;
    let who = Principals::new(&app).await;
    app.published(&who.admin, &who.a, "Site published story", json!({}))
        .await;
    app.draft(&who.admin, &who.a, "Site draft story").await;
    app.post(
        "/api/v1/newsletters",
        &who.admin.token,
        json!({"slug": "site-letter", "name": "Site letter"}),
    )
    .await
    .assert_status(201);
    run(&app, &who, &SiteRoutes, TABLE).await;
}
