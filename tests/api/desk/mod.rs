//! The desk (`/admin`) at the HTML level: a small cookie-keeping client that does not follow
//! redirects, signs in through the login form and reads CSRF tokens from pages, like a
//! browser without JavaScript.

mod assets;
mod audit_log;
mod catalogue;
mod catalogue_tree;
mod dashboard;
mod editor;
mod editor_fields;
mod newsletter_issues;
mod newsletters;
mod partner_deliveries;
mod partner_keys;
mod partner_refusals;
mod partner_usage;
mod partners;
mod picture_upload;
mod pictures;
mod presence;
mod problems;
mod revisions;
mod saved_views;
mod sign_in;
mod staff;
mod stories;
mod subscriber;
mod subscriber_import;
mod subscriber_import_run;
mod subscribers;
mod workflow;

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use awc::http::header::HeaderMap;

use crate::helpers::{TestApp, PASSWORD};

/// `href="<url>"` as the desk's templates write a link with a query (`&` escaped).
pub fn href(url: &str) -> String {
    format!("href=\"{}\"", url.replace('&', "&amp;"))
}

/// A page (or redirect) as the client got it.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Page {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    #[track_caller]
    pub fn assert_status(&self, expected: u16) -> &Self {
        assert_eq!(self.status.as_u16(), expected, "page: {}", self.text);
        self
    }

    #[track_caller]
    pub fn assert_redirect(&self, to: &str) -> &Self {
        self.assert_status(303);
        assert_eq!(self.header("location"), Some(to));
        self
    }

    #[track_caller]
    pub fn assert_contains(&self, needle: &str) -> &Self {
        assert!(
            self.text.contains(needle),
            "no {needle:?} in: {}",
            self.text
        );
        self
    }

    #[track_caller]
    pub fn assert_lacks(&self, needle: &str) -> &Self {
        assert!(!self.text.contains(needle), "{needle:?} in: {}", self.text);
        self
    }

    /// The value of the first hidden `name` field of the page.
    #[track_caller]
    pub fn hidden(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self.text.find(&marker).expect("the field") + marker.len();
        let len = self.text[start..].find('"').expect("a closing quote");
        self.text[start..start + len].to_owned()
    }
}

/// A browser without JavaScript: keeps cookies, never follows redirects.
pub struct Browser<'a> {
    app: &'a TestApp,
    client: awc::Client,
    pub cookies: BTreeMap<String, String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Browser<'a> {
        Browser {
            app,
            client: awc::Client::builder().disable_redirects().finish(),
            cookies: BTreeMap::new(),
        }
    }

    /// Signs `email` in through the form.
    pub async fn signed_in(app: &'a TestApp, email: &str) -> Browser<'a> {
        let mut browser = Browser::new(app);
        browser
            .sign_in(email, PASSWORD)
            .await
            .assert_redirect("/admin");
        browser
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        let form = self.get("/admin/login").await;
        form.assert_status(200);
        let csrf = form.hidden("csrf");
        self.post(
            "/admin/login",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        )
        .await
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn read<S>(&mut self, mut res: awc::ClientResponse<S>) -> Page
    where
        S: futures_util::Stream<Item = Result<bytes::Bytes, awc::error::PayloadError>> + Unpin,
    {
        for value in res.headers().get_all("set-cookie") {
            let value = value.to_str().expect("ascii cookie");
            let (pair, attributes) = value.split_once(';').unwrap_or((value, ""));
            let (name, val) = pair.split_once('=').expect("name=value");
            if attributes.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), val.to_owned());
            }
        }
        let body = res.body().limit(4 * 1024 * 1024).await.expect("a body");
        Page {
            status: res.status(),
            headers: res.headers().clone(),
            text: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.get_with(path, &[]).await
    }

    /// GETs `path` with extra headers (htmx's `HX-Request`).
    pub async fn get_with(&mut self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut req = self
            .client
            .get(self.app.url(path))
            .insert_header(("cookie", self.cookie_header()));
        for (name, value) in headers {
            req = req.insert_header((*name, *value));
        }
        let res = req.send().await.expect("request");
        self.read(res).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.post_with(path, form, &[]).await
    }

    pub async fn post_with(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let mut req = self
            .client
            .post(self.app.url(path))
            .insert_header(("cookie", self.cookie_header()));
        for (name, value) in headers {
            req = req.insert_header((*name, *value));
        }
        let res = req.send_form(&form).await.expect("request");
        self.read(res).await
    }

    /// POSTs a body as it is (a `multipart/form-data` upload) with the session's cookie.
    pub async fn post_raw(&mut self, path: &str, content_type: &str, body: Vec<u8>) -> Page {
        let req = self
            .client
            .post(self.app.url(path))
            .insert_header(("cookie", self.cookie_header()))
            .insert_header(("content-type", content_type));
        let res = req.send_body(body).await.expect("request");
        self.read(res).await
    }
}
