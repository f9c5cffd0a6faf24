//! The last pass over the document: what makes it a contract a generator turns into a typed
//! client (`scripts/client-check` generates one and runs an editor's and a partner's flow
//! through it). Each rule is stated once here rather than on every handler:
//!
//! - an optional request body is optional (`required: false`), not a body that may be `null`;
//! - a schema is referenced by `$ref` wherever it is used, never copied inline (utoipa inlines
//!   the item schema of a generic `Page<T>`);
//! - in a response, a field that may be empty is `null`, never left out (docs/api.md), so
//!   every nullable property of a response schema is `required`; a field that may be left
//!   out is declared non-nullable (`#[schema(nullable = false)]`);
//! - the headers newsroom sends are declared: `X-Request-Id` on every answer, `Retry-After`
//!   on 429 and 503, `ETag` where a version or a conditional GET goes with the answer, and
//!   `Idempotent-Replayed` where an `Idempotency-Key` may replay one;
//! - a problem's `allowed_actions` are the articles' `Action`s;
//! - a body that is not JSON (CSV, XML, a picture) has a schema: text, or bytes for an
//!   upload or a picture.
//!
//! The pass works on the document as JSON, which is what generators read.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};
use utoipa::openapi::OpenApi;
use utoipa::Modify;

pub struct Contract;

impl Modify for Contract {
    fn modify(&self, openapi: &mut OpenApi) {
        let mut doc = match serde_json::to_value(&*openapi) {
            Ok(doc) => doc,
            Err(err) => {
                tracing::error!(error = %err, "the OpenAPI document is not JSON");
                return;
            }
        };
        optional_bodies(&mut doc);
        refs_for_copies(&mut doc);
        always_sent(&mut doc);
        headers(&mut doc);
        typed_problem(&mut doc);
        text_bodies(&mut doc);
        // Every change above is to schemas and headers utoipa itself reads back; the
        // contract tests (tests/api/contract.rs) fail should that ever stop being so.
        match serde_json::from_value(doc) {
            Ok(done) => *openapi = done,
            Err(err) => tracing::error!(error = %err, "the OpenAPI contract pass failed"),
        }
    }
}

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// Every operation of the document.
fn operations(doc: &mut Value) -> Vec<&mut Value> {
    let Some(paths) = doc["paths"].as_object_mut() else {
        return Vec::new();
    };
    paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| {
            item.iter_mut()
                .filter(|(method, _)| METHODS.contains(&method.as_str()))
                .map(|(_, op)| op)
        })
        .collect()
}

fn is_null(schema: &Value) -> bool {
    schema.get("type") == Some(&json!("null"))
}

/// `{"oneOf": [{"type": "null"}, X]}` as a request body becomes `X`, not required.
fn optional_bodies(doc: &mut Value) {
    for op in operations(doc) {
        let Some(body) = op.get_mut("requestBody") else {
            continue;
        };
        let mut optional = false;
        for media in body["content"].as_object_mut().into_iter().flatten() {
            let schema = &mut media.1["schema"];
            let Some(one_of) = schema["oneOf"].as_array() else {
                continue;
            };
            let rest: Vec<&Value> = one_of.iter().filter(|s| !is_null(s)).collect();
            if rest.len() == 1 && one_of.len() == 2 {
                *schema = rest[0].clone();
                optional = true;
            }
        }
        if optional {
            body["required"] = json!(false);
        }
    }
}

/// Replaces every inline copy of a component schema with a `$ref` to it.
fn refs_for_copies(doc: &mut Value) {
    let components: Vec<(String, Value)> = doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, schema)| {
            ["properties", "enum", "allOf"]
                .iter()
                .any(|key| schema.get(key).is_some())
        })
        .map(|(name, schema)| (name.clone(), schema.clone()))
        .collect();
    let replace = |node: &mut Value| {
        if let Some((name, _)) = components.iter().find(|(_, schema)| schema == node) {
            *node = json!({ "$ref": format!("#/components/schemas/{name}") });
            true
        } else {
            false
        }
    };
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        for schema in schemas.values_mut() {
            walk_children(schema, &replace);
        }
    }
    for op in operations(doc) {
        walk_children(op, &replace);
    }
}

/// Calls `replace` on every node below `node` (not on `node` itself), and goes on below the
/// nodes it did not replace.
fn walk_children(node: &mut Value, replace: &impl Fn(&mut Value) -> bool) {
    let children: Vec<&mut Value> = match node {
        Value::Object(map) => map.values_mut().collect(),
        Value::Array(items) => items.iter_mut().collect(),
        _ => return,
    };
    for child in children {
        if !replace(child) {
            walk_children(child, replace);
        }
    }
}

/// The names of the component schemas that `node` refers to, directly or through others.
fn referenced(doc: &Value, node: &Value, into: &mut BTreeSet<String>) {
    match node {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                if into.insert(name.to_owned()) {
                    referenced(doc, &doc["components"]["schemas"][name], into);
                }
            }
            for value in map.values() {
                referenced(doc, value, into);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| referenced(doc, v, into)),
        _ => {}
    }
}

fn nullable(schema: &Value) -> bool {
    let in_type = schema["type"]
        .as_array()
        .is_some_and(|types| types.contains(&json!("null")));
    let in_one_of = schema["oneOf"]
        .as_array()
        .is_some_and(|options| options.iter().any(is_null));
    in_type || in_one_of
}

/// Makes every nullable property of a schema only responses use `required`.
fn always_sent(doc: &mut Value) {
    let (mut inputs, mut outputs) = (BTreeSet::new(), BTreeSet::new());
    let snapshot = doc.clone();
    for op in operations(&mut doc.clone()) {
        referenced(&snapshot, &op["requestBody"], &mut inputs);
        referenced(&snapshot, &op["parameters"], &mut inputs);
        referenced(&snapshot, &op["responses"], &mut outputs);
    }
    let Some(schemas) = doc["components"]["schemas"].as_object_mut() else {
        return;
    };
    for name in outputs.difference(&inputs) {
        let Some(schema) = schemas.get_mut(name) else {
            continue;
        };
        require_nullable(schema);
        for part in schema["allOf"].as_array_mut().into_iter().flatten() {
            require_nullable(part);
        }
    }
}

fn require_nullable(schema: &mut Value) {
    let Some(properties) = schema["properties"].as_object() else {
        return;
    };
    let missing: Vec<String> = properties
        .iter()
        .filter(|(_, property)| nullable(property))
        .map(|(name, _)| name.clone())
        .collect();
    if missing.is_empty() {
        return;
    }
    let required = schema
        .as_object_mut()
        .map(|s| s.entry("required").or_insert_with(|| json!([])));
    if let Some(Value::Array(required)) = required {
        for name in missing {
            if !required.contains(&json!(name)) {
                required.push(json!(name));
            }
        }
    }
}

fn header(description: &str) -> Value {
    json!({"description": description, "schema": {"type": "string"}})
}

/// Declares the headers newsroom sends with each answer.
fn headers(doc: &mut Value) {
    for op in operations(doc) {
        let params: Vec<String> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["name"].as_str().map(str::to_ascii_lowercase))
            .collect();
        let replays = params.iter().any(|p| p == "idempotency-key");
        let conditional = op["responses"].get("304").is_some();
        let Some(responses) = op["responses"].as_object_mut() else {
            continue;
        };
        let versioned = responses.values().any(|r| {
            r.pointer("/content/application~1json/schema/$ref")
                .and_then(Value::as_str)
                .is_some_and(|r| r.ends_with("/ArticleView"))
        });
        for (status, response) in responses.iter_mut() {
            let Some(response) = response.as_object_mut() else {
                continue;
            };
            let set = response.entry("headers").or_insert_with(|| json!({}));
            let Some(set) = set.as_object_mut() else {
                continue;
            };
            set.entry("X-Request-Id").or_insert_with(|| {
                let mut id = header(
                    "The request's id (yours, when you sent a sane one), also in the server's log.",
                );
                id["required"] = json!(true);
                id
            });
            if status == "429" || status == "503" {
                add(set, "Retry-After", "Seconds to wait before retrying.");
            }
            let success = status.starts_with('2') || status == "304";
            if success && (versioned || conditional) {
                add(
                    set,
                    "ETag",
                    "The version (articles: send it back in `If-Match`), or the body's hash \
                     (send it back in `If-None-Match`).",
                );
            }
            if status.starts_with('2') && replays {
                add(
                    set,
                    "Idempotent-Replayed",
                    "`true` when this is the saved answer to an earlier request with the same \
                     `Idempotency-Key`.",
                );
            }
        }
    }
}

fn add(headers: &mut Map<String, Value>, name: &str, description: &str) {
    headers
        .entry(name.to_owned())
        .or_insert_with(|| header(description));
}

/// A problem's `allowed_actions` are workflow actions (`error.rs` cannot name the type).
fn typed_problem(doc: &mut Value) {
    let has_action = doc["components"]["schemas"].get("Action").is_some();
    let actions = doc.pointer_mut("/components/schemas/Problem/properties/allowed_actions/items");
    if let (true, Some(items)) = (has_action, actions) {
        *items = json!({"$ref": "#/components/schemas/Action"});
    }
}

/// CSV and XML bodies get a schema: text in answers, bytes in an upload and in a picture.
fn text_bodies(doc: &mut Value) {
    for op in operations(doc) {
        let uploads = op
            .get_mut("requestBody")
            .and_then(|body| body.get_mut("content"))
            .and_then(Value::as_object_mut);
        for media in uploads.into_iter().flatten() {
            if !media.0.contains("json") {
                media.1["schema"] = json!({"type": "string", "format": "binary"});
            }
        }
        for response in op["responses"].as_object_mut().into_iter().flatten() {
            let content = response.1.get_mut("content").and_then(Value::as_object_mut);
            for media in content.into_iter().flatten() {
                let textual = media.0.contains("xml") || media.0.starts_with("text/");
                if textual && media.1.get("schema").is_none() {
                    media.1["schema"] = json!({"type": "string"});
                }
                if media.0.starts_with("image/") && media.1.get("schema").is_none() {
                    media.1["schema"] = json!({"type": "string", "format": "binary"});
                }
            }
        }
    }
}
