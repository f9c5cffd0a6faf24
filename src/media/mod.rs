//! Pictures: upload, safe processing into a metadata-free master, renditions at
//! content-addressed URLs under `/media/`, and the library at `/api/v1/media`. See
//! docs/media.md for the formats, limits, privacy rules and storage.

mod access;
pub mod delivery;
pub mod draw_child;
mod draw_process;
pub mod form_upload;
mod frames;
pub mod http;
mod ingest;
mod metadata;
mod ninjs;
mod pixels;
mod process;
pub mod renditions;
mod requests;
pub mod serve;
pub mod service;
mod sniff;
pub mod storage;
mod store;
mod upload;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

pub use delivery::Media;
pub use metadata::Embedded;
pub use ninjs::ninjs_association;
pub use renditions::Rendition;

/// Where crops centre: fractions of the width (x, from the left) and height (y, from the top).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, sqlx::FromRow, ToSchema)]
pub struct FocalPoint {
    #[sqlx(rename = "focal_x")]
    pub x: f64,
    #[sqlx(rename = "focal_y")]
    pub y: f64,
}

/// A picture of an outlet's library: the newsroom's fields over a shared, processed master.
/// It also travels as JSON inside the stories read model (`stories.rs`), hence `Deserialize`
/// and the master's fields skipped only when serialising.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, sqlx::FromRow, ToSchema)]
pub struct Picture {
    pub id: Uuid,
    pub outlet_id: Uuid,
    /// The name the file was uploaded under.
    pub filename: String,
    pub caption: Option<String>,
    /// Who made it and for whom: "Jane Doe/Reuters".
    pub credit: Option<String>,
    pub copyright_notice: Option<String>,
    pub usage_terms: Option<String>,
    /// Describes the picture for readers who cannot see it; required to publish it.
    pub alt_text: Option<String>,
    /// When the photographer took it (from the file, when it said).
    pub captured_at: Option<DateTime<Utc>>,
    #[sqlx(flatten)]
    pub focal_point: FocalPoint,
    /// Width and height of the master, upright.
    pub width: i32,
    pub height: i32,
    /// The format uploaded: `jpeg`, `png`, `webp` or `gif`.
    #[sqlx(rename = "source_format")]
    pub format: String,
    /// +1 per saved change; the `ETag`.
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing)]
    pub blob_id: Uuid,
    #[serde(skip_serializing)]
    pub master_sha256: String,
    #[serde(skip_serializing)]
    pub has_alpha: bool,
}

/// A picture as the API answers it: with its renditions and whether the caller may edit it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PictureView {
    #[serde(flatten)]
    pub picture: Picture,
    pub renditions: Vec<Rendition>,
    pub editable: bool,
}

/// One distinct upload, processed: shared by every asset made from the same bytes.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Blob {
    pub id: Uuid,
    pub upload_sha256: String,
    pub master_sha256: String,
    pub source_format: String,
    pub master_format: String,
    pub width: i32,
    pub height: i32,
    pub has_alpha: bool,
    pub master_bytes: i64,
    pub embedded: sqlx::types::Json<Embedded>,
    pub created_at: DateTime<Utc>,
}

/// The storage key of a master.
pub fn master_key(master_sha256: &str, master_format: &str) -> String {
    let ext = if master_format == "png" { "png" } else { "jpg" };
    format!("masters/{master_sha256}.{ext}")
}

/// The storage folder of a master's renditions (`renditions/<hash>/w640.webp` …).
pub fn renditions_folder(master_sha256: &str) -> String {
    format!("renditions/{master_sha256}")
}
