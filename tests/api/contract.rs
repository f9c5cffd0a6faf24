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

/// The component schema `name`, or what a `$ref` points to.
fn schema<'d>(doc: &'d Value, node: &'d Value) -> &'d Value {
    match node["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        Some(name) => &doc["components"]["schemas"][name],
        None => node,
    }
}

/// Every `required` name of a schema, through its `$ref` and nested `allOf` parts.
fn required_of(doc: &Value, node: &Value) -> Vec<Value> {
    let node = schema(doc, node);
    let mut names = node["required"].as_array().cloned().unwrap_or_default();
    for part in node["allOf"].as_array().into_iter().flatten() {
        names.extend(required_of(doc, part));
    }
    names
}

fn nullable(property: &Value) -> bool {
    property["type"]
        .as_array()
        .is_some_and(|t| t.contains(&json!("null")))
        || property["oneOf"]
            .as_array()
            .is_some_and(|o| o.iter().any(|s| s["type"] == json!("null")))
}

#[actix_web::test]
async fn the_document_types_what_a_generated_client_needs() {
    let app = TestApp::spawn().await;
    let doc = app.get_with("/api/openapi.json", &[]).await.body;
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let mut wrong = Vec::new();

    // No schema is named after a Rust type.
    for rust in [
        "BTreeMap", "HashMap", "Vec", "Option", "String", "Value", "Map",
    ] {
        if schemas.contains_key(rust) {
            wrong.push(format!("a schema is named {rust}"));
        }
    }
    for (path, method, op) in operations(&doc) {
        // An optional body is optional, not nullable.
        for (media, content) in op["requestBody"]["content"]
            .as_object()
            .into_iter()
            .flatten()
        {
            if nullable(&content["schema"]) {
                wrong.push(format!("{method} {path}: a nullable {media} body"));
            }
            if content.get("schema").is_none() {
                wrong.push(format!("{method} {path}: a {media} body without a schema"));
            }
        }
        for (status, response) in op["responses"].as_object().expect("responses") {
            // Every answer has a schema, XML and CSV included.
            for (media, content) in response["content"].as_object().into_iter().flatten() {
                if content.get("schema").is_none() {
                    wrong.push(format!(
                        "{method} {path} {status}: {media} without a schema"
                    ));
                }
            }
            let headers = &response["headers"];
            if headers.get("X-Request-Id").is_none() {
                wrong.push(format!("{method} {path} {status}: no X-Request-Id"));
            }
            let retry = status == "429" || status == "503";
            if retry && headers.get("Retry-After").is_none() {
                wrong.push(format!("{method} {path} {status}: no Retry-After"));
            }
        }
    }
    // Page schemas refer to their item schema instead of copying it.
    for (name, page) in schemas.iter().filter(|(n, _)| n.starts_with("Page")) {
        if page["properties"]["items"]["items"]["$ref"]
            .as_str()
            .is_none()
        {
            wrong.push(format!("{name} copies its item schema"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");

    // Enum-like strings are enums.
    let enum_of = |node: &Value| schema(&doc, node)["enum"].as_array().cloned();
    let prop =
        |name: &str, field: &str| doc["components"]["schemas"][name]["properties"][field].clone();
    for (name, field, value) in [
        ("FeedItem", "event", "article.withdrawn"),
        ("Ninjs", "pubstatus", "canceled"),
        ("Accepted", "status", "accepted"),
        ("SubscriptionState", "status", "confirmed"),
        ("Issue", "status", "sending"),
        ("RowReport", "outcome", "rejected"),
        ("Live", "status", "ok"),
    ] {
        let values = enum_of(&prop(name, field)).unwrap_or_else(|| panic!("{name}.{field}"));
        assert!(values.contains(&json!(value)), "{name}.{field}: {values:?}");
    }
    let actions = enum_of(&prop("Problem", "allowed_actions")["items"]).expect("actions");
    assert!(actions.contains(&json!("publish")));
    let filter = doc["paths"]["/api/v1/subscribers"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "status")
        .unwrap()["schema"]
        .clone();
    let filter = filter["oneOf"]
        .as_array()
        .and_then(|o| o.iter().find(|s| s["type"] != json!("null")).cloned())
        .unwrap_or(filter);
    assert!(
        enum_of(&filter).is_some(),
        "the subscribers status filter: {filter}"
    );
}

#[actix_web::test]
async fn every_nullable_field_of_an_answer_is_required_and_is_sent() {
    let app = TestApp::spawn().await;
    let doc = app.get_with("/api/openapi.json", &[]).await.body;
    // Schemas of answers only (a request's optional fields may be left out).
    let mut optional = Vec::new();
    for name in [
        "ArticleView",
        "Article",
        "Partner",
        "Outlet",
        "Section",
        "Author",
        "Issue",
        "Subscriber",
        "Delivery",
        "PublicStory",
        "ApiKeyInfo",
    ] {
        let schema = &doc["components"]["schemas"][name];
        let required = schema["required"].as_array().cloned().unwrap_or_default();
        let parts = schema["allOf"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| vec![schema.clone()]);
        for part in parts {
            let required = [
                required.clone(),
                part["required"].as_array().cloned().unwrap_or_default(),
            ]
            .concat();
            for (field, property) in part["properties"].as_object().into_iter().flatten() {
                if nullable(property) && !required.contains(&json!(field)) {
                    optional.push(format!("{name}.{field}"));
                }
            }
        }
    }
    assert!(
        optional.is_empty(),
        "nullable but not required: {optional:?}"
    );

    // And the server keeps to it: a fresh draft sends its empty fields as null.
    let admin = app.admin().await;
    let desk = app.newsroom(&admin, "dawn").await;
    let draft = app.draft(&admin, &desk, "Story").await;
    let article = &doc["components"]["schemas"]["ArticleView"];
    let required = required_of(&doc, article);
    assert!(required.contains(&json!("published_at")));
    for field in required {
        let field = field.as_str().unwrap();
        assert!(
            draft.get(field).is_some(),
            "a draft leaves out required `{field}`"
        );
    }
}

#[actix_web::test]
async fn the_headers_newsroom_sends_are_declared() {
    let app = TestApp::spawn().await;
    let doc = app.get_with("/api/openapi.json", &[]).await.body;
    let header = |path: &str, method: &str, status: &str, name: &str| {
        doc["paths"][path][method]["responses"][status]["headers"]
            .get(name)
            .is_some()
    };
    let article = "/api/v1/articles/{id}";
    for (path, method, status) in [
        ("/api/v1/articles", "post", "201"),
        (article, "get", "200"),
        (article, "patch", "200"),
        ("/api/v1/articles/{id}/actions/{action}", "post", "200"),
        (
            "/api/v1/articles/{id}/revisions/{number}/restore",
            "post",
            "200",
        ),
        ("/syndication/v1/articles/{id}", "get", "200"),
    ] {
        assert!(
            header(path, method, status, "ETag"),
            "ETag: {method} {path}"
        );
    }
    for (path, method, status) in [
        ("/api/v1/articles", "post", "201"),
        ("/api/v1/articles/{id}/actions/{action}", "post", "200"),
    ] {
        assert!(
            header(path, method, status, "Idempotent-Replayed"),
            "Idempotent-Replayed: {method} {path}"
        );
    }
    for path in ["/health/live", "/health/ready"] {
        assert!(
            doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["$ref"]
                .is_string(),
            "{path} has no schema"
        );
    }
}
