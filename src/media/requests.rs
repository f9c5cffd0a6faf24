//! What clients send to `/api/v1/media`: the upload form's text fields, the PATCH body and
//! the library's query, each turned into the service's input by parsing (`TryFrom`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::FocalPoint;
use crate::domain::{optional_text, patch_field, required_text};
use crate::error::{AppError, Result};

const CAPTION_MAX: usize = 2000;
const LINE_MAX: usize = 500;

/// The upload form (`multipart/form-data`), as the OpenAPI document shows it.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The picture: JPEG, PNG, WebP or GIF (first frame).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// Required unless the uploader belongs to exactly one outlet.
    outlet_id: Option<Uuid>,
    /// These override what the file itself says (IPTC/XMP/EXIF).
    caption: Option<String>,
    credit: Option<String>,
    copyright_notice: Option<String>,
    usage_terms: Option<String>,
    alt_text: Option<String>,
}

/// The newsroom's fields of a picture; `None` leaves a field as the file gave it (or empty).
#[derive(Debug, Default)]
pub struct Fields {
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub copyright_notice: Option<String>,
    pub usage_terms: Option<String>,
    pub alt_text: Option<String>,
}

/// The parsed text parts of an upload.
#[derive(Debug)]
pub struct UploadFields {
    pub outlet_id: Option<Uuid>,
    pub fields: Fields,
}

impl TryFrom<&BTreeMap<String, String>> for UploadFields {
    type Error = AppError;
    fn try_from(form: &BTreeMap<String, String>) -> Result<Self> {
        let text = |name: &str, max| optional_text(name, form.get(name).map(String::as_str), max);
        Ok(UploadFields {
            outlet_id: form
                .get("outlet_id")
                .map(|id| {
                    Uuid::parse_str(id.trim())
                        .map_err(|_| AppError::field("outlet_id", "is not a UUID"))
                })
                .transpose()?,
            fields: Fields {
                caption: text("caption", CAPTION_MAX)?,
                credit: text("credit", LINE_MAX)?,
                copyright_notice: text("copyright_notice", LINE_MAX)?,
                usage_terms: text("usage_terms", CAPTION_MAX)?,
                alt_text: text("alt_text", CAPTION_MAX)?,
            },
        })
    }
}

/// `PATCH /api/v1/media/{id}`: absent fields stay, `null` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePicture {
    pub filename: Option<String>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub caption: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub credit: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub copyright_notice: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub usage_terms: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<String>)]
    pub alt_text: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch_field")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub captured_at: Option<Option<DateTime<Utc>>>,
    /// Where fixed-ratio crops centre: `{"x": 0.3, "y": 0.4}`, each within 0..1.
    pub focal_point: Option<FocalPoint>,
}

/// The changes of a PATCH, parsed.
#[derive(Debug, Default)]
pub struct Changes {
    pub filename: Option<String>,
    pub caption: Option<Option<String>>,
    pub credit: Option<Option<String>>,
    pub copyright_notice: Option<Option<String>>,
    pub usage_terms: Option<Option<String>>,
    pub alt_text: Option<Option<String>>,
    pub captured_at: Option<Option<DateTime<Utc>>>,
    pub focal_point: Option<FocalPoint>,
}

impl TryFrom<UpdatePicture> for Changes {
    type Error = AppError;
    fn try_from(b: UpdatePicture) -> Result<Self> {
        let text = |name: &str, value: Option<Option<String>>, max| {
            value
                .map(|v| optional_text(name, v.as_deref(), max))
                .transpose()
        };
        if let Some(FocalPoint { x, y }) = b.focal_point {
            if !((0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)) {
                return Err(AppError::field(
                    "focal_point",
                    "x and y must each be between 0 and 1",
                ));
            }
        }
        Ok(Changes {
            filename: b
                .filename
                .as_deref()
                .map(|f| required_text("filename", f, LINE_MAX))
                .transpose()?,
            caption: text("caption", b.caption, CAPTION_MAX)?,
            credit: text("credit", b.credit, LINE_MAX)?,
            copyright_notice: text("copyright_notice", b.copyright_notice, LINE_MAX)?,
            usage_terms: text("usage_terms", b.usage_terms, CAPTION_MAX)?,
            alt_text: text("alt_text", b.alt_text, CAPTION_MAX)?,
            captured_at: b.captured_at,
            focal_point: b.focal_point,
        })
    }
}

/// `GET /api/v1/media`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MediaQuery {
    /// Matches part of the caption, the credit or the file name.
    pub q: Option<String>,
    pub outlet_id: Option<Uuid>,
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}
