//! A body must be a JSON object, on every route that takes one, and a body of the wrong shape
//! is told in JSON's words: the field, and what JSON was expected, never a Rust type. The
//! routes come from the OpenAPI document, so a new route is covered the day it is added.

use actix_web::http::Method;
use serde_json::{json, Value};

use super::footprint;
use crate::helpers::TestApp;

/// Every operation of the document that takes a JSON body: (method, path with its
/// parameters filled in, the body's schema).
fn json_routes(doc: &Value) -> Vec<(Method, String, Value)> {
    let mut routes = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let Some(schema) = op["requestBody"]["content"]["application/json"].get("schema")
            else {
                continue;
            };
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
            routes.push((method, filled(path), resolve(doc, schema)));
        }
    }
    assert!(routes.len() >= 20, "only {} JSON routes", routes.len());
    routes
}

/// A path with values that get past its parameters' parsing, so the body is what is judged.
fn filled(path: &str) -> String {
    path.split('/')
        .map(|part| match part {
            "{id}" | "{key_id}" => "0190a1b2-0000-7000-8000-000000000000",
            "{number}" => "1",
            "{action}" => "submit",
            p if p.starts_with('{') => "x",
            p => p,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The schema itself when `schema` is a `$ref` (or a `oneOf` with one), else `schema`.
fn resolve(doc: &Value, schema: &Value) -> Value {
    let target = schema["$ref"].as_str().or_else(|| {
        schema["oneOf"]
            .as_array()?
            .iter()
            .find_map(|s| s["$ref"].as_str())
    });
    match target.and_then(|r| r.strip_prefix("#/components/schemas/")) {
        Some(name) => doc["components"]["schemas"][name].clone(),
        None => schema.clone(),
    }
}

/// Words that would mean a message talks about Rust instead of JSON.
fn rust_words(doc: &Value) -> Vec<String> {
    let mut words: Vec<String> = [
        "struct", "enum", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "f32",
        "f64", "sequence", "map", "Option", "Vec", "String", "Uuid", "DateTime", "BTreeMap",
    ]
    .map(str::to_owned)
    .to_vec();
    words.extend(
        doc["components"]["schemas"]
            .as_object()
            .expect("schemas")
            .keys()
            .cloned(),
    );
    words
}

#[track_caller]
fn assert_json_words(words: &[String], context: &str, problem: &Value) {
    let text = problem.to_string();
    for word in words {
        let named = text
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|token| token == word);
        assert!(!named, "{context}: `{word}` in {text}");
    }
}

#[actix_web::test]
async fn an_array_body_is_refused_on_every_route_that_takes_json() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let doc = app.get_with("/api/openapi.json", &[]).await.body;
    let words = rust_words(&doc);
    let before = footprint(&app).await;
    for (method, path, _) in json_routes(&doc) {
        let res = app
            .call_raw(
                method.clone(),
                &path,
                Some(&admin.token),
                Some("application/json"),
                br#"[null, "Renamed", null, null]"#.to_vec(),
            )
            .await;
        let context = format!("{method} {path}");
        assert_eq!(res.status.as_u16(), 422, "{context}: {}", res.text);
        res.assert_problem(422);
        assert_eq!(
            res.field_errors("body"),
            vec!["invalid type: array, expected a JSON object".to_owned()],
            "{context}"
        );
        assert_json_words(&words, &context, &res.body);
    }
    assert_eq!(footprint(&app).await, before);
}

#[actix_web::test]
async fn a_section_is_not_renamed_and_nobody_signs_in_by_position() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let created = app
        .post(
            "/api/v1/sections",
            &admin.token,
            json!({"slug": "economics", "name": "Economics"}),
        )
        .await;
    created.assert_status(201);
    app.call_raw(
        Method::PATCH,
        "/api/v1/sections/economics",
        Some(&admin.token),
        Some("application/json"),
        br#"[null, "Renamed", null, null]"#.to_vec(),
    )
    .await
    .assert_problem(422);
    let section = app.get("/api/v1/sections/economics", &admin.token).await;
    assert_eq!(section.body["name"], json!("Economics"));

    let login = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!([admin.email, crate::helpers::PASSWORD])),
        )
        .await;
    login.assert_problem(422);
    assert!(login.body.get("token").is_none());
}

#[actix_web::test]
async fn a_field_of_the_wrong_type_is_named_in_json_words_on_every_route() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let doc = app.get_with("/api/openapi.json", &[]).await.body;
    let words = rust_words(&doc);
    let before = footprint(&app).await;
    let mut checked = 0;
    for (method, path, schema) in json_routes(&doc) {
        for name in schema["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            // An object where a string, number, flag, list or id belongs.
            let body = json!({ name: {"nested": true} });
            let res = app
                .call(method.clone(), &path, Some(&admin.token), Some(body))
                .await;
            let context = format!("{method} {path} `{name}`");
            assert_eq!(res.status.as_u16(), 422, "{context}: {}", res.text);
            // A nested object names the field inside it (`focal_point.x`).
            let named = res.body["errors"]
                .as_object()
                .into_iter()
                .flatten()
                .any(|(key, _)| key == name || key.starts_with(&format!("{name}.")));
            assert!(named, "{context}: the field is not named: {}", res.text);
            assert_json_words(&words, &context, &res.body);
            checked += 1;
        }
    }
    assert!(checked >= 80, "only {checked} fields checked");
    assert_eq!(footprint(&app).await, before);
}
