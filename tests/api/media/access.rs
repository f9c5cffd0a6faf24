//! Who may fetch a picture's files: the public only what a publicly visible story uses
//! (not an unused picture, nor one only a draft, an embargoed, a withdrawn or a killed story
//! shows), staff their outlets' pictures, partners what the public gets; everyone else 404.
//! Public answers are kept a minute, the others privately.

use newsroom::domain::Role;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{download, form, hrefs, pictures, upload, Download, PictureDesk};
use crate::helpers::{id_of, id_str, Desk, TestApp, TestUser};

struct Scene {
    desk: PictureDesk,
    newsroom: Desk,
    editor: TestUser,
    /// Staff of another outlet.
    stranger: TestUser,
    /// A partner key entitled to the newsroom's outlet.
    key: String,
}

impl Scene {
    async fn new() -> Scene {
        let desk = PictureDesk::new().await;
        let app = &desk.app;
        let newsroom = app.newsroom(&desk.admin, "the-paper").await;
        let editor = app.user(Role::Editor, &[newsroom.outlet]).await;
        let stranger = app.user(Role::Editor, &[desk.outlet]).await;
        let (_, key) = app
            .partner(
                &desk.admin,
                json!({"name": "Wire", "outlet_ids": [newsroom.outlet]}),
            )
            .await;
        Scene {
            desk,
            newsroom,
            editor,
            stranger,
            key,
        }
    }

    fn app(&self) -> &TestApp {
        &self.desk.app
    }

    /// A new picture (a master of its own) of `outlet`, with alt text: (id, a rendition URL).
    async fn picture(&self, outlet: Uuid, bytes: &[u8]) -> (Uuid, String) {
        let outlet = outlet.to_string();
        let texts = [("outlet_id", outlet.as_str()), ("alt_text", "A quay")];
        let (ct, body) = form(bytes, "photo.jpg", "image/jpeg", &texts);
        let res = upload(self.app(), &self.desk.admin.token, &ct, body).await;
        assert!(
            matches!(res.status.as_u16(), 200 | 201),
            "upload: {}",
            res.status
        );
        let url = hrefs(&res.body)
            .into_iter()
            .find(|h| h.ends_with("/w16.webp"))
            .expect("the full-size WebP");
        (id_of(&res), url)
    }

    /// A story of the newsroom with `fields`, taken through `actions`; (id, version).
    async fn story(&self, fields: Value, actions: &[(&str, Option<Value>)]) -> (String, i64) {
        let mut body = json!({
            "outlet_id": self.newsroom.outlet, "headline": "Floods close the port",
            "standfirst": "A standfirst.", "body": "The body.",
            "section_id": self.newsroom.section, "author_ids": [self.newsroom.author],
        });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), fields.as_object()) {
            body.extend(extra.clone());
        }
        let created = self
            .app()
            .post("/api/v1/articles", &self.editor.token, body)
            .await;
        created.assert_status(201);
        let id = id_str(&created.body);
        let mut version = 1;
        for (action, body) in actions {
            let res = self.act(&id, version, action, body.clone()).await;
            version = res["version"].as_i64().expect("a version");
        }
        (id, version)
    }

    async fn act(&self, id: &str, version: i64, action: &str, body: Option<Value>) -> Value {
        let res = self
            .app()
            .act(&self.desk.admin.token, id, version, action, body)
            .await;
        res.assert_status(200);
        res.body
    }

    async fn anonymous(&self, url: &str) -> Download {
        download(self.app(), url, &[]).await
    }

    async fn as_staff(&self, user: &TestUser, url: &str) -> Download {
        download(
            self.app(),
            url,
            &[("authorization", &format!("Bearer {}", user.token))],
        )
        .await
    }
}

#[track_caller]
fn hidden(res: &Download, what: &str) {
    assert_eq!(res.status, 404, "{what}: answered {}", res.status);
    assert_eq!(res.header("cache-control"), Some("no-store"), "{what}");
    assert!(
        res.header("vary").is_some_and(|v| v.contains("Cookie")),
        "{what}"
    );
}

#[track_caller]
fn served(res: &Download, cache_control: &str, what: &str) {
    assert_eq!(res.status, 200, "{what}: answered {}", res.status);
    assert_eq!(res.header("cache-control"), Some(cache_control), "{what}");
    assert!(!res.bytes.is_empty(), "{what}");
}

/// A workflow action and its body.
type Step = (&'static str, Option<Value>);

const PUBLIC: &str = "public, max-age=60, stale-while-revalidate=300";
const PRIVATE: &str = "private, max-age=60";

#[actix_web::test]
async fn only_a_visible_storys_pictures_are_public() {
    let s = Scene::new().await;
    let outlet = s.newsroom.outlet;
    let later = s.app().clock.now() + chrono::Duration::hours(2);
    let kill = Some(json!({"note": "Court order"}));
    let cases: [(&str, Vec<Step>, Value); 5] = [
        ("unused", vec![], Value::Null),
        ("draft only", vec![], json!({})),
        (
            "embargoed",
            vec![("publish", None)],
            json!({"embargo_until": later}),
        ),
        (
            "withdrawn",
            vec![("publish", None), ("unpublish", None)],
            json!({}),
        ),
        ("killed", vec![("publish", None), ("kill", kill)], json!({})),
    ];
    for (what, actions, fields) in cases {
        let (photo, url) = s.picture(outlet, &pictures::distinct_jpeg()).await;
        if let Some(fields) = fields.as_object() {
            let mut fields = fields.clone();
            fields.insert("featured_media_id".into(), json!(photo));
            s.story(Value::Object(fields), &actions).await;
        }
        hidden(&s.anonymous(&url).await, what);
        let keyed = download(s.app(), &url, &[("x-api-key", &s.key)]).await;
        hidden(&keyed, &format!("{what}, to the partner"));
        hidden(
            &s.as_staff(&s.stranger, &url).await,
            &format!("{what}, to another outlet"),
        );
        // Its own outlet's staff see it, by token and by the desk's cookie.
        served(&s.as_staff(&s.editor, &url).await, PRIVATE, what);
        let cookie = format!("newsroom_desk={}", s.editor.token);
        served(
            &download(s.app(), &url, &[("cookie", &cookie)]).await,
            PRIVATE,
            what,
        );
        served(&s.as_staff(&s.desk.admin, &url).await, PRIVATE, what);
    }
}

#[actix_web::test]
async fn a_published_storys_pictures_are_public_until_it_is_killed() {
    let s = Scene::new().await;
    let (featured, url) = s
        .picture(s.newsroom.outlet, &pictures::distinct_jpeg())
        .await;
    let (in_body, body_url) = s
        .picture(s.newsroom.outlet, &pictures::distinct_jpeg())
        .await;
    let fields = json!({"featured_media_id": featured, "body": format!("Text.\n\n![A quay](media:{in_body})")});
    let (story, version) = s.story(fields, &[("publish", None)]).await;
    for url in [&url, &body_url] {
        let res = s.anonymous(url).await;
        served(&res, PUBLIC, "published");
        let etag = res.header("etag").expect("an ETag").to_owned();
        let again = download(s.app(), url, &[("if-none-match", &etag)]).await;
        assert_eq!(again.status, 304, "revalidated");
        let keyed = download(s.app(), url, &[("x-api-key", &s.key)]).await;
        served(&keyed, PRIVATE, "to the partner");
        served(
            &s.as_staff(&s.stranger, url).await,
            PRIVATE,
            "to another outlet's staff",
        );
    }
    s.act(
        &story,
        version,
        "kill",
        Some(json!({"note": "Court order"})),
    )
    .await;
    for url in [&url, &body_url] {
        hidden(&s.anonymous(url).await, "killed");
        let hash = &url["/media/".len()..];
        let etag = format!("\"{}-w16.webp\"", &hash[..16]);
        let revalidated = download(s.app(), url, &[("if-none-match", &etag)]).await;
        assert_eq!(
            revalidated.status, 404,
            "a cache revalidating learns of the takedown"
        );
        served(
            &s.as_staff(&s.editor, url).await,
            PRIVATE,
            "killed, to its staff",
        );
    }
}

#[actix_web::test]
async fn a_master_shared_by_two_outlets_is_public_when_either_shows_it() {
    let s = Scene::new().await;
    let bytes = pictures::distinct_jpeg();
    // Outlet B's picture of the same bytes: staff of B see it, nobody else yet.
    let (_, url) = s.picture(s.desk.outlet, &bytes).await;
    hidden(&s.anonymous(&url).await, "unused in both outlets");
    served(
        &s.as_staff(&s.stranger, &url).await,
        PRIVATE,
        "to B's staff",
    );
    let (ours, same_url) = s.picture(s.newsroom.outlet, &bytes).await;
    assert_eq!(url, same_url, "one master, one URL");
    served(&s.as_staff(&s.editor, &url).await, PRIVATE, "to A's staff");
    hidden(&s.anonymous(&url).await, "still unused");
    // A's story shows it: the master is public, whichever outlet's URL it is.
    s.story(json!({"featured_media_id": ours}), &[("publish", None)])
        .await;
    served(&s.anonymous(&url).await, PUBLIC, "shown by A");
    let third = s
        .app()
        .user(
            Role::Writer,
            &[s.app().outlet(&s.desk.admin, "third").await],
        )
        .await;
    served(
        &s.as_staff(&third, &url).await,
        PRIVATE,
        "to staff of a third outlet",
    );
}
