//! The desk's routes (`/admin`): no principal of the matrix gets past the sign-in page,
//! because the desk takes only its own cookie and never a bearer token or an API key. Each
//! cell follows the redirect and must land on the sign-in page (a 200 that is any other page
//! counts as 404); a sign-in form without its CSRF token is refused outright. The assets are
//! open to all.

use super::{run, Call, Fixture, Principals, Row};
use crate::helpers::TestApp;

pub const TABLE: &str = "
#    path                                          state anon  wrA wrA2  edA  wrB  edB  adm keyA keyB  rvk  exp gone
GET  /admin                                        -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/                                       -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/login                                  -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/login                                  -      403  403  403  403  403  403  403  403  403  403  403  403
POST /admin/logout                                 -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/stories                                -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/stories                                -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/stories/{id}                           -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/stories/{id}                           -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/stories/{id}/picture                   -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/stories/{id}/preview                   -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/stories/{id}/presence                  -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/stories/{id}/actions/{action}          -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/stories/{id}/revisions                 -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/stories/{id}/revisions/compare         -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/stories/{id}/revisions/{number}/restore -     200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/outlets                                -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/outlets                                -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/outlets/{id}                           -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/outlets/{id}                           -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/outlets/{id}/delete                    -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/outlets/{id}/delete                    -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/sections                               -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/sections                               -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/sections/{id}                          -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/sections/{id}                          -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/sections/{id}/delete                   -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/sections/{id}/delete                   -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/authors                                -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/authors                                -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/authors/{id}                           -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/authors/{id}                           -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/authors/{id}/delete                    -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/authors/{id}/delete                    -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/staff                                  -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/staff                                  -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/staff/{id}                             -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/staff/{id}                             -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/staff/{id}/deactivate                  -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/staff/{id}/deactivate                  -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/staff/{id}/reactivate                  -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/audit                                  -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/partners                               -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/partners                               -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/partners/{id}                          -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/partners/{id}                          -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/partners/{id}/keys                     -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/partners/{id}/keys/{key_id}/revoke     -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/partners/{id}/keys/{key_id}/revoke     -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/partners/{id}/webhook-secret           -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/partners/{id}/deliveries               -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/partners/{id}/deliveries/{delivery_id} -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/partners/{id}/deliveries/{delivery_id}/replay -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/partners/{id}/webhooks/pause           -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/partners/{id}/webhooks/resume          -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/partners/{id}/usage                    -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/partners/{id}/usage.csv                -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/subscribers                            -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/subscribers/export.csv                 -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/subscribers/import                     -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/subscribers/import                     -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/subscribers/import/{id}                -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/subscribers/import/{id}                -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/subscribers/{id}                       -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/subscribers/{id}/export.json           -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/subscribers/{id}/erase                 -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/subscribers/{id}/erase                 -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/newsletters                            -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/newsletters                            -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/newsletters/{key}                      -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/newsletters/{key}                      -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/newsletters/{key}/issues/new           -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/newsletters/{key}/issues               -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/newsletters/{key}/issues/{number}      -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/newsletters/{key}/issues/{number}      -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/newsletters/{key}/issues/{number}/preview -   200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/newsletters/{key}/issues/{number}/preview.html - 200 200 200  200  200  200  200  200  200  200  200  200
GET  /admin/newsletters/{key}/issues/{number}/send -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/newsletters/{key}/issues/{number}/send -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/newsletters/{key}/issues/{number}/progress - 200 200  200  200  200  200  200  200  200  200  200  200
POST /admin/views                                  -      200  200  200  200  200  200  200  200  200  200  200  200
POST /admin/views/{id}/delete                      -      200  200  200  200  200  200  200  200  200  200  200  200
GET  /admin/assets/{file}                          -      200  200  200  200  200  200  200  200  200  200  200  200
";

struct DeskRoutes {
    story: String,
}

impl Fixture for DeskRoutes {
    async fn call(&self, _: &TestApp, _: &Principals, row: &Row, _: usize) -> Call {
        if row.path == "/admin/assets/{file}" {
            return Call::get(newsroom::assets::url("desk.css"));
        }
        let path = row
            .path
            .replace("{id}", &self.story)
            .replace("{action}", "publish")
            .replace("{number}", "1")
            .replace("{key}", "eastern-briefings")
            .replace("{key_id}", &self.story)
            .replace("{delivery_id}", &self.story);
        let call = Call::new(row.method.clone(), path);
        let call = call.listing("Sign in to the desk");
        if row.method == actix_web::http::Method::POST {
            let form = "version=1&headline=x&email=a%40b.example&password=x";
            return call.raw("application/x-www-form-urlencoded", form.as_bytes());
        }
        call
    }
}

#[actix_web::test]
async fn no_bearer_token_or_key_opens_the_desk() {
    let app = TestApp::spawn().await;
    let who = Principals::new(&app).await;
    let story = app.draft(&who.admin, &who.a, "A story of outlet A").await;
    let fixture = DeskRoutes {
        story: crate::helpers::id_str(&story),
    };
    run(&app, &who, &fixture, TABLE).await;
}
