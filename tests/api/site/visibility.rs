//! The one visibility rule on every page: a draft, a story in review or approved, scheduled,
//! unpublished, killed or under embargo never appears on any list page or in search, and its
//! URL is a 404 page; the embargoed one appears everywhere once the embargo lifts.

use chrono::Duration;
use serde_json::json;

use crate::desk::Browser;
use crate::helpers::TestApp;
use crate::public::create;

/// Workflow actions with their bodies, in order.
type Steps = Vec<(&'static str, Option<serde_json::Value>)>;

const LISTS: [&str; 5] = [
    "/",
    "/dawn",
    "/section/dawn-news",
    "/author/dawn-desk",
    "/search?q=hush",
];

#[actix_web::test]
async fn no_story_that_is_not_public_appears_on_any_page_and_its_url_is_a_404() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let now = app.clock.now();
    let (visible, _) = create(&app, &admin, &desk, "Hush visible", json!({})).await;
    app.act(&admin.token, &visible, 1, "publish", None)
        .await
        .assert_status(200);
    let later = now + Duration::days(1);
    let states: [(&str, Steps); 6] = [
        ("Hush draft", vec![]),
        ("Hush in review", vec![("submit", None)]),
        ("Hush approved", vec![("submit", None), ("approve", None)]),
        (
            "Hush scheduled",
            vec![
                ("submit", None),
                ("approve", None),
                ("schedule", Some(json!({"at": later}))),
            ],
        ),
        (
            "Hush withdrawn",
            vec![("publish", None), ("unpublish", None)],
        ),
        (
            "Hush killed",
            vec![
                ("publish", None),
                ("kill", Some(json!({"note": "Court order"}))),
            ],
        ),
    ];
    let mut hidden = Vec::new();
    for (headline, actions) in states {
        let (id, slug) = create(&app, &admin, &desk, headline, json!({})).await;
        for (version, (action, body)) in actions.into_iter().enumerate() {
            app.act(&admin.token, &id, version as i64 + 1, action, body)
                .await
                .assert_status(200);
        }
        hidden.push((headline, slug));
    }
    let embargo = json!({"embargo_until": now + Duration::hours(2)});
    let (embargoed, embargoed_slug) = create(&app, &admin, &desk, "Hush embargoed", embargo).await;
    app.act(&admin.token, &embargoed, 1, "publish", None)
        .await
        .assert_status(200);

    let mut browser = Browser::new(&app);
    for path in LISTS {
        let page = super::get(&mut browser, path).await;
        page.assert_status(200).assert_contains("Hush visible");
        for (headline, slug) in hidden
            .iter()
            .chain([&("Hush embargoed", embargoed_slug.clone())])
        {
            page.assert_lacks(headline).assert_lacks(slug);
        }
    }
    for (headline, slug) in hidden
        .iter()
        .chain([&("Hush embargoed", embargoed_slug.clone())])
    {
        let page = super::get(&mut browser, &format!("/dawn/{slug}")).await;
        page.assert_status(404).assert_lacks(headline);
    }

    app.clock.advance(Duration::hours(2));
    for path in LISTS {
        super::get(&mut browser, path)
            .await
            .assert_contains("Hush embargoed");
    }
    super::get(&mut browser, &format!("/dawn/{embargoed_slug}"))
        .await
        .assert_status(200)
        .assert_contains("<h1>Hush embargoed</h1>");
    for (headline, slug) in &hidden {
        super::get(&mut browser, &format!("/dawn/{slug}"))
            .await
            .assert_status(404)
            .assert_lacks(headline);
    }
}
