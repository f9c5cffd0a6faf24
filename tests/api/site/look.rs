//! An outlet's look: its colour (`#rrggbb`, checked; the text on it computed for WCAG AA) and
//! its logo (a picture of its own library) through the API and the desk's form, shown on its
//! page and its stories by a band and a per-outlet stylesheet (no inline style).

use serde_json::json;

use crate::desk::Browser;
use crate::helpers::TestApp;
use crate::media::{pictures, uploaded_by};

#[actix_web::test]
async fn an_outlets_colour_and_logo_are_checked_and_shown_on_its_pages() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.newsroom(&admin, "dawn").await;
    let star = app.newsroom(&admin, "star").await;
    app.published(&admin, &dawn, "Budget passes", json!({}))
        .await;
    let theirs = uploaded_by(&app, &admin, star.outlet, &pictures::jpeg(400, 100)).await;
    let ours = uploaded_by(&app, &admin, dawn.outlet, &pictures::jpeg(480, 120)).await;

    for (body, field) in [
        (json!({"colour": "blue"}), "colour"),
        (json!({"colour": "#12345"}), "colour"),
        (json!({"colour": "#1a4f8b;}body{x:y"}), "colour"),
        (json!({"logo_id": theirs}), "logo_id"),
        (json!({"logo_id": uuid::Uuid::nil()}), "logo_id"),
    ] {
        let res = app.patch("/api/v1/outlets/dawn", &admin.token, body).await;
        res.assert_status(422);
        assert!(res.body.to_string().contains(field), "{}", res.body);
    }
    let unchanged = app.get("/api/v1/outlets/dawn", &admin.token).await;
    assert_eq!(unchanged.body["colour"], json!(null));
    assert_eq!(unchanged.body["logo_id"], json!(null));
    let created = app
        .post(
            "/api/v1/outlets",
            &admin.token,
            json!({"slug": "tide", "name": "Tide", "country": "SG", "language": "en",
                   "colour": "#FFD500"}),
        )
        .await;
    created.assert_status(201);
    assert_eq!(created.body["colour"], json!("#ffd500"));

    app.patch(
        "/api/v1/outlets/dawn",
        &admin.token,
        json!({"colour": "#1A4F8B", "logo_id": ours}),
    )
    .await
    .assert_status(200);
    let public = app.get_with("/public/v1/outlets", &[]).await;
    let dawn_public = public.body["items"]
        .as_array()
        .and_then(|items| items.iter().find(|o| o["slug"] == "dawn"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(dawn_public["colour"], json!("#1a4f8b"));
    assert_eq!(dawn_public["text_colour"], json!("#ffffff"));
    let logo = dawn_public["logo"]["href"].as_str().unwrap_or_default();
    assert!(
        logo.starts_with("/media/") && logo.ends_with(".webp"),
        "{logo}"
    );
    let tide = app.get_with("/public/v1/outlets", &[]).await;
    assert!(tide
        .text
        .contains("\"colour\":\"#ffd500\",\"text_colour\":\"#000000\""));

    let mut browser = Browser::new(&app);
    for path in ["/dawn", "/dawn/budget-passes"] {
        let page = super::get(&mut browser, path).await;
        page.assert_status(200)
            .assert_contains("<link rel=\"stylesheet\" href=\"/look/dawn.css?v=")
            .assert_contains(
                "<nav class=\"outlet-band\" aria-label=\"Outlet\"><a href=\"/dawn\"><img class=\"outlet-logo\"",
            )
            .assert_contains(&format!("src=\"{logo}\""))
            .assert_contains("alt=\"The dawn\"")
            .assert_lacks("style=");
    }
    // Another outlet's story has its own band and no colour of dawn's.
    app.published(&admin, &star, "Star story", json!({})).await;
    super::get(&mut browser, "/star/star-story")
        .await
        .assert_contains(
            "<nav class=\"outlet-band\" aria-label=\"Outlet\"><a href=\"/star\">The star</a></nav>",
        )
        .assert_lacks("/look/");

    let page = super::get(&mut browser, "/dawn").await;
    let start = page.text.find("/look/dawn.css?v=").unwrap_or(0);
    let len = page.text[start..].find('"').unwrap_or(0);
    let href = page.text[start..start + len].to_owned();
    let css = browser.get(&href).await;
    css.assert_status(200)
        .assert_contains(":root{--outlet-bg:#1a4f8b;--outlet-fg:#ffffff}");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(
        css.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let stale = browser.get("/look/dawn.css?v=old").await;
    stale.assert_status(200);
    assert_eq!(
        stale.header("cache-control"),
        Some("public, max-age=60, stale-while-revalidate=300")
    );
    browser.get("/look/nowhere.css").await.assert_status(404);

    // A picture in use as a logo cannot be deleted.
    let gone = app
        .delete(&format!("/api/v1/media/{ours}"), &admin.token)
        .await;
    assert_eq!(gone.status.as_u16(), 409, "{}", gone.text);
}

#[actix_web::test]
async fn the_desks_outlet_form_sets_and_refuses_a_colour() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let id = app.outlet(&admin, "dawn").await;
    let mut boss = Browser::signed_in(&app, &admin.email).await;
    let edit = boss.get(&format!("/admin/outlets/{id}")).await;
    edit.assert_status(200)
        .assert_contains("name=\"colour\"")
        .assert_contains("name=\"logo_id\"");
    let csrf = edit.hidden("csrf");
    let form = |colour: &'static str, logo: &'static str| {
        vec![
            ("name", "The dawn"),
            ("slug", "dawn"),
            ("country", "SG"),
            ("language", "en"),
            ("timezone", "UTC"),
            ("website", ""),
            ("description", ""),
            ("colour", colour),
            ("logo_id", logo),
        ]
    };
    for (colour, logo, message) in [
        ("navy", "", "must be a colour written #rrggbb"),
        ("#102030", "not-an-id", "is not one of the choices"),
        (
            "#102030",
            "00000000-0000-0000-0000-000000000000",
            "must be a picture of this outlet",
        ),
    ] {
        let mut fields = form(colour, logo);
        fields.push(("csrf", &csrf));
        let page = boss.post(&format!("/admin/outlets/{id}"), &fields).await;
        page.assert_status(422).assert_contains(message);
    }
    let stored = app.get("/api/v1/outlets/dawn", &admin.token).await;
    assert_eq!(stored.body["colour"], json!(null));
    let mut fields = form("#102030", "");
    fields.push(("csrf", &csrf));
    boss.post(&format!("/admin/outlets/{id}"), &fields)
        .await
        .assert_redirect(&format!("/admin/outlets/{id}?saved"));
    let stored = app.get("/api/v1/outlets/dawn", &admin.token).await;
    assert_eq!(stored.body["colour"], json!("#102030"));
    boss.get(&format!("/admin/outlets/{id}"))
        .await
        .assert_contains("value=\"#102030\"");
}
