//! Pictures: the library follows outlet membership like articles (staff of other outlets get
//! 404, writers change only what they uploaded); a picture's files are public only while a
//! visible story shows it, and otherwise served to its outlet's staff alone.

use actix_web::http::Method;
use serde_json::json;
use uuid::Uuid;

use super::{run, Call, Fixture, Principals, Row};
use crate::helpers::{id_of, id_str, TestApp};
use crate::media::{form, hrefs, pictures, upload, uploaded_by, FORM};

pub const TABLE: &str = "
#      path                  state    anon  wrA wrA2  edA  wrB  edB  adm keyA keyB  rvk  exp gone
GET    /api/v1/media         listed    401  200  200  200  404  404  200  401  401  401  401  401
POST   /api/v1/media         in_a      401  201  201  201  422  422  201  401  401  401  401  401
POST   /api/v1/media         in_b      401  422  422  422  201  201  201  401  401  401  401  401
GET    /api/v1/media/{id}    of_wrA    401  200  200  200  404  404  200  401  401  401  401  401
PATCH  /api/v1/media/{id}    of_wrA    401  200  403  200  404  404  200  401  401  401  401  401
DELETE /api/v1/media/{id}    unused    401  204  403  204  404  404  204  401  401  401  401  401
DELETE /api/v1/media/{id}    used      401  409  403  409  404  404  409  401  401  401  401  401
GET    /media/{hash}/{file}  unused    404  200  200  200  404  404  200  404  404  404  404  404
GET    /media/{hash}/{file}  drafted   404  200  200  200  404  404  200  404  404  404  404  404
GET    /media/{hash}/{file}  shown     200  200  200  200  200  200  200  200  200  200  200  200
";

struct Media {
    /// A picture of outlet A uploaded by its writer, for the rows that only read.
    shared: Uuid,
    /// A rendition of a picture no story uses, of one only a draft uses, and of one a
    /// published story shows.
    unused: String,
    drafted: String,
    shown: String,
}

/// A fresh picture of outlet A, uploaded by the writer `wrA`.
async fn fresh(app: &TestApp, who: &Principals) -> Uuid {
    uploaded_by(app, who.owner(), who.a.outlet, &pictures::unique_jpeg()).await
}

impl Fixture for Media {
    async fn call(&self, app: &TestApp, who: &Principals, row: &Row, _: usize) -> Call {
        match (row.method.as_str(), row.state) {
            ("GET", "listed") => Call::get(row.path).listing(self.shared.to_string()),
            ("POST", state) => {
                let outlet = if state == "in_a" {
                    who.a.outlet
                } else {
                    who.b.outlet
                };
                let outlet = outlet.to_string();
                let bytes = pictures::unique_jpeg();
                let (_, body) = form(&bytes, "p.jpg", "image/jpeg", &[("outlet_id", &outlet)]);
                Call::new(Method::POST, row.path).raw(FORM, &body)
            }
            ("GET", "of_wrA") => Call::get(format!("/api/v1/media/{}", self.shared)),
            ("PATCH", _) => {
                let id = fresh(app, who).await;
                Call::new(Method::PATCH, format!("/api/v1/media/{id}"))
                    .json(serde_json::json!({"caption": "Changed"}))
                    .if_match(1)
            }
            ("DELETE", state) => {
                let id = fresh(app, who).await;
                if state == "used" {
                    let headline = format!("A story with a picture {}", Uuid::now_v7().simple());
                    let story = id_str(&app.draft(who.owner(), &who.a, &headline).await);
                    sqlx::query(
                        "insert into media_uses (media_id, article_id, role) values ($1, $2::uuid, 'featured')",
                    )
                    .bind(id)
                    .bind(&story)
                    .execute(&app.state.db)
                    .await
                    .expect("use the picture");
                }
                Call::new(Method::DELETE, format!("/api/v1/media/{id}"))
            }
            ("GET", "unused") => Call::get(self.unused.clone()),
            ("GET", "drafted") => Call::get(self.drafted.clone()),
            ("GET", "shown") => Call::get(self.shown.clone()),
            _ => panic!("no request for row {row:?}"),
        }
    }
}

/// A picture of outlet A with a master of its own and alt text: (id, a rendition URL).
async fn distinct(app: &TestApp, who: &Principals) -> (Uuid, String) {
    let outlet = who.a.outlet.to_string();
    let texts = [("outlet_id", outlet.as_str()), ("alt_text", "A quay")];
    let (ct, body) = form(&pictures::distinct_jpeg(), "p.jpg", "image/jpeg", &texts);
    let res = upload(app, &who.owner().token, &ct, body).await;
    res.assert_status(201);
    let url = hrefs(&res.body).into_iter().next().expect("a rendition");
    (id_of(&res), url)
}

#[actix_web::test]
async fn pictures_follow_the_matrix() {
    let app = TestApp::spawn().await;
    let who = Principals::new(&app).await;
    let shared = fresh(&app, &who).await;
    let (_, unused) = distinct(&app, &who).await;
    let (drafted_id, drafted) = distinct(&app, &who).await;
    let (shown_id, shown) = distinct(&app, &who).await;
    let draft = json!({
        "outlet_id": who.a.outlet, "headline": "A drafted picture", "body": "Text.",
        "featured_media_id": drafted_id,
    });
    app.post("/api/v1/articles", &who.owner().token, draft)
        .await
        .assert_status(201);
    let featured = json!({"featured_media_id": shown_id});
    app.published(&who.admin, &who.a, "A shown picture", featured)
        .await;
    let fixture = Media {
        shared,
        unused,
        drafted,
        shown,
    };
    run(&app, &who, &fixture, TABLE).await;
}
