//! Reading articles in every state through every API that shows them: staff reads, lists and
//! revisions, the syndication story, change feed and outlet feeds, and the public site's
//! lists, pages, author pages, section feeds and sitemap. One article per state, written by
//! `wrA` in outlet A and brought to its state through the workflow (so the outbox has its
//! events), serves every read. List rows answer 200 when the article is listed, 404 when not.
//! Staff see their outlets' articles and every outlet's published ones (even under embargo);
//! partners and the public see publicly visible stories of what they may pull.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::{run, Call, Fixture, Principals, Row, ADMIN, KEY_A};
use crate::helpers::{id_str, version_of, TestApp};

pub const TABLE: &str = "
#   path                                          state         anon  wrA wrA2  edA  wrB  edB  adm keyA keyB  rvk  exp gone
GET /api/v1/articles/{id}                         draft          401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}                         in_review      401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}                         approved       401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}                         scheduled      401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}                         published      401  200  200  200  200  200  200  401  401  401  401  401
GET /api/v1/articles/{id}                         embargoed      401  200  200  200  200  200  200  401  401  401  401  401
GET /api/v1/articles/{id}                         unpublished    401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}                         killed         401  200  200  200  404  404  200  401  401  401  401  401

GET /api/v1/articles                              draft          401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles                              in_review      401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles                              approved       401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles                              scheduled      401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles                              published      401  200  200  200  200  200  200  401  401  401  401  401
GET /api/v1/articles                              embargoed      401  200  200  200  200  200  200  401  401  401  401  401
GET /api/v1/articles                              unpublished    401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles                              killed         401  200  200  200  404  404  200  401  401  401  401  401

GET /api/v1/articles                              q:draft        401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles                              q:in_review    401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles                              q:approved     401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles                              q:scheduled    401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles                              q:published    401  200  200  200  200  200  200  401  401  401  401  401
GET /api/v1/articles                              q:embargoed    401  200  200  200  200  200  200  401  401  401  401  401
GET /api/v1/articles                              q:unpublished  401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles                              q:killed       401  200  200  200  404  404  200  401  401  401  401  401

GET /api/v1/articles/{id}/revisions               draft          401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions               in_review      401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions               approved       401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions               scheduled      401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions               published      401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions               embargoed      401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions               unpublished    401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions               killed         401  200  200  200  404  404  200  401  401  401  401  401

GET /api/v1/articles/{id}/revisions/{number}      draft          401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions/{number}      in_review      401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions/{number}      approved       401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions/{number}      scheduled      401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions/{number}      published      401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions/{number}      embargoed      401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions/{number}      unpublished    401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions/{number}      killed         401  200  200  200  404  404  200  401  401  401  401  401

GET /api/v1/articles/{id}/revisions/{number}/diff draft          401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions/{number}/diff in_review      401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions/{number}/diff approved       401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions/{number}/diff scheduled      401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions/{number}/diff published      401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions/{number}/diff embargoed      401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions/{number}/diff unpublished    401  200  200  200  404  404  200  401  401  401  401  401
GET /api/v1/articles/{id}/revisions/{number}/diff killed         401  200  200  200  404  404  200  401  401  401  401  401

GET /syndication/v1/articles/{id}                 draft          401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/articles/{id}                 in_review      401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/articles/{id}                 approved       401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/articles/{id}                 scheduled      401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/articles/{id}                 published      401  401  401  401  401  401  401  200  404  401  401  401
GET /syndication/v1/articles/{id}                 embargoed      401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/articles/{id}                 unpublished    401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/articles/{id}                 killed         401  401  401  401  401  401  401  404  404  401  401  401

GET /syndication/v1/articles                      draft          401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/articles                      in_review      401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/articles                      approved       401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/articles                      scheduled      401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/articles                      published      401  401  401  401  401  401  401  200  404  401  401  401
GET /syndication/v1/articles                      embargoed      401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/articles                      unpublished    401  401  401  401  401  401  401  200  404  401  401  401
GET /syndication/v1/articles                      killed         401  401  401  401  401  401  401  200  404  401  401  401
GET /syndication/v1/articles                      outlet_a       401  401  401  401  401  401  401  200  403  401  401  401

GET /syndication/v1/feeds/{outlet}.atom           draft          401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/feeds/{outlet}.atom           in_review      401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/feeds/{outlet}.atom           approved       401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/feeds/{outlet}.atom           scheduled      401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/feeds/{outlet}.atom           published      401  401  401  401  401  401  401  200  404  401  401  401
GET /syndication/v1/feeds/{outlet}.atom           embargoed      401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/feeds/{outlet}.atom           unpublished    401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/feeds/{outlet}.atom           killed         401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/feeds/{outlet}.atom           outlet_b       401  401  401  401  401  401  401  404  200  401  401  401

GET /syndication/v1/feeds/{outlet}.json           draft          401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/feeds/{outlet}.json           in_review      401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/feeds/{outlet}.json           approved       401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/feeds/{outlet}.json           scheduled      401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/feeds/{outlet}.json           published      401  401  401  401  401  401  401  200  404  401  401  401
GET /syndication/v1/feeds/{outlet}.json           embargoed      401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/feeds/{outlet}.json           unpublished    401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/feeds/{outlet}.json           killed         401  401  401  401  401  401  401  404  404  401  401  401
GET /syndication/v1/feeds/{outlet}.json           outlet_b       401  401  401  401  401  401  401  404  200  401  401  401

GET /public/v1/articles                           draft          404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/articles                           in_review      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/articles                           approved       404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/articles                           scheduled      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/articles                           published      200  200  200  200  200  200  200  200  200  200  200  200
GET /public/v1/articles                           embargoed      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/articles                           unpublished    404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/articles                           killed         404  404  404  404  404  404  404  404  404  404  404  404

GET /public/v1/outlets/{outlet}/articles/{slug}   draft          404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/outlets/{outlet}/articles/{slug}   in_review      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/outlets/{outlet}/articles/{slug}   approved       404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/outlets/{outlet}/articles/{slug}   scheduled      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/outlets/{outlet}/articles/{slug}   published      200  200  200  200  200  200  200  200  200  200  200  200
GET /public/v1/outlets/{outlet}/articles/{slug}   embargoed      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/outlets/{outlet}/articles/{slug}   unpublished    404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/outlets/{outlet}/articles/{slug}   killed         404  404  404  404  404  404  404  404  404  404  404  404

GET /public/v1/authors/{slug}                     draft          404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/authors/{slug}                     in_review      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/authors/{slug}                     approved       404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/authors/{slug}                     scheduled      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/authors/{slug}                     published      200  200  200  200  200  200  200  200  200  200  200  200
GET /public/v1/authors/{slug}                     embargoed      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/authors/{slug}                     unpublished    404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/authors/{slug}                     killed         404  404  404  404  404  404  404  404  404  404  404  404

GET /public/v1/sections/{section}/feed.atom       draft          404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sections/{section}/feed.atom       in_review      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sections/{section}/feed.atom       approved       404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sections/{section}/feed.atom       scheduled      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sections/{section}/feed.atom       published      200  200  200  200  200  200  200  200  200  200  200  200
GET /public/v1/sections/{section}/feed.atom       embargoed      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sections/{section}/feed.atom       unpublished    404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sections/{section}/feed.atom       killed         404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sections/{section}/feed.json       draft          404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sections/{section}/feed.json       in_review      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sections/{section}/feed.json       approved       404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sections/{section}/feed.json       scheduled      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sections/{section}/feed.json       published      200  200  200  200  200  200  200  200  200  200  200  200
GET /public/v1/sections/{section}/feed.json       embargoed      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sections/{section}/feed.json       unpublished    404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sections/{section}/feed.json       killed         404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/feed.atom                          draft          404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/feed.atom                          in_review      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/feed.atom                          approved       404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/feed.atom                          scheduled      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/feed.atom                          published      200  200  200  200  200  200  200  200  200  200  200  200
GET /public/v1/feed.atom                          embargoed      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/feed.atom                          unpublished    404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/feed.atom                          killed         404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/feed.json                          draft          404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/feed.json                          in_review      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/feed.json                          approved       404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/feed.json                          scheduled      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/feed.json                          published      200  200  200  200  200  200  200  200  200  200  200  200
GET /public/v1/feed.json                          embargoed      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/feed.json                          unpublished    404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/feed.json                          killed         404  404  404  404  404  404  404  404  404  404  404  404

GET /public/v1/sitemap.xml                        draft          404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sitemap.xml                        in_review      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sitemap.xml                        approved       404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sitemap.xml                        scheduled      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sitemap.xml                        published      200  200  200  200  200  200  200  200  200  200  200  200
GET /public/v1/sitemap.xml                        embargoed      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sitemap.xml                        unpublished    404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sitemap.xml                        killed         404  404  404  404  404  404  404  404  404  404  404  404

GET /public/v1/sitemap-{n}.xml                    draft          404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sitemap-{n}.xml                    in_review      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sitemap-{n}.xml                    approved       404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sitemap-{n}.xml                    scheduled      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sitemap-{n}.xml                    published      200  200  200  200  200  200  200  200  200  200  200  200
GET /public/v1/sitemap-{n}.xml                    embargoed      404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sitemap-{n}.xml                    unpublished    404  404  404  404  404  404  404  404  404  404  404  404
GET /public/v1/sitemap-{n}.xml                    killed         404  404  404  404  404  404  404  404  404  404  404  404
";

/// The article of each state: (id, slug).
struct Reads {
    articles: HashMap<&'static str, (String, String)>,
}

/// Brings a fresh draft of the owner to `state` through the workflow, as the admin.
async fn article_in(app: &TestApp, who: &Principals, state: &'static str) -> Value {
    let admin = who.user(ADMIN).expect("the admin").token.clone();
    let mut fields = json!({
        "outlet_id": who.a.outlet, "headline": format!("Matrix {state} story"),
        "body": "The body.", "section_id": who.a.section, "author_ids": [who.a.author],
    });
    if state == "embargoed" {
        fields["embargo_until"] = json!(app.clock.now() + chrono::Duration::days(1));
    }
    let created = app
        .post("/api/v1/articles", &who.owner().token, fields)
        .await;
    created.assert_status(201);
    let mut article = created.body;
    let steps: &[&str] = match state {
        "draft" => &[],
        "in_review" => &["submit"],
        "approved" => &["submit", "approve"],
        "scheduled" => &["submit", "approve", "schedule"],
        "published" | "embargoed" => &["publish"],
        "unpublished" => &["publish", "unpublish"],
        "killed" => &["publish", "kill"],
        other => panic!("no state {other}"),
    };
    for step in steps {
        let body = json!({"note": "A note.", "at": app.clock.now() + chrono::Duration::hours(2)});
        let res = app
            .act(
                &admin,
                &id_str(&article),
                version_of(&article),
                step,
                Some(body),
            )
            .await;
        res.assert_status(200);
        article = res.body;
    }
    article
}

impl Reads {
    async fn new(app: &TestApp, who: &Principals) -> Reads {
        let mut articles = HashMap::new();
        for state in [
            "draft",
            "in_review",
            "approved",
            "scheduled",
            "published",
            "embargoed",
            "unpublished",
            "killed",
        ] {
            let article = article_in(app, who, state).await;
            let slug = article["slug"].as_str().expect("a slug").to_owned();
            articles.insert(state, (id_str(&article), slug));
        }
        // Transaction ids are shared by every database of the server, so other tests' open
        // transactions can hold the change feed back for a moment (it never skips anything):
        // wait until it shows the last takedown before the feed rows look at it.
        let (killed, _) = &articles["killed"];
        let probe = Call::get("/syndication/v1/articles?limit=100").listing(killed);
        for _ in 0..800 {
            if who.answer(app, KEY_A, &probe).await.0 == 200 {
                break;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        Reads { articles }
    }
}

impl Fixture for Reads {
    async fn call(&self, _: &TestApp, who: &Principals, row: &Row, _: usize) -> Call {
        let (a, b) = (who.a.outlet, who.b.outlet);
        if row.state == "outlet_b" {
            let extension = row.path.rsplit('.').next().unwrap_or_default();
            return Call::get(format!("/syndication/v1/feeds/{b}.{extension}"));
        }
        if row.state == "outlet_a" {
            return Call::get("/syndication/v1/articles?outlet=outlet-a&limit=1");
        }
        let state = row.state.trim_start_matches("q:");
        let (id, slug) = self.articles.get(state).expect("a state of the table");
        match row.path {
            "/api/v1/articles/{id}" => Call::get(format!("/api/v1/articles/{id}")),
            "/api/v1/articles" => match row.state.strip_prefix("q:") {
                Some(state) => {
                    Call::get(format!("/api/v1/articles?q=matrix+{state}+story&limit=100"))
                        .listing(id)
                }
                None => {
                    let status = if row.state == "embargoed" {
                        "published"
                    } else {
                        row.state
                    };
                    Call::get(format!(
                        "/api/v1/articles?outlet_id={a}&status={status}&limit=100"
                    ))
                    .listing(id)
                }
            },
            "/api/v1/articles/{id}/revisions" => {
                Call::get(format!("/api/v1/articles/{id}/revisions"))
            }
            "/api/v1/articles/{id}/revisions/{number}" => {
                Call::get(format!("/api/v1/articles/{id}/revisions/1"))
            }
            "/api/v1/articles/{id}/revisions/{number}/diff" => {
                Call::get(format!("/api/v1/articles/{id}/revisions/1/diff?against=1"))
            }
            "/syndication/v1/articles/{id}" => Call::get(format!("/syndication/v1/articles/{id}")),
            "/syndication/v1/articles" => {
                Call::get("/syndication/v1/articles?limit=100").listing(id)
            }
            "/syndication/v1/feeds/{outlet}.atom" => {
                Call::get(format!("/syndication/v1/feeds/{a}.atom")).listing(id)
            }
            "/syndication/v1/feeds/{outlet}.json" => {
                Call::get(format!("/syndication/v1/feeds/{a}.json")).listing(id)
            }
            "/public/v1/articles" => Call::get("/public/v1/articles?limit=100").listing(slug),
            "/public/v1/outlets/{outlet}/articles/{slug}" => {
                Call::get(format!("/public/v1/outlets/{a}/articles/{slug}"))
            }
            "/public/v1/authors/{slug}" => {
                Call::get("/public/v1/authors/outlet-a-desk").listing(slug)
            }
            "/public/v1/sections/{section}/feed.atom" => {
                Call::get(format!("/public/v1/sections/{}/feed.atom", who.a.section)).listing(id)
            }
            "/public/v1/sections/{section}/feed.json" => {
                Call::get(format!("/public/v1/sections/{}/feed.json", who.a.section)).listing(id)
            }
            "/public/v1/feed.atom" => Call::get("/public/v1/feed.atom").listing(id),
            "/public/v1/feed.json" => Call::get("/public/v1/feed.json").listing(id),
            "/public/v1/sitemap.xml" => Call::get("/public/v1/sitemap.xml").listing(slug),
            "/public/v1/sitemap-{n}.xml" => Call::get("/public/v1/sitemap-1.xml").listing(slug),
            _ => panic!("no request for row {row:?}"),
        }
    }
}

#[actix_web::test]
async fn article_reads_follow_the_matrix() {
    let app = TestApp::spawn().await;
    let who = Principals::new(&app).await;
    let reads = Reads::new(&app, &who).await;
    run(&app, &who, &reads, TABLE).await;
}
