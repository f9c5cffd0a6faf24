//! Pictures: upload, privacy (no location or device data in any served byte), renditions,
//! the library, the bad-input corpus, and the S3 back end. This file holds what the tests
//! share: an app with its own picture folder, multipart forms, raw downloads.

mod access;
mod bad_input;
mod in_newsletters;
mod library;
pub mod on_stories;
pub mod pictures;
mod privacy;
mod renditions;
mod s3;
mod upload;

use std::path::{Path, PathBuf};

use actix_web::http::Method;
use awc::http::header::HeaderMap;
use newsroom::domain::Role;
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::{id_of, Res, TestApp, TestUser};

/// An app whose pictures go to a folder of this test alone, with an outlet and its staff.
pub struct PictureDesk {
    pub app: TestApp,
    pub dir: tempfile::TempDir,
    pub admin: TestUser,
    pub outlet: Uuid,
    pub writer: TestUser,
    pub editor: TestUser,
}

impl PictureDesk {
    pub async fn new() -> PictureDesk {
        PictureDesk::with(|_| {}).await
    }

    pub async fn with(configure: impl FnOnce(&mut newsroom::config::Config)) -> PictureDesk {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let data_dir = dir.path().to_owned();
        let app = TestApp::spawn_with(|c| {
            c.data_dir = data_dir;
            configure(c);
        })
        .await;
        let admin = app.admin().await;
        let outlet = app.outlet(&admin, "dhaka-daily").await;
        let writer = app.user(Role::Writer, &[outlet]).await;
        let editor = app.user(Role::Editor, &[outlet]).await;
        PictureDesk {
            app,
            dir,
            admin,
            outlet,
            writer,
            editor,
        }
    }

    /// Uploads `bytes` as `filename` with `content_type`, to the desk's outlet.
    pub async fn upload(&self, token: &str, bytes: &[u8], filename: &str, ct: &str) -> Res {
        let outlet = self.outlet.to_string();
        let (content_type, body) = form(bytes, filename, ct, &[("outlet_id", &outlet)]);
        upload(&self.app, token, &content_type, body).await
    }

    /// Uploads and expects a new picture; its JSON.
    pub async fn picture(&self, bytes: &[u8], filename: &str, ct: &str) -> Value {
        let res = self.upload(&self.writer.token, bytes, filename, ct).await;
        res.assert_status(201);
        res.body.clone()
    }

    /// GETs a picture's file as the desk's admin (who may fetch every picture, used or not).
    pub async fn fetch(&self, path: &str, headers: &[(&str, &str)]) -> Download {
        let bearer = format!("Bearer {}", self.admin.token);
        let mut all = vec![("authorization", bearer.as_str())];
        all.extend_from_slice(headers);
        download(&self.app, path, &all).await
    }

    /// Every file under the picture folder.
    pub fn stored_files(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        walk(&self.dir.path().join("media"), &mut found);
        found
    }

    /// Asserts that nothing of a refused upload remains: no row, no file, no audit entry.
    #[track_caller]
    pub fn assert_nothing_stored(&self, counts: (i64, i64, i64)) {
        assert_eq!(counts, (0, 0, 0), "rows: (assets, blobs, audit entries)");
        let files = self.stored_files();
        assert!(files.is_empty(), "files left behind: {files:?}");
    }

    /// (pictures, blobs, media audit entries) in the database.
    pub async fn counts(&self) -> (i64, i64, i64) {
        let count = |sql: &'static str| async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&self.app.state.db)
                .await
                .expect("count")
        };
        (
            count("select count(*) from media_assets").await,
            count("select count(*) from media_blobs").await,
            count("select count(*) from audit_entries where action like 'media.%'").await,
        )
    }
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, found);
        } else {
            found.push(path);
        }
    }
}

const BOUNDARY: &str = "newsroom-test-7d1f3a";
/// The content type of every form `form` builds.
pub const FORM: &str = "multipart/form-data; boundary=newsroom-test-7d1f3a";

/// A `multipart/form-data` body with one file part and text parts: (content type, body).
pub fn form(bytes: &[u8], filename: &str, ct: &str, texts: &[(&str, &str)]) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for (name, value) in texts {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {ct}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

pub async fn upload(app: &TestApp, token: &str, content_type: &str, body: Vec<u8>) -> Res {
    app.call_raw(
        Method::POST,
        "/api/v1/media",
        Some(token),
        Some(content_type),
        body,
    )
    .await
}

/// A download: status, headers and the exact bytes.
pub struct Download {
    pub status: u16,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Download {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// GETs `path` (a rendition URL) with `headers`, keeping the body's bytes.
pub async fn download(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Download {
    let client = awc::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .finish();
    let mut req = client.get(app.url(path));
    for (name, value) in headers {
        req = req.insert_header((*name, *value));
    }
    let mut res = req.send().await.expect("request failed");
    let bytes = res.body().limit(64 << 20).await.expect("body").to_vec();
    Download {
        status: res.status().as_u16(),
        headers: res.headers().clone(),
        bytes,
    }
}

/// The `href`s of a picture's renditions.
pub fn hrefs(picture: &Value) -> Vec<String> {
    picture["renditions"]
        .as_array()
        .expect("renditions")
        .iter()
        .map(|r| r["href"].as_str().expect("href").to_owned())
        .collect()
}

pub fn id(picture: &Value) -> Uuid {
    Uuid::parse_str(picture["id"].as_str().expect("an id")).expect("a UUID")
}

/// A picture uploaded by `user` (who must belong to `outlet`): its id.
pub async fn uploaded_by(app: &TestApp, user: &TestUser, outlet: Uuid, bytes: &[u8]) -> Uuid {
    let outlet = outlet.to_string();
    let (ct, body) = form(bytes, "photo.jpg", "image/jpeg", &[("outlet_id", &outlet)]);
    let res = upload(app, &user.token, &ct, body).await;
    res.assert_status(201);
    id_of(&res)
}

/// Waits (up to a minute) until every rendition a picture lists is in the store: the
/// warm-up after its upload has then nothing left to write.
pub async fn settled(app: &TestApp, picture: &Value) {
    let urls = hrefs(picture);
    let folder = urls[0]
        .trim_start_matches("/media/")
        .split('/')
        .next()
        .expect("a hash")
        .to_owned();
    let storage = &app.state.media.storage;
    for _ in 0..600 {
        let stored = storage
            .keys_under(&format!("renditions/{folder}"))
            .await
            .expect("the store answers");
        if stored.len() >= urls.len() {
            return;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the renditions of {folder} were not all drawn within a minute");
}
