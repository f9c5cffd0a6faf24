//! The editor's ordered byline and its links: canonical URL, origin credit and
//! `translation_of`, saved through the API's update service and refused with its messages.

use newsroom::domain::Role;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{Browser, Page};
use crate::helpers::{id_of, id_str, TestApp, TestUser};

/// The whole editor form on `version`, with `extra` fields (repeated names kept in order).
fn form<'a>(
    csrf: &'a str,
    version: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("csrf", csrf),
        ("version", version),
        ("headline", "Floods"),
        ("standfirst", "A standfirst."),
        ("body", "The body of the story."),
        ("slug", ""),
        ("tags", ""),
        ("language", "en"),
        ("embargo_until", ""),
    ];
    fields.extend_from_slice(extra);
    fields
}

async fn author(app: &TestApp, admin: &TestUser, outlet: Uuid, name: &str) -> String {
    let slug = name.to_lowercase();
    let res = app
        .post(
            "/api/v1/authors",
            &admin.token,
            json!({"slug": slug, "name": name, "outlet_id": outlet}),
        )
        .await;
    res.assert_status(201);
    id_of(&res).to_string()
}

async fn stored(app: &TestApp, user: &TestUser, id: &str) -> Value {
    app.get(&format!("/api/v1/articles/{id}"), &user.token)
        .await
        .body
}

/// The byline as the editor lists it: the checked authors' numbered names, in order.
fn listed(page: &Page, names: &[&str]) -> Vec<String> {
    let mut at: Vec<(usize, String)> = names
        .iter()
        .filter_map(|n| {
            (1..=names.len()).find_map(|i| {
                let text = format!(" {i}. {n}</label>");
                page.text.find(&text).map(|pos| (pos, (*n).to_owned()))
            })
        })
        .collect();
    at.sort();
    at.into_iter().map(|(_, n)| n).collect()
}

#[actix_web::test]
async fn the_byline_is_added_to_reordered_and_removed_and_its_order_round_trips() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[dawn.outlet]).await;
    let amna = author(&app, &admin, dawn.outlet, "Amna").await;
    let bilal = author(&app, &admin, dawn.outlet, "Bilal").await;
    let story = app.draft(&writer, &dawn, "Floods").await;
    let id = id_str(&story);
    let desk = dawn.author.to_string();
    let path = format!("/admin/stories/{id}");
    let mut browser = Browser::signed_in(&app, &writer.email).await;
    let csrf = browser.get(&path).await.hidden("csrf");

    // Add two: ticked after the byline, they join it at its end.
    let add = [
        ("author_ids", desk.as_str()),
        ("author_ids", &bilal),
        ("author_ids", &amna),
    ];
    browser
        .post(&path, &form(&csrf, "1", &add))
        .await
        .assert_redirect(&format!("{path}?saved"));
    assert_eq!(
        stored(&app, &writer, &id).await["author_ids"],
        json!([desk, bilal, amna])
    );
    let page = browser.get(&path).await;
    assert_eq!(
        listed(&page, &["Desk", "Bilal", "Amna"]),
        ["Desk", "Bilal", "Amna"]
    );
    page.assert_contains("Move<span class=\"visually-hidden\"> Amna</span> up")
        .assert_contains("Move<span class=\"visually-hidden\"> Desk</span> down")
        .assert_lacks("Move<span class=\"visually-hidden\"> Desk</span> up")
        .assert_lacks("Move<span class=\"visually-hidden\"> Amna</span> down");

    // "Move Amna up": a save whose byline has Amna one place earlier.
    let mut up = add.to_vec();
    up.push(("move_up", &amna));
    browser
        .post(&path, &form(&csrf, "2", &up))
        .await
        .assert_redirect(&format!("{path}?saved#author-{amna}"));
    assert_eq!(
        stored(&app, &writer, &id).await["author_ids"],
        json!([desk, amna, bilal])
    );
    let page = browser.get(&path).await;
    assert_eq!(
        listed(&page, &["Desk", "Bilal", "Amna"]),
        ["Desk", "Amna", "Bilal"]
    );

    // "Move Desk down", then untick Bilal.
    let order = [
        ("author_ids", desk.as_str()),
        ("author_ids", &amna),
        ("author_ids", &bilal),
    ];
    let mut down = order.to_vec();
    down.push(("move_down", &desk));
    browser
        .post(&path, &form(&csrf, "3", &down))
        .await
        .assert_status(303);
    assert_eq!(
        stored(&app, &writer, &id).await["author_ids"],
        json!([amna, desk, bilal])
    );
    let removed = [("author_ids", amna.as_str()), ("author_ids", &desk)];
    browser
        .post(&path, &form(&csrf, "4", &removed))
        .await
        .assert_status(303);
    let saved = stored(&app, &writer, &id).await;
    assert_eq!(saved["author_ids"], json!([amna, desk]));
    assert_eq!(saved["version"], json!(5));
    let page = browser.get(&path).await;
    assert_eq!(listed(&page, &["Desk", "Bilal", "Amna"]), ["Amna", "Desk"]);
}

#[actix_web::test]
async fn canonical_url_origin_credit_and_translation_are_saved_and_shown() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let geo = app.outlet(&admin, "geo").await.to_string();
    let writer = app.user(Role::Writer, &[dawn.outlet]).await;
    let original = id_str(&app.draft(&writer, &dawn, "Floods in Sindh").await);
    let story = app.draft(&writer, &dawn, "سندھ میں سیلاب").await;
    let id = id_str(&story);
    let path = format!("/admin/stories/{id}");
    let mut browser = Browser::signed_in(&app, &writer.email).await;
    let csrf = browser.get(&path).await.hidden("csrf");
    let links = [
        ("canonical_url", "https://dawn.example/floods"),
        ("origin_outlet_id", geo.as_str()),
        ("origin_url", "https://geo.example/floods?id=1"),
        ("translation_of", original.as_str()),
    ];
    browser
        .post(&path, &form(&csrf, "1", &links))
        .await
        .assert_status(303);
    let saved = stored(&app, &writer, &id).await;
    assert_eq!(saved["canonical_url"], json!("https://dawn.example/floods"));
    assert_eq!(saved["origin_outlet_id"], json!(geo));
    assert_eq!(
        saved["origin_url"],
        json!("https://geo.example/floods?id=1")
    );
    assert_eq!(saved["translation_of"], json!(original));
    let page = browser.get(&path).await;
    page.assert_status(200)
        .assert_contains(&format!("<option value=\"{geo}\" selected>"))
        .assert_contains(&format!("value=\"{original}\""))
        .assert_contains(&format!(
            "Translates <a href=\"/admin/stories/{original}\">Floods in Sindh</a>"
        ));

    // Blank fields clear them.
    browser
        .post(&path, &form(&csrf, "2", &[]))
        .await
        .assert_status(303);
    let cleared = stored(&app, &writer, &id).await;
    assert_eq!(cleared["canonical_url"], Value::Null);
    assert_eq!(cleared["translation_of"], Value::Null);
}

#[actix_web::test]
async fn a_bad_url_or_story_gets_the_services_message_next_to_its_field_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let geo = app.newsroom(&admin, "geo").await;
    let writer = app.user(Role::Writer, &[dawn.outlet]).await;
    let story = app.draft(&writer, &dawn, "Floods").await;
    // Another outlet's draft: the writer may not see it, so it is as if it did not exist.
    let hidden = id_str(&app.draft(&admin, &geo, "Geo's draft").await);
    let id = id_str(&story);
    let path = format!("/admin/stories/{id}");
    let mut browser = Browser::signed_in(&app, &writer.email).await;
    let csrf = browser.get(&path).await.hidden("csrf");
    let cases: [(&str, &str, &str); 6] = [
        (
            "canonical_url",
            "dawn.example/floods",
            "must be an absolute http(s) URL",
        ),
        (
            "origin_url",
            "javascript:alert(1)",
            "must be an absolute http(s) URL",
        ),
        (
            "translation_of",
            "0198a3b2-0000-7000-8000-000000000000",
            "must name another existing article",
        ),
        (
            "translation_of",
            hidden.as_str(),
            "must name another existing article",
        ),
        (
            "translation_of",
            "floods-in-sindh",
            "must be a story&#x27;s id",
        ),
        (
            "origin_outlet_id",
            "0198a3b2-0000-7000-8000-000000000000",
            "names an outlet that does not exist",
        ),
    ];
    for (field, value, message) in cases {
        let sent = [(field, value)];
        let page = browser.post(&path, &form(&csrf, "1", &sent)).await;
        page.assert_status(422)
            .assert_contains(&format!("id=\"{field}-error\">{message}"))
            .assert_contains(&format!("aria-describedby=\"{field}-error\""))
            .assert_contains("The body of the story.");
        if field != "origin_outlet_id" {
            let kept = value.replace('/', "&#x2f;").replace('\'', "&#x27;");
            page.assert_contains(&format!("value=\"{kept}\""));
        }
    }
    assert_eq!(stored(&app, &writer, &id).await["version"], json!(1));
}
