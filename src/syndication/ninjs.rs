//! Stories as IPTC ninjs 1.3. The schema forbids unknown top-level properties, so newsroom's
//! own data goes where it allows: `altids` (ids, slug, URLs), `description_*` (corrections)
//! and `infosource` (the outlet and, for a republished story, the origin it credits).

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::articles::{publicly_visible, Status};
use crate::media::{self, ninjs_association};
use crate::stories::StoryRow;

/// A ninjs 1.3 news item.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ninjs {
    /// `urn:newsroom:article:<id>`: stable across edits and slug changes.
    pub uri: String,
    #[serde(rename = "type")]
    pub kind: ItemType,
    /// The article version, as text.
    pub version: String,
    pub versioncreated: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub firstcreated: Option<DateTime<Utc>>,
    pub pubstatus: PubStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub headline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub description_text: Option<String>,
    /// Public correction notes, one per line: `<time> <note>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub description_corrections: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub body_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub byline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subject: Vec<Concept>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub copyrightholder: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub infosource: Vec<Concept>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub embargoed: Option<DateTime<Utc>>,
    #[schema(value_type = Object)]
    pub altids: serde_json::Map<String, serde_json::Value>,
    /// `featured`: the story's picture (type `picture`, with its renditions).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object, nullable = false)]
    pub associations: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The kind of a ninjs item: newsroom's stories are all `text`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ItemType {
    Text,
}

/// Whether a partner may use the story: `usable`; `withheld` for a withdrawn story;
/// `canceled` for a killed one (take it down).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PubStatus {
    Usable,
    Withheld,
    Canceled,
}

/// How a concept relates to the story: its `section` and `tag`s (subjects), its `publisher`
/// (the outlet) and its `origin` (the credited source) (infosources).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ConceptRel {
    Section,
    Tag,
    Publisher,
    Origin,
}

/// A ninjs concept (subject, infosource).
#[derive(Debug, Serialize, ToSchema)]
pub struct Concept {
    pub name: String,
    pub rel: ConceptRel,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub code: Option<String>,
}

/// The story as partners may see it now: whole when publicly visible, otherwise a tombstone
/// (no headline, no body, no picture) that tells them to take it down. `base_url` (the
/// instance's public URL) makes picture URLs absolute, in `associations` and in the body.
pub fn story(row: &StoryRow, base_url: &str, now: DateTime<Utc>) -> Ninjs {
    let mut altids = serde_json::Map::new();
    altids.insert("newsroom".into(), row.id.to_string().into());
    altids.insert("outlet".into(), row.outlet_slug.clone().into());
    let uri = format!("urn:newsroom:article:{}", row.id);
    let version = row.version.to_string();
    if !publicly_visible(row.status, row.embargo_until, now) {
        return Ninjs {
            uri,
            kind: ItemType::Text,
            version,
            versioncreated: row.updated_at,
            firstcreated: None,
            pubstatus: if row.status == Status::Killed {
                PubStatus::Canceled
            } else {
                PubStatus::Withheld
            },
            headline: None,
            description_text: None,
            description_corrections: None,
            body_html: None,
            byline: None,
            language: None,
            subject: Vec::new(),
            copyrightholder: None,
            infosource: Vec::new(),
            embargoed: None,
            altids,
            associations: None,
        };
    }
    altids.insert("slug".into(), row.slug.clone().into());
    if let Some(url) = &row.canonical_url {
        altids.insert("canonical_url".into(), url.clone().into());
    }
    if let Some(url) = &row.origin_url {
        altids.insert("origin_url".into(), url.clone().into());
    }
    let mut subject = Vec::new();
    if let Some(name) = &row.section_name {
        subject.push(Concept {
            name: name.clone(),
            rel: ConceptRel::Section,
            code: row.section_slug.clone(),
        });
    }
    subject.extend(row.tags.iter().map(|t| Concept {
        name: t.clone(),
        rel: ConceptRel::Tag,
        code: None,
    }));
    let mut infosource = vec![Concept {
        name: row.outlet_name.clone(),
        rel: ConceptRel::Publisher,
        code: Some(row.outlet_slug.clone()),
    }];
    if let Some(origin) = &row.origin_name {
        infosource.push(Concept {
            name: origin.clone(),
            rel: ConceptRel::Origin,
            code: None,
        });
    }
    Ninjs {
        uri,
        kind: ItemType::Text,
        version,
        versioncreated: row.updated_at,
        firstcreated: Some(row.first_published_at.unwrap_or(row.created_at)),
        pubstatus: PubStatus::Usable,
        headline: Some(row.headline.clone()),
        description_text: row.standfirst.clone(),
        description_corrections: corrections(row),
        body_html: row
            .body_html
            .as_deref()
            .map(|html| media::service::absolute_media_urls(html, base_url)),
        byline: byline(&row.author_names().collect::<Vec<_>>()),
        language: Some(row.language.clone()),
        subject,
        copyrightholder: Some(
            row.origin_name
                .clone()
                .unwrap_or_else(|| row.outlet_name.clone()),
        ),
        infosource,
        embargoed: row.embargo_until,
        altids,
        associations: row.featured_picture.as_ref().map(|p| {
            let mut map = serde_json::Map::new();
            map.insert("featured".into(), ninjs_association(&p.0, base_url));
            map
        }),
    }
}

/// The public correction notes, one per line: `2026-03-02T09:00:00Z <note>`.
fn corrections(row: &StoryRow) -> Option<String> {
    let notes = &row.corrections.0;
    (!notes.is_empty()).then(|| {
        notes
            .iter()
            .map(|c| format!("{} {}", c.created_at.format("%Y-%m-%dT%H:%M:%SZ"), c.note))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// "By Ayesha Khan", "By Mei Lin and China Daily", "By A, B and C".
fn byline(names: &[&str]) -> Option<String> {
    match names {
        [] => None,
        [one] => Some(format!("By {one}")),
        [rest @ .., last] => Some(format!("By {} and {last}", rest.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn bylines_read_naturally() {
        let names = |n: &[&'static str]| n.to_vec();
        assert_eq!(super::byline(&names(&[])), None);
        assert_eq!(
            super::byline(&names(&["China Daily"])).unwrap(),
            "By China Daily"
        );
        assert_eq!(
            super::byline(&names(&["A", "B", "C"])).unwrap(),
            "By A, B and C"
        );
    }
}
