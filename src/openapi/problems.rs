//! The error answers every operation can give, added to the document in one place so no
//! handler's annotation can forget one: problems are `application/problem+json`, a body that
//! cannot be read is a 400/413/415, a bad query or body a 422, missing credentials a 401, a
//! role that may not act a 403, an unknown id a 404, a rate-limited route a 429.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr};
use utoipa::Modify;

use crate::error::PROBLEM_JSON;

pub struct ProblemResponses;

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let rate_limited = path.starts_with("/public/")
                || path.starts_with("/syndication/")
                || path == "/api/v1/auth/login";
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                declare(operation, rate_limited);
            }
        }
    }
}

/// Declares the common problems of one operation and moves every declared problem body to
/// `application/problem+json`, the type the server sends.
fn declare(operation: &mut Operation, rate_limited: bool) {
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let has_path = parameters
        .iter()
        .any(|p| p.parameter_in == ParameterIn::Path);
    let has_input = operation.request_body.is_some()
        || parameters
            .iter()
            .any(|p| p.parameter_in != ParameterIn::Path);
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let json_body = operation
        .request_body
        .as_ref()
        .is_some_and(|b| b.content.contains_key("application/json"));

    let mut common: Vec<(&str, &str)> = Vec::new();
    if has_input {
        common.push(("400", "The request could not be read."));
        common.push((
            "422",
            "A parameter or field is invalid; `errors` says which.",
        ));
    }
    if secured {
        common.push(("401", "No valid credentials."));
        common.push(("403", "The caller's role or key does not allow this."));
    }
    if has_path {
        common.push(("404", "Nothing the caller may see has this id."));
    }
    if json_body {
        common.push(("413", "The body is larger than the server accepts."));
        common.push(("415", "The body is not `application/json`."));
    }
    if rate_limited {
        common.push(("429", "Too many requests; see `Retry-After`."));
    }
    let responses = &mut operation.responses.responses;
    for (status, description) in common {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::T(problem(description)));
    }
    for (status, response) in responses.iter_mut() {
        let is_error = status.starts_with('4') || status.starts_with('5');
        if let (true, RefOr::T(response)) = (is_error, response) {
            if let Some(content) = response.content.shift_remove("application/json") {
                response.content.insert(PROBLEM_JSON.to_owned(), content);
            }
        }
    }
}

fn problem(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}
