//! Atom 1.0 (RFC 4287) with the `atom_syndication` crate, which escapes every value through
//! quick-xml and round-trips in the tests (`Feed::read_from`).

use atom_syndication::{Category, Content, Entry, Feed, Generator, Link, Person, Text};
use chrono::{DateTime, FixedOffset, Utc};

use super::{last_modified, FeedInfo};
use crate::error::Result;
use crate::public::urls::story_url;
use crate::stories::StoryRow;

fn fixed(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.fixed_offset()
}

/// The feed document, as UTF-8 bytes.
pub fn atom(info: &FeedInfo, stories: &[StoryRow]) -> Result<Vec<u8>> {
    let mut links = vec![Link {
        href: info.self_url.clone(),
        rel: "self".into(),
        mime_type: Some("application/atom+xml".into()),
        ..Link::default()
    }];
    if let Some(home) = &info.home_url {
        links.push(Link {
            href: home.clone(),
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Link::default()
        });
    }
    let feed = Feed {
        title: Text::plain(info.title.clone()),
        id: info.id.clone(),
        updated: fixed(last_modified(stories).unwrap_or(info.updated)),
        // Atom wants an author on the feed or on every entry; the publisher is one.
        authors: vec![Person {
            name: info.title.clone(),
            ..Person::default()
        }],
        generator: Some(Generator {
            value: "newsroom".into(),
            ..Generator::default()
        }),
        links,
        subtitle: info.description.clone().map(Text::plain),
        entries: stories.iter().map(|s| entry(info, s)).collect(),
        lang: info.language.clone(),
        ..Feed::default()
    };
    feed.write_to(Vec::new())
        .map_err(|e| anyhow::anyhow!("writing an Atom feed: {e}").into())
}

fn entry(info: &FeedInfo, s: &StoryRow) -> Entry {
    let mut categories: Vec<Category> = Vec::new();
    if let (Some(slug), Some(name)) = (&s.section_slug, &s.section_name) {
        categories.push(Category {
            term: slug.clone(),
            scheme: Some("urn:newsroom:section".into()),
            label: Some(name.clone()),
        });
    }
    categories.extend(s.tags.iter().map(|tag| Category {
        term: tag.clone(),
        scheme: Some("urn:newsroom:tag".into()),
        label: None,
    }));
    let url = story_url(
        &info.site_base,
        &s.outlet_slug,
        &s.slug,
        s.canonical_url.as_deref(),
    );
    Entry {
        title: Text::plain(s.headline.clone()),
        id: format!("urn:newsroom:article:{}", s.id),
        updated: fixed(s.updated_at),
        published: s.first_published_at.map(fixed),
        authors: s
            .authors
            .iter()
            .map(|a| Person {
                name: a.name.clone(),
                ..Person::default()
            })
            .collect(),
        categories,
        links: std::iter::once(Link {
            href: url,
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Link::default()
        })
        .chain(super::featured_image(s, &info.site_base).map(|r| {
            Link {
                href: r.href,
                rel: "enclosure".into(),
                mime_type: Some(r.mimetype.into()),
                title: s
                    .featured_picture
                    .as_ref()
                    .and_then(|p| p.0.caption.clone()),
                ..Link::default()
            }
        }))
        .collect(),
        summary: s.standfirst.clone().map(Text::plain),
        content: s.body_html.as_deref().map(|html| Content {
            value: Some(crate::media::service::absolute_media_urls(
                html,
                &info.site_base,
            )),
            content_type: Some("html".into()),
            ..Content::default()
        }),
        ..Entry::default()
    }
}
