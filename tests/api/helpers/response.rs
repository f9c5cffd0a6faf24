//! A response read whole (`Res`) with its assertions, and the ids and versions tests read from
//! response bodies.

use actix_web::http::StatusCode;
use awc::http::header::HeaderMap;
use serde_json::{json, Value};
use uuid::Uuid;

/// A response, read whole.
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Res {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    #[track_caller]
    pub fn assert_status(&self, expected: u16) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            expected,
            "unexpected status; body: {}",
            self.text
        );
        self
    }

    /// Asserts an `application/problem+json` error with this status.
    #[track_caller]
    pub fn assert_problem(&self, expected: u16) -> &Self {
        self.assert_status(expected);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "body: {}",
            self.text
        );
        assert_eq!(self.body["status"], json!(expected));
        assert!(
            self.body["title"].is_string()
                && self.body["type"].is_string()
                && self.body["detail"].is_string()
        );
        self
    }

    /// The field error messages of a problem.
    pub fn field_errors(&self, field: &str) -> Vec<String> {
        self.body["errors"][field]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The version of an article response.
pub fn version_of(body: &Value) -> i64 {
    body["version"].as_i64().expect("a version")
}

/// The id of an article response, as text.
pub fn id_str(body: &Value) -> String {
    body["id"].as_str().expect("an id").to_owned()
}

pub fn id_of(res: &Res) -> Uuid {
    res.body["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("an id in the body")
}

pub(super) async fn read<S>(mut res: awc::ClientResponse<S>) -> Res
where
    S: futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>> + Unpin,
{
    let bytes = res.body().limit(16 * 1024 * 1024).await.expect("read body");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Res {
        status: res.status(),
        headers: res.headers().clone(),
        body,
        text,
    }
}
