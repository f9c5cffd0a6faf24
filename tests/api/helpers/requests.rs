//! Requests a test sends: JSON or raw bytes, with a staff token, a partner key or any
//! headers; the workflow's calls with `If-Match`; signing in.

use actix_web::http::Method;
use serde_json::{json, Value};

use super::response::{read, Res};
use super::TestApp;

impl TestApp {
    /// Sends a request; `body` goes as JSON.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Res {
        let mut req = self.server.request(method, self.server.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let sent = match body {
            Some(body) => req.send_json(&body).await,
            None => req.send().await,
        };
        read(sent.expect("request failed")).await
    }

    /// Sends a request with extra headers; `body` goes as JSON.
    pub async fn call_with(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Res {
        let mut req = self
            .server
            .request(method, self.server.url(path))
            .bearer_auth(token);
        for (name, value) in headers {
            req = req.insert_header((*name, *value));
        }
        let sent = match body {
            Some(body) => req.send_json(&body).await,
            None => req.send().await,
        };
        read(sent.expect("request failed")).await
    }

    /// PATCHes an article with `If-Match: "<version>"`.
    pub async fn edit(&self, token: &str, id: &str, version: i64, body: Value) -> Res {
        let etag = format!("\"{version}\"");
        self.call_with(
            Method::PATCH,
            &format!("/api/v1/articles/{id}"),
            token,
            Some(body),
            &[("if-match", &etag)],
        )
        .await
    }

    /// Takes a workflow action with `If-Match: "<version>"`.
    pub async fn act(
        &self,
        token: &str,
        id: &str,
        version: i64,
        action: &str,
        body: Option<Value>,
    ) -> Res {
        let etag = format!("\"{version}\"");
        let path = format!("/api/v1/articles/{id}/actions/{action}");
        self.call_with(Method::POST, &path, token, body, &[("if-match", &etag)])
            .await
    }

    /// A GET with arbitrary headers and no staff token (partner keys, caching headers).
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Res {
        let mut req = self.server.get(path);
        for (name, value) in headers {
            req = req.insert_header((*name, *value));
        }
        read(req.send().await.expect("request failed")).await
    }

    /// A GET of the syndication API with an API key in `X-Api-Key`.
    pub async fn syndication(&self, key: &str, path: &str) -> Res {
        self.get_with(path, &[("x-api-key", key)]).await
    }

    /// Sends raw bytes with the given content type.
    pub async fn call_raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Res {
        let mut req = self.server.request(method, self.server.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(ct) = content_type {
            req = req.insert_header(("content-type", ct));
        }
        read(req.send_body(body).await.expect("request failed")).await
    }

    /// Sends a request with any headers (none implied) and an optional raw body.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Res {
        let mut req = self.server.request(method, self.server.url(path));
        for (name, value) in headers {
            req = req.insert_header((*name, *value));
        }
        let sent = match body {
            Some(body) => req.send_body(body).await,
            None => req.send().await,
        };
        read(sent.expect("request failed")).await
    }

    /// POSTs raw bytes with arbitrary headers (content encodings, odd content types).
    pub async fn call_with_raw_headers(
        &self,
        path: &str,
        token: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Res {
        let mut req = self
            .server
            .request(Method::POST, self.server.url(path))
            .bearer_auth(token);
        for (name, value) in headers {
            req = req.insert_header((*name, *value));
        }
        read(req.send_body(body).await.expect("request failed")).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Res {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Res {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Res {
        self.call(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Res {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Res {
        self.call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": email, "password": password})),
        )
        .await
    }
}
