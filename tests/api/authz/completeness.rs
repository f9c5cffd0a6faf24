//! Every route has a row: each operation of the OpenAPI document (`GET /api/openapi.json`
//! serves `ApiDoc::openapi()`), and each route the application registers (read from the
//! `routes` functions that `startup::routes` configures) that the document leaves out.

use std::collections::BTreeSet;

use newsroom::openapi::ApiDoc;
use utoipa::OpenApi;

use super::{all_tables, rows};

/// Routes the application serves that the OpenAPI document does not describe.
/// The desk's and the reader site's pages are HTML for people, not API operations
/// (docs/desk.md, docs/site.md).
const OUTSIDE_THE_SPEC: &[&str] = &[
    "GET /api/docs",
    "GET /api/docs/{}",
    "GET /api/openapi.json",
    "GET /",
    "GET /admin",
    "GET /admin/",
    "GET /admin/login",
    "POST /admin/login",
    "POST /admin/logout",
    "GET /admin/stories",
    "POST /admin/stories",
    "GET /admin/stories/{}",
    "POST /admin/stories/{}",
    "POST /admin/stories/{}/picture",
    "POST /admin/stories/{}/preview",
    "POST /admin/stories/{}/presence",
    "POST /admin/stories/{}/actions/{}",
    "GET /admin/stories/{}/revisions",
    "GET /admin/stories/{}/revisions/compare",
    "POST /admin/stories/{}/revisions/{}/restore",
    "GET /admin/staff",
    "POST /admin/staff",
    "GET /admin/staff/{}",
    "POST /admin/staff/{}",
    "GET /admin/staff/{}/deactivate",
    "POST /admin/staff/{}/deactivate",
    "POST /admin/staff/{}/reactivate",
    "GET /admin/audit",
    "GET /admin/partners",
    "POST /admin/partners",
    "GET /admin/partners/{}",
    "POST /admin/partners/{}",
    "POST /admin/partners/{}/keys",
    "GET /admin/partners/{}/keys/{}/revoke",
    "POST /admin/partners/{}/keys/{}/revoke",
    "POST /admin/partners/{}/webhook-secret",
    "GET /admin/partners/{}/deliveries",
    "GET /admin/partners/{}/deliveries/{}",
    "POST /admin/partners/{}/deliveries/{}/replay",
    "POST /admin/partners/{}/webhooks/pause",
    "POST /admin/partners/{}/webhooks/resume",
    "GET /admin/partners/{}/usage",
    "GET /admin/partners/{}/usage.csv",
    "GET /admin/subscribers",
    "GET /admin/subscribers/export.csv",
    "GET /admin/subscribers/import",
    "POST /admin/subscribers/import",
    "GET /admin/subscribers/import/{}",
    "POST /admin/subscribers/import/{}",
    "GET /admin/subscribers/{}",
    "GET /admin/subscribers/{}/export.json",
    "GET /admin/subscribers/{}/erase",
    "POST /admin/subscribers/{}/erase",
    "GET /admin/newsletters",
    "POST /admin/newsletters",
    "GET /admin/newsletters/{}",
    "POST /admin/newsletters/{}",
    "GET /admin/newsletters/{}/issues/new",
    "POST /admin/newsletters/{}/issues",
    "GET /admin/newsletters/{}/issues/{}",
    "POST /admin/newsletters/{}/issues/{}",
    "GET /admin/newsletters/{}/issues/{}/preview",
    "GET /admin/newsletters/{}/issues/{}/preview.html",
    "GET /admin/newsletters/{}/issues/{}/send",
    "POST /admin/newsletters/{}/issues/{}/send",
    "GET /admin/newsletters/{}/issues/{}/progress",
    "POST /admin/views",
    "POST /admin/views/{}/delete",
    "GET /admin/assets/{}",
    "GET /admin/outlets",
    "POST /admin/outlets",
    "GET /admin/outlets/{}",
    "POST /admin/outlets/{}",
    "GET /admin/outlets/{}/delete",
    "POST /admin/outlets/{}/delete",
    "GET /admin/sections",
    "POST /admin/sections",
    "GET /admin/sections/{}",
    "POST /admin/sections/{}",
    "GET /admin/sections/{}/delete",
    "POST /admin/sections/{}/delete",
    "GET /admin/authors",
    "POST /admin/authors",
    "GET /admin/authors/{}",
    "POST /admin/authors/{}",
    "GET /admin/authors/{}/delete",
    "POST /admin/authors/{}/delete",
    "GET /search",
    "GET /section/{}",
    "GET /author/{}",
    "GET /newsletter/{}",
    "GET /look/{}.css",
    "POST /newsletter/{}",
    "GET /{}",
    "GET /{}/{}",
];

/// `{id}`, `{key}`, `{_:.*}` … -> `{}`, so that the spec, the routes and the rows compare.
fn normalise(method: &str, path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            c if !in_param => out.push(c),
            _ => {}
        }
    }
    format!("{} {out}", method.to_uppercase())
}

fn spec_operations() -> BTreeSet<String> {
    let spec = serde_json::to_value(ApiDoc::openapi()).expect("the document as JSON");
    let paths = spec["paths"].as_object().expect("paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            let methods = item.as_object().expect("a path item");
            methods
                .keys()
                .filter(|m| ["get", "post", "put", "patch", "delete"].contains(&m.as_str()))
                .map(move |m| normalise(m, path))
        })
        .collect()
}

/// The text from `start` to the end of its bracketed block.
fn block(text: &str, start: usize) -> &str {
    let mut depth = 0;
    for (i, c) in text[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return &text[start..start + i];
                }
            }
            _ => {}
        }
    }
    &text[start..]
}

fn quoted_after<'t>(text: &'t str, at: usize, opener: &str) -> Option<&'t str> {
    let rest = text[at..].strip_prefix(opener)?;
    rest.split('"').next()
}

/// The routes of `fn <name>` in `src/<module path>.rs`, under `prefix`.
fn routes_of(configured: &str, prefix: &str) -> Vec<String> {
    let mut parts: Vec<&str> = configured.split("::").collect();
    let name = parts.pop().expect("a function");
    let root = format!("{}/src/{}", env!("CARGO_MANIFEST_DIR"), parts.join("/"));
    // A feature room's `mod.rs` configures its children; a file, its siblings.
    let (file, children) = match std::fs::metadata(format!("{root}.rs")) {
        Ok(_) => (format!("{root}.rs"), false),
        Err(_) => (format!("{root}/mod.rs"), true),
    };
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let start = text
        .find(&format!("pub fn {name}("))
        .unwrap_or_else(|| panic!("no fn {name} in {file}"));
    let body = block(&text, start);
    let mut found = Vec::new();
    let mut resource = "";
    for (at, _) in body.char_indices() {
        if let Some(path) = quoted_after(body, at, "web::resource(\"") {
            resource = path;
        } else if let Some(path) = quoted_after(body, at, "SwaggerUi::new(\"") {
            found.push(normalise("GET", &format!("{prefix}{path}")));
        } else if let Some(path) = quoted_after(body, at, ".url(\"") {
            found.push(normalise("GET", &format!("{prefix}{path}")));
        } else if let Some(rest) = body[at..].strip_prefix(".configure(") {
            // A sibling module of the same feature: `revisions_http::routes`.
            let nested = rest.split(')').next().unwrap_or_default();
            let path = match nested.strip_prefix("crate::") {
                Some(absolute) => absolute.to_owned(),
                None if children => format!("{}::{nested}", parts.join("::")),
                None => format!("{}::{nested}", parts[..parts.len() - 1].join("::")),
            };
            found.extend(routes_of(&path, prefix));
        } else {
            for method in ["get", "post", "put", "patch", "delete"] {
                if body[at..].starts_with(&format!("web::{method}()")) {
                    found.push(normalise(method, &format!("{prefix}{resource}")));
                }
            }
        }
    }
    found
}

/// Every route `startup::routes` registers, with the prefix of the scope it sits in.
fn registered_routes() -> BTreeSet<String> {
    let file = format!("{}/src/startup.rs", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let start = text.find("pub fn routes(").expect("startup::routes");
    let body = block(&text, start);
    let mut depth = 0;
    let mut scopes: Vec<(i32, &str)> = Vec::new();
    let mut found = BTreeSet::new();
    for (at, c) in body.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                scopes.retain(|(d, _)| *d <= depth);
            }
            _ => {}
        }
        if let Some(prefix) = quoted_after(body, at, "web::scope(\"") {
            scopes.push((depth, prefix));
        } else if let Some(rest) = body[at..].strip_prefix(".configure(") {
            let configured = rest.split(')').next().unwrap_or_default();
            let prefix = scopes.last().map_or("", |(_, p)| *p);
            found.extend(routes_of(configured, prefix));
        }
    }
    found
}

#[test]
fn every_route_has_a_row_in_the_authorization_matrix() {
    let covered: BTreeSet<String> = all_tables()
        .into_iter()
        .flat_map(rows)
        .map(|row| normalise(row.method.as_str(), row.path))
        .collect();
    let spec = spec_operations();
    let registered = registered_routes();
    assert!(
        registered.len() >= spec.len(),
        "too few routes found: {registered:?}"
    );

    let outside: BTreeSet<String> = registered.difference(&spec).cloned().collect();
    let listed: BTreeSet<String> = OUTSIDE_THE_SPEC.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        outside, listed,
        "routes registered in the app but not in the OpenAPI document must be listed in \
         OUTSIDE_THE_SPEC (or, better, documented)"
    );
    let unregistered: Vec<&String> = spec.difference(&registered).collect();
    assert!(
        unregistered.is_empty(),
        "operations of the OpenAPI document that no routes function registers: {unregistered:?}"
    );
    let missing: Vec<&String> = registered.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the authorization matrix (tests/api/authz/): {missing:?}"
    );
    let unknown: Vec<&String> = covered.difference(&registered).collect();
    assert!(
        unknown.is_empty(),
        "rows of the authorization matrix for routes that do not exist: {unknown:?}"
    );
}
