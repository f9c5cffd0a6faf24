//! A picture as a ninjs 1.3 association (`type: picture`, with its renditions), for the
//! syndication API, webhooks and feeds to put under a story's `associations`.

use serde_json::{json, Map, Value};

use super::service::renditions_for;
use super::Picture;

/// The association of `picture`, its rendition URLs made absolute with `base_url` (the
/// instance's public URL). Rendition names are the file names with `.`/`-` as `_`
/// (`w640_webp`, `16x9_w640_f5000_5000_jpg`): ninjs allows letters, digits and `_`.
pub fn ninjs_association(picture: &Picture, base_url: &str) -> Value {
    let mut renditions = Map::new();
    for r in renditions_for(picture) {
        let name = r
            .href
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .replace(['.', '-'], "_");
        renditions.insert(
            name,
            json!({
                "href": format!("{}{}", base_url.trim_end_matches('/'), r.href),
                "width": r.width,
                "height": r.height,
                "mimetype": r.mimetype,
            }),
        );
    }
    let mut out = Map::new();
    out.insert(
        "uri".into(),
        format!("urn:newsroom:media:{}", picture.id).into(),
    );
    out.insert("type".into(), "picture".into());
    out.insert("version".into(), picture.version.to_string().into());
    out.insert(
        "versioncreated".into(),
        picture
            .updated_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            .into(),
    );
    let mut text = |key: &str, value: &Option<String>| {
        if let Some(value) = value {
            out.insert(key.into(), value.clone().into());
        }
    };
    text("headline", &picture.caption);
    text("description_text", &picture.alt_text);
    text("byline", &picture.credit);
    text("copyrightnotice", &picture.copyright_notice);
    text("usageterms", &picture.usage_terms);
    out.insert("renditions".into(), Value::Object(renditions));
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use uuid::Uuid;

    use super::*;
    use crate::media::FocalPoint;

    #[test]
    fn an_association_is_valid_ninjs_with_absolute_renditions() {
        let at = chrono::Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let picture = Picture {
            id: Uuid::now_v7(),
            outlet_id: Uuid::now_v7(),
            filename: "flood.jpg".into(),
            caption: Some("Flooded street in Dhaka".into()),
            credit: Some("Jane Doe/Reuters".into()),
            copyright_notice: Some("© Reuters".into()),
            usage_terms: None,
            alt_text: Some("Rickshaws in knee-deep water".into()),
            captured_at: None,
            focal_point: FocalPoint { x: 0.5, y: 0.5 },
            width: 3000,
            height: 2000,
            format: "jpeg".into(),
            version: 2,
            created_by: None,
            created_at: at,
            updated_at: at,
            blob_id: Uuid::now_v7(),
            master_sha256: "ab".repeat(32),
            has_alpha: false,
        };
        let association = ninjs_association(&picture, "https://cdn.example/");
        let schema: Value =
            serde_json::from_str(include_str!("../../tests/fixtures/ninjs-schema_1.3.json"))
                .unwrap();
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(true)
            .build(&schema)
            .unwrap();
        let story = json!({"uri": "urn:x", "associations": {"featured": association}});
        let errors: Vec<String> = validator
            .iter_errors(&story)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        let w640 = &association["renditions"]["w640_webp"];
        assert_eq!(
            w640["href"],
            format!("https://cdn.example/media/{}/w640.webp", "ab".repeat(32))
        );
        assert_eq!(
            (w640["width"].as_u64(), w640["height"].as_u64()),
            (Some(640), Some(427))
        );
        assert_eq!(association["byline"], "Jane Doe/Reuters");
    }
}
