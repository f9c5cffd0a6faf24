//! The section tree and the authors' screens: nesting, moves and the services' refusals
//! (a cycle, a taken slug, a section in use), an editor's authors of its own outlets only,
//! the bio, search, and hostile text escaped.

use newsroom::domain::Role;
use serde_json::json;

use super::{Browser, Page};
use crate::helpers::TestApp;

/// Saves a section's edit form (the description is always "Kept").
async fn save(
    boss: &mut Browser<'_>,
    csrf: &str,
    path: &str,
    name: &str,
    slug: &str,
    parent: &str,
) -> Page {
    let form = [
        ("csrf", csrf),
        ("name", name),
        ("slug", slug),
        ("description", "Kept"),
        ("parent_id", parent),
    ];
    boss.post(path, &form).await
}

#[actix_web::test]
async fn sections_nest_move_and_the_services_refusals_are_sentences() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut boss = Browser::signed_in(&app, &admin.email).await;
    let csrf = boss.get("/admin/sections").await.hidden("csrf");
    let create = async |boss: &mut Browser<'_>, name: &str, parent: &str| {
        let page = boss
            .post(
                "/admin/sections",
                &[
                    ("csrf", &csrf),
                    ("name", name),
                    ("slug", ""),
                    ("parent_id", parent),
                    ("description", ""),
                ],
            )
            .await;
        page.assert_redirect("/admin/sections?created");
    };
    create(&mut boss, "World", "").await;
    let world = app.get("/api/v1/sections/world", &admin.token).await;
    let world = world.body["id"].as_str().expect("an id").to_owned();
    let offered = boss.get(&format!("/admin/sections?parent={world}")).await;
    offered.assert_contains(&format!(
        "<option value=\"{world}\" selected>World</option>"
    ));
    create(&mut boss, "Asia", &world).await;
    create(&mut boss, "Sport", "").await;
    let asia = app.get("/api/v1/sections/asia", &admin.token).await;
    let asia = asia.body["id"].as_str().expect("an id").to_owned();

    let tree = boss.get("/admin/sections?created").await;
    tree.assert_status(200).assert_contains("Created.");
    let nested = tree.text.replace(['\n', ' '], "");
    let world_at = nested.find(">World</a>").expect("World");
    let inner = nested[world_at..].find("<ul>").expect("a nested list") + world_at;
    let asia_at = nested.find(">Asia</a>").expect("Asia");
    let sport_at = nested.find(">Sport</a>").expect("Sport");
    assert!(
        world_at < inner && inner < asia_at,
        "Asia is in a list inside World's item"
    );
    assert!(
        sport_at < world_at,
        "top-level sections by slug; Sport has no sub-list"
    );
    tree.assert_contains(&format!("<option value=\"{asia}\">— Asia</option>"));

    // Moving World under Asia would be a cycle: the service's message, next to the field.
    let (w, a) = (
        format!("/admin/sections/{world}"),
        format!("/admin/sections/{asia}"),
    );
    save(&mut boss, &csrf, &w, "World", "world", &asia)
        .await
        .assert_status(422)
        .assert_contains("would make the section its own ancestor")
        .assert_contains("aria-describedby=\"parent_id-error\"")
        .assert_contains(">Kept</textarea>");
    save(&mut boss, &csrf, &a, "Asia", "sport", &world)
        .await
        .assert_status(422)
        .assert_contains("is already taken by another section")
        .assert_contains("value=\"sport\"");
    let stored = app
        .get(&format!("/api/v1/sections/{world}"), &admin.token)
        .await;
    assert_eq!(stored.body["parent_id"], json!(null), "nothing moved");

    // Rename and move Asia to the top level.
    save(&mut boss, &csrf, &a, "Asia and Pacific", "asia", "")
        .await
        .assert_redirect(&format!("{a}?saved"));
    let stored = app
        .get(&format!("/api/v1/sections/{asia}"), &admin.token)
        .await;
    assert_eq!(stored.body["name"], json!("Asia and Pacific"));
    assert_eq!(stored.body["parent_id"], json!(null));

    // A section with a sub-section is not deleted.
    save(&mut boss, &csrf, &a, "Asia", "asia", &world)
        .await
        .assert_status(303);
    boss.post(&format!("{w}/delete"), &[("csrf", &csrf)])
        .await
        .assert_status(409)
        .assert_contains("the section is in use (sub-sections or articles refer to it)");
    boss.post(&format!("{a}/delete"), &[("csrf", &csrf)])
        .await
        .assert_redirect("/admin/sections?deleted");
    assert_eq!(app.count("sections").await, 2);
}

#[actix_web::test]
async fn an_editor_manages_the_authors_of_its_outlets_and_no_others() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let star = app.newsroom(&admin, "star").await;
    let editor = app.user(Role::Editor, &[dawn.outlet]).await;
    let mut browser = Browser::signed_in(&app, &editor.email).await;
    let stories = browser.get("/admin/stories").await;
    stories.assert_contains("href=\"/admin/outlets\">Catalogue</a>");
    let csrf = stories.hidden("csrf");
    browser
        .get("/admin/outlets")
        .await
        .assert_status(200)
        .assert_lacks("method=\"post\" action=\"/admin/outlets\"");
    let list = browser.get("/admin/authors").await;
    list.assert_contains(&format!("href=\"/admin/authors/{}\"", dawn.author))
        .assert_lacks(&format!("href=\"/admin/authors/{}\"", star.author))
        .assert_contains(&format!("<option value=\"{}\"", dawn.outlet))
        .assert_lacks(&format!("<option value=\"{}\"", star.outlet))
        .assert_lacks("None (alliance-wide");

    let bio = "Covers the port.\n\nFormerly at the *Star*.";
    let created = browser
        .post(
            "/admin/authors",
            &[
                ("csrf", &csrf),
                ("name", "Amna Rahim"),
                ("slug", ""),
                ("outlet_id", &dawn.outlet.to_string()),
                ("bio", bio),
            ],
        )
        .await;
    created.assert_status(303);
    let stored = app.get("/api/v1/authors/amna-rahim", &admin.token).await;
    assert_eq!(stored.body["bio"], json!(bio));
    assert_eq!(stored.body["outlet_id"], json!(dawn.outlet));
    let id = stored.body["id"].as_str().expect("an id").to_owned();
    browser
        .get(&format!("/admin/authors/{id}"))
        .await
        .assert_contains("<label for=\"bio\">About the Author")
        .assert_contains("Formerly at the *Star*.</textarea>");
    browser
        .get("/admin/authors?q=amna")
        .await
        .assert_contains("Amna Rahim")
        .assert_lacks(">Desk<");

    // Another outlet's author: refused as a page, and forged posts change nothing.
    let other = format!("/admin/authors/{}", star.author);
    browser
        .get(&other)
        .await
        .assert_status(403)
        .assert_contains("not a member of");
    let forged = [
        ("csrf", csrf.as_str()),
        ("name", "Taken over"),
        ("slug", "star-desk"),
        ("outlet_id", ""),
        ("bio", ""),
    ];
    browser.post(&other, &forged).await.assert_status(403);
    browser
        .post(&format!("{other}/delete"), &[("csrf", &csrf)])
        .await
        .assert_status(403);
    let star_outlet = star.outlet.to_string();
    let into_star = [
        ("csrf", csrf.as_str()),
        ("name", "Sneak"),
        ("slug", "sneak"),
        ("outlet_id", star_outlet.as_str()),
        ("bio", ""),
    ];
    browser
        .post("/admin/authors", &into_star)
        .await
        .assert_status(403);
    let star_author = app
        .get(&format!("/api/v1/authors/{}", star.author), &admin.token)
        .await;
    assert_eq!(star_author.body["name"], json!("Desk"));
    assert_eq!(app.count("authors").await, 3);

    // Moving an own author to an outlet not theirs is the service's field message.
    let moved = [
        ("csrf", csrf.as_str()),
        ("name", "Amna Rahim"),
        ("slug", "amna-rahim"),
        ("outlet_id", star_outlet.as_str()),
        ("bio", "Kept bio"),
    ];
    browser
        .post(&format!("/admin/authors/{id}"), &moved)
        .await
        .assert_status(422)
        .assert_contains("must be an outlet you belong to")
        .assert_contains(">Kept bio</textarea>");
    browser
        .post(&format!("/admin/authors/{id}/delete"), &[("csrf", &csrf)])
        .await
        .assert_redirect("/admin/authors?deleted");
    assert_eq!(app.count("authors").await, 2);
}

#[actix_web::test]
async fn hostile_text_on_the_catalogue_screens_is_escaped() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    let mut boss = Browser::signed_in(&app, &admin.email).await;
    let csrf = boss.get("/admin/authors").await.hidden("csrf");
    boss.post(
        &format!("/admin/authors/{}", dawn.author),
        &[
            ("csrf", &csrf),
            ("name", hostile),
            ("slug", "dawn-desk"),
            ("outlet_id", &dawn.outlet.to_string()),
            ("bio", hostile),
        ],
    )
    .await
    .assert_status(303);
    boss.post(
        &format!("/admin/sections/{}", dawn.section),
        &[
            ("csrf", &csrf),
            ("name", hostile),
            ("slug", "dawn-news"),
            ("parent_id", ""),
            ("description", hostile),
        ],
    )
    .await
    .assert_status(303);
    for path in [
        "/admin/authors".to_owned(),
        format!("/admin/authors/{}", dawn.author),
        format!("/admin/authors/{}/delete", dawn.author),
        "/admin/sections".to_owned(),
        format!("/admin/sections/{}", dawn.section),
    ] {
        let page = boss.get(&path).await;
        page.assert_status(200)
            .assert_lacks("<script>alert")
            .assert_lacks("<img src=x")
            .assert_contains("&lt;script&gt;alert(1)");
    }
}
