//! A partner's syndication usage in the desk: requests and stories per day (a table, and a
//! chart with one bar and one point per day of the range), the service's rows per outlet, the
//! same as CSV (formula cells neutralised), a range of requests without stories, the sentence
//! of an empty range, bad dates refused by their field, and writers and editors refused.

use chrono::Duration;
use newsroom::domain::Role;
use serde_json::json;
use uuid::Uuid;

use super::Browser;
use crate::helpers::{id_str, TestApp, TestUser};

/// Two outlets' published stories fetched with the partner's key, flushed to the usage log:
/// east's first story twice and its second once, west's once. The partner's id.
async fn fetched(app: &TestApp, admin: &TestUser) -> Uuid {
    let east = app.newsroom(admin, "usage-east").await;
    let west = app.newsroom(admin, "usage-west").await;
    let mut ids = Vec::new();
    for (desk, headline) in [
        (&east, "East one"),
        (&east, "East two"),
        (&west, "West one"),
    ] {
        let id = id_str(&app.draft(admin, desk, headline).await);
        app.act(&admin.token, &id, 1, "publish", None)
            .await
            .assert_status(200);
        ids.push(id);
    }
    let (partner, key) = app.partner(admin, json!({"name": "Wire Asia"})).await;
    for id in [&ids[0], &ids[0], &ids[1], &ids[2]] {
        app.syndication(&key, &format!("/syndication/v1/articles/{id}"))
            .await
            .assert_status(200);
    }
    let written = app.state.usage.flush(&app.state.db).await.expect("a flush");
    assert_eq!(written, 4);
    partner
}

#[actix_web::test]
async fn an_admin_sees_the_usage_as_a_table_a_chart_and_the_same_rows_as_csv() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let partner = fetched(&app, &admin).await;
    let today = app.clock.now().date_naive();
    let mut browser = Browser::signed_in(&app, &admin.email).await;

    browser
        .get(&format!("/admin/partners/{partner}"))
        .await
        .assert_status(200)
        .assert_contains(&format!("href=\"/admin/partners/{partner}/usage\""));
    let page = browser
        .get(&format!("/admin/partners/{partner}/usage"))
        .await;
    page.assert_status(200)
        .assert_contains("Syndication usage of Wire Asia")
        .assert_contains(&format!(
            "<tr><td>{today}</td><td data-label=\"Outlet\">usage-east</td><td data-label=\"Fetched\" class=\"usage-fetches\">3</td><td data-label=\"Distinct\" class=\"usage-stories\">2</td></tr>"
        ))
        .assert_contains(&format!(
            "<tr><td>{today}</td><td data-label=\"Outlet\">usage-west</td><td data-label=\"Fetched\" class=\"usage-fetches\">1</td><td data-label=\"Distinct\" class=\"usage-stories\">1</td></tr>"
        ))
        .assert_contains("4 requests; 4 stories fetched in all, 3 distinct")
        .assert_contains(&format!(
            "<tr><td>{today}</td><td data-label=\"Requests\" class=\"usage-requests\">4</td><td data-label=\"Stories fetched\" class=\"usage-day-fetches\">4</td><td data-label=\"Distinct\">3</td></tr>"
        ))
        .assert_contains(&format!("<title>{today}: 4 requests</title>"))
        .assert_contains("Orange dots and line: requests per day.")
        .assert_contains("role=\"img\" aria-labelledby=\"chart-title chart-desc\"")
        .assert_contains(&format!(
            "<rect class=\"usage-bar\" data-day=\"{today}\""
        ));
    // The last 30 days by default: one bar and one point a day.
    assert_eq!(page.text.matches("class=\"usage-bar\"").count(), 30);
    assert_eq!(page.text.matches("class=\"usage-point\"").count(), 30);
    let first = today - Duration::days(29);
    page.assert_contains(&format!("data-day=\"{first}\""));

    // A range of two days: two bars.
    let yesterday = today - Duration::days(1);
    let range = format!("from={yesterday}&to={today}");
    let two = browser
        .get(&format!("/admin/partners/{partner}/usage?{range}"))
        .await;
    two.assert_status(200)
        .assert_contains(&format!("value=\"{yesterday}\""));
    assert_eq!(two.text.matches("class=\"usage-bar\"").count(), 2);
    assert_eq!(two.text.matches("class=\"usage-point\"").count(), 2);
    two.assert_contains(&super::href(&format!(
        "/admin/partners/{partner}/usage.csv?{range}"
    )));

    let csv = browser
        .get(&format!("/admin/partners/{partner}/usage.csv?{range}"))
        .await;
    csv.assert_status(200);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(
        csv.header("content-disposition"),
        Some(format!("attachment; filename=\"usage-{partner}-{yesterday}-{today}.csv\"").as_str())
    );
    assert_eq!(
        csv.text,
        format!("day,outlet,requests,fetches,stories\n{today},,4,,\n{today},usage-east,,3,2\n{today},usage-west,,1,1\n")
    );

    // A cell a spreadsheet would run (a slug written by hand) is neutralised.
    sqlx::query("update outlets set slug = '=HYPERLINK(\"x\")' where slug = 'usage-west'")
        .execute(&app.state.db)
        .await
        .expect("the update");
    let csv = browser
        .get(&format!("/admin/partners/{partner}/usage.csv?{range}"))
        .await;
    csv.assert_status(200);
    assert!(
        csv.text
            .contains(&format!("{today},\"'=HYPERLINK(\"\"x\"\")\",,1,1\n")),
        "{}",
        csv.text
    );
}

#[actix_web::test]
async fn an_empty_range_says_so_without_a_chart_and_bad_dates_are_refused_by_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let partner = fetched(&app, &admin).await;
    let today = app.clock.now().date_naive();
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let path = format!("/admin/partners/{partner}/usage");

    let (from, to) = (today - Duration::days(10), today - Duration::days(5));
    let empty = browser.get(&format!("{path}?from={from}&to={to}")).await;
    empty
        .assert_status(200)
        .assert_contains(&format!(
            "Wire Asia made no requests and fetched no stories from {from} to {to}."
        ))
        .assert_lacks("<svg")
        .assert_lacks("<table");
    let csv = browser
        .get(&format!("{path}.csv?from={from}&to={to}"))
        .await;
    csv.assert_status(200);
    assert_eq!(csv.text, "day,outlet,requests,fetches,stories\n");

    for (query, field, message) in [
        ("from=06%2F12%2F2026", "from", "must be a date, YYYY-MM-DD"),
        ("to=2026-13-01", "to", "must be a date, YYYY-MM-DD"),
        (
            &*format!("from={today}&to={from}"),
            "from",
            "must not be after `to`",
        ),
        (
            "from=2020-01-01&to=2026-01-01",
            "to",
            "the report covers at most 366 days",
        ),
    ] {
        for url in [format!("{path}?{query}"), format!("{path}.csv?{query}")] {
            let page = browser.get(&url).await;
            page.assert_status(422)
                .assert_contains(&format!("id=\"{field}-error\""))
                .assert_contains(message)
                .assert_contains("Nothing is shown: see the message next to the dates.")
                .assert_lacks("<svg");
            assert_eq!(
                page.header("content-type"),
                Some("text/html; charset=utf-8")
            );
        }
    }
}

#[actix_web::test]
async fn requests_that_fetched_nothing_are_drawn_and_listed() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (partner, key) = app.partner(&admin, json!({"name": "Poller"})).await;
    for _ in 0..3 {
        let feed = app.syndication(&key, "/syndication/v1/articles").await;
        feed.assert_status(200);
        assert_eq!(feed.body["items"], json!([]));
    }
    app.state.usage.flush(&app.state.db).await.expect("a flush");
    let today = app.clock.now().date_naive();
    let mut browser = Browser::signed_in(&app, &admin.email).await;
    let page = browser
        .get(&format!("/admin/partners/{partner}/usage"))
        .await;
    page.assert_status(200)
        .assert_contains("3 requests; 0 stories fetched in all")
        .assert_contains(
            "<td data-label=\"Requests\" class=\"usage-requests\">3</td><td data-label=\"Stories fetched\" class=\"usage-day-fetches\">0</td>",
        )
        .assert_contains(&format!("<title>{today}: 3 requests</title>"))
        .assert_contains("No stories fetched in this range: only requests.")
        .assert_lacks("usage-caption");
    assert_eq!(page.text.matches("class=\"usage-point\"").count(), 30);
    let csv = browser
        .get(&format!("/admin/partners/{partner}/usage.csv"))
        .await;
    csv.assert_status(200);
    assert_eq!(
        csv.text,
        format!("day,outlet,requests,fetches,stories\n{today},,3,,\n")
    );
}

#[actix_web::test]
async fn writers_and_editors_are_refused_the_usage_screen_and_its_csv() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dawn = app.outlet(&admin, "dawn").await;
    let (partner, _) = app.partner(&admin, json!({"name": "Wire"})).await;
    for role in [Role::Writer, Role::Editor] {
        let user = app.user(role, &[dawn]).await;
        let mut browser = Browser::signed_in(&app, &user.email).await;
        for path in [
            format!("/admin/partners/{partner}/usage"),
            format!("/admin/partners/{partner}/usage?from=bad"),
            format!("/admin/partners/{partner}/usage.csv"),
        ] {
            let page = browser.get(&path).await;
            page.assert_status(403)
                .assert_contains("You may not see or change partners.");
            assert_eq!(
                page.header("content-type"),
                Some("text/html; charset=utf-8")
            );
        }
    }
}
