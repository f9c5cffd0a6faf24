//! The HTTP families and the listener itself: a route is labelled by its pattern, however many
//! ids clients ask for; the metrics are served on their own listener only.

use uuid::Uuid;

use super::Listener;
use crate::helpers::TestApp;

#[actix_web::test]
async fn two_hundred_article_ids_leave_one_route_label_for_their_route() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let metrics = Listener::start(&app);
    let ids: Vec<Uuid> = (0..200).map(|_| Uuid::now_v7()).collect();
    for id in &ids {
        app.get(&format!("/api/v1/articles/{id}"), &admin.token)
            .await
            .assert_problem(404);
    }
    app.get("/no/such/path/42", &admin.token)
        .await
        .assert_problem(404);

    let scrape = metrics.scrape(&app).await;
    let route = [
        ("route", "/api/v1/articles/{id}"),
        ("method", "GET"),
        ("status", "4xx"),
    ];
    assert_eq!(scrape.value("newsroom_http_requests_total", &route), 200.0);
    assert_eq!(
        scrape.value("newsroom_http_request_duration_seconds_count", &route),
        200.0
    );
    let article_routes: Vec<_> = scrape
        .samples("newsroom_http_requests_total", &[])
        .into_iter()
        .filter(|(series, _)| series.contains("/api/v1/articles/"))
        .collect();
    assert_eq!(article_routes.len(), 1, "{article_routes:?}");
    assert!(
        ids.iter().all(|id| !scrape.text.contains(&id.to_string())),
        "no raw id in any label"
    );
    assert_eq!(
        scrape.value(
            "newsroom_http_requests_total",
            &[("route", "unmatched"), ("status", "4xx")]
        ),
        1.0
    );
    assert_eq!(
        scrape.value("newsroom_http_requests_in_flight", &[]),
        0.0,
        "every request ended"
    );
}

#[actix_web::test]
async fn metrics_are_on_their_own_listener_in_the_format_the_scraper_asks_for() {
    let app = TestApp::spawn().await;
    let metrics = Listener::start(&app);
    let public = app.get_with("/metrics", &[]).await;
    public.assert_problem(404);

    let plain = metrics.scrape(&app).await;
    assert!(plain.content_type.starts_with("text/plain; version=0.0.4"));
    assert!(!plain.text.contains("# EOF"));
    let open = metrics
        .scrape_as_is("application/openmetrics-text; version=1.0.0,text/plain;q=0.5")
        .await;
    assert!(open
        .content_type
        .starts_with("application/openmetrics-text; version=1.0.0"));
    assert!(open.text.ends_with("# EOF\n"), "{}", open.text);
    assert_eq!(
        open.value(
            "newsroom_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))]
        ),
        1.0
    );
    for family in [
        "process_cpu_seconds_total",
        "process_resident_memory_bytes",
        "process_open_fds",
        "process_max_fds",
        "process_start_time_seconds",
    ] {
        assert!(plain.value(family, &[]) > 0.0, "{family}");
    }

    let other = awc::Client::new()
        .get(metrics.url("/api/v1/articles"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        other.status(),
        404,
        "the metrics listener serves nothing else"
    );
}
