//! What the contract fuzzer (`scripts/fuzz-api`, schemathesis) checks, pinned as tests: the
//! OpenAPI document declares every answer the server gives, and the server keeps to it.

use actix_web::http::Method;
use newsroom::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{id_str, TestApp};

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// Every (path, method, operation) of the document.
fn operations(doc: &Value) -> Vec<(String, &'static str, &Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                all.push((path.clone(), method, op));
            }
        }
    }
    all
}

#[actix_web::test]
async fn every_declared_problem_is_problem_json_and_common_ones_are_declared() {
    let app = TestApp::spawn().await;
    let doc = app.get_with("/api/openapi.json", &[]).await.body;
    let mut wrong = Vec::new();
    for (path, method, op) in operations(&doc) {
        let responses = op["responses"].as_object().expect("responses");
        for (status, response) in responses {
            let is_error = status.starts_with('4') || status.starts_with('5');
            if let (true, Some(content)) = (is_error, response["content"].as_object()) {
                if content.keys().any(|k| k != "application/problem+json") {
                    wrong.push(format!("{method} {path} {status}: {:?}", content.keys()));
                }
            }
        }
        let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
        let json_body = op["requestBody"]["content"]
            .get("application/json")
            .is_some();
        let path_param = path.contains('{');
        let needs = [
            ("401", secured),
            ("403", secured),
            ("413", json_body),
            ("415", json_body),
            ("404", path_param),
        ];
        for (status, needed) in needs {
            if needed && !responses.contains_key(status) {
                wrong.push(format!("{method} {path} does not declare {status}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[actix_web::test]
async fn every_security_scheme_used_is_defined_and_limits_have_their_range() {
    let app = TestApp::spawn().await;
    let doc = app.get_with("/api/openapi.json", &[]).await.body;
    let schemes = doc["components"]["securitySchemes"]
        .as_object()
        .expect("security schemes");
    for (path, method, op) in operations(&doc) {
        for requirement in op["security"].as_array().into_iter().flatten() {
            for name in requirement.as_object().expect("requirement").keys() {
                assert!(schemes.contains_key(name), "{method} {path} uses {name}");
            }
        }
        for param in op["parameters"].as_array().into_iter().flatten() {
            if param["name"] == "limit" {
                let schema = &param["schema"];
                assert_eq!(schema["minimum"], json!(1), "{method} {path}");
                assert_eq!(schema["maximum"], json!(100), "{method} {path}");
            }
        }
    }
}

#[actix_web::test]
async fn a_wrong_method_is_405_with_the_documented_methods_in_allow() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let cases = [
        (Method::PUT, "/api/v1/outlets", "GET, POST"),
        (Method::TRACE, "/health/live", "GET"),
        (Method::POST, "/public/v1/sitemap-2.xml", "GET"),
        (Method::PUT, "/api/v1/subscribers/export.csv", "GET"),
        (
            Method::PUT,
            "/api/v1/articles/0190a1b2-0000-7000-8000-000000000000",
            "GET, DELETE, PATCH",
        ),
    ];
    for (method, path, allow) in cases {
        let res = app.call(method, path, Some(&admin.token), None).await;
        res.assert_problem(405);
        assert_eq!(res.header("allow"), Some(allow), "{path}");
    }
}

#[actix_web::test]
async fn a_null_action_body_is_the_same_as_none() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let writer = app.user(Role::Writer, &[desk.outlet]).await;
    let id = id_str(&app.draft(&writer, &desk, "Story").await);
    let res = app
        .act(&writer.token, &id, 1, "submit", Some(Value::Null))
        .await;
    res.assert_status(200);
    assert_eq!(res.body["status"], json!("in_review"));
}
