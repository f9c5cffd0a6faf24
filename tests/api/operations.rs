//! Health checks, the OpenAPI document, the docs page and request ids.

use actix_web::http::Method;

use crate::helpers::TestApp;

#[actix_web::test]
async fn liveness_and_readiness_answer_200_with_a_database() {
    let app = TestApp::spawn().await;
    app.call(Method::GET, "/health/live", None, None)
        .await
        .assert_status(200);
    app.call(Method::GET, "/health/ready", None, None)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn readiness_is_503_when_the_database_does_not_answer() {
    let app = TestApp::spawn_without_database().await;
    app.call(Method::GET, "/health/live", None, None)
        .await
        .assert_status(200);
    app.call(Method::GET, "/health/ready", None, None)
        .await
        .assert_problem(503);
}

#[actix_web::test]
async fn the_openapi_document_is_3_1_and_lists_every_route() {
    let app = TestApp::spawn().await;
    let res = app.call(Method::GET, "/api/openapi.json", None, None).await;
    res.assert_status(200);
    assert!(res.body["openapi"].as_str().unwrap().starts_with("3.1"));
    let expected = [
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/me/password", "put"),
        ("/api/v1/users", "get"),
        ("/api/v1/users", "post"),
        ("/api/v1/users/{id}", "get"),
        ("/api/v1/users/{id}", "patch"),
        ("/api/v1/users/{id}", "delete"),
        ("/api/v1/audit", "get"),
        ("/api/v1/articles", "get"),
        ("/api/v1/articles", "post"),
        ("/api/v1/articles/{id}", "get"),
        ("/api/v1/articles/{id}", "patch"),
        ("/api/v1/articles/{id}", "delete"),
        ("/api/v1/articles/{id}/actions/{action}", "post"),
        ("/api/v1/articles/{id}/revisions", "get"),
        ("/api/v1/articles/{id}/revisions/{number}", "get"),
        ("/api/v1/articles/{id}/revisions/{number}/diff", "get"),
        ("/api/v1/articles/{id}/revisions/{number}/restore", "post"),
        ("/health/live", "get"),
        ("/health/ready", "get"),
    ];
    let mut missing: Vec<String> = expected
        .iter()
        .filter(|(path, method)| res.body["paths"][path][method].is_null())
        .map(|(path, method)| format!("{method} {path}"))
        .collect();
    for resource in ["outlets", "sections", "authors"] {
        for (path, methods) in [
            (format!("/api/v1/{resource}"), &["get", "post"][..]),
            (
                format!("/api/v1/{resource}/{{key}}"),
                &["get", "patch", "delete"][..],
            ),
        ] {
            for method in methods {
                if res.body["paths"][&path][method].is_null() {
                    missing.push(format!("{method} {path}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "undocumented routes: {missing:?}");
    let mut ids: Vec<&str> = res.body["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| {
            item.as_object()
                .unwrap()
                .values()
                .filter_map(|op| op["operationId"].as_str())
        })
        .collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "operation ids are unique");
}

#[actix_web::test]
async fn the_docs_page_is_served_without_any_download() {
    let app = TestApp::spawn().await;
    let res = app.call(Method::GET, "/api/docs/", None, None).await;
    res.assert_status(200);
    assert!(
        res.text.contains("swagger-ui"),
        "{}",
        &res.text[..res.text.len().min(300)]
    );
    let bundle = app
        .call(Method::GET, "/api/docs/swagger-ui-bundle.js", None, None)
        .await;
    bundle.assert_status(200);
}

#[actix_web::test]
async fn the_docs_page_without_its_slash_redirects_to_it() {
    let app = TestApp::spawn().await;
    let client = awc::Client::builder().disable_redirects().finish();
    let res = client.get(app.url("/api/docs")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 308);
    assert_eq!(res.headers().get("location").unwrap(), "/api/docs/");
    // Followed, it lands on the page.
    let page = app.call(Method::GET, "/api/docs", None, None).await;
    page.assert_status(200);
    assert!(page.text.contains("swagger-ui"));
}

#[actix_web::test]
async fn every_response_carries_a_request_id_and_a_sane_incoming_one_is_kept() {
    let app = TestApp::spawn().await;
    let res = app.call(Method::GET, "/health/live", None, None).await;
    assert!(res.header("x-request-id").is_some_and(|id| id.len() >= 16));
    let res = app.call(Method::GET, "/nowhere", None, None).await;
    assert!(res.header("x-request-id").is_some());
    let client = awc::Client::default();
    let kept = client
        .get(app.url("/health/live"))
        .insert_header(("x-request-id", "edge-abc.123"))
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers().get("x-request-id").unwrap(), "edge-abc.123");
    let replaced = client
        .get(app.url("/health/live"))
        .insert_header(("x-request-id", "bad id\" <script>"))
        .send()
        .await
        .unwrap();
    assert_ne!(
        replaced.headers().get("x-request-id").unwrap(),
        "bad id\" <script>"
    );
}

#[actix_web::test]
async fn every_answer_forbids_sniffing_framing_and_scripts_but_the_docs_page_runs_its_own_from_here(
) {
    let app = TestApp::spawn().await;
    for path in [
        "/health/live",
        "/nowhere",
        "/api/openapi.json",
        "/api/docs/",
    ] {
        let res = app.call(Method::GET, path, None, None).await;
        assert_eq!(
            res.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(res.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(res.header("referrer-policy"), Some("no-referrer"), "{path}");
        let csp = res.header("content-security-policy");
        if path.starts_with("/api/docs") {
            // Swagger UI runs its own scripts: from this origin only, nothing inline or eval'd.
            let csp = csp.unwrap_or_else(|| panic!("{path} has no content security policy"));
            assert!(csp.contains("default-src 'none'"), "{csp}");
            assert!(csp.contains("script-src 'self';"), "{csp}");
            assert!(csp.contains("connect-src 'self'"), "{csp}");
            assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
            assert!(
                !csp.contains("unsafe-eval") && !csp.contains("http"),
                "{csp}"
            );
        } else {
            let csp = csp.unwrap_or_else(|| panic!("{path} has no content security policy"));
            assert!(csp.contains("default-src 'none'"), "{csp}");
            assert!(!csp.contains("script-src"), "{csp}");
        }
    }
}
