//! Sitemaps (<https://www.sitemaps.org/protocol.html>) written with quick-xml, so every URL is
//! escaped: a `<urlset>` of stories, or a `<sitemapindex>` of pages when there are more
//! stories than one sitemap may hold.

use std::io;

use chrono::SecondsFormat;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use super::store::SitemapRow;
use super::urls::story_url;

const NS: (&str, &str) = ("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9");
pub const CONTENT_TYPE: &str = "application/xml; charset=utf-8";

/// `<urlset>`: each story's reader-facing URL and when it last changed.
pub fn urlset(site_base: &str, rows: &[SitemapRow]) -> io::Result<Vec<u8>> {
    let mut w = Writer::new(Vec::new());
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("urlset")
        .with_attribute(NS)
        .write_inner_content(|w| {
            for row in rows {
                let loc = story_url(
                    site_base,
                    &row.outlet_slug,
                    &row.slug,
                    row.canonical_url.as_deref(),
                );
                let lastmod = row.updated_at.to_rfc3339_opts(SecondsFormat::Secs, true);
                w.create_element("url").write_inner_content(|w| {
                    w.create_element("loc")
                        .write_text_content(BytesText::new(&loc))?;
                    w.create_element("lastmod")
                        .write_text_content(BytesText::new(&lastmod))?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(w.into_inner())
}

/// `<sitemapindex>` of `pages` pages at `<api_base>/public/v1/sitemap-<n>.xml`, n from 1.
pub fn index(api_base: &str, pages: i64) -> io::Result<Vec<u8>> {
    let mut w = Writer::new(Vec::new());
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("sitemapindex")
        .with_attribute(NS)
        .write_inner_content(|w| {
            for n in 1..=pages {
                let loc = format!("{api_base}/public/v1/sitemap-{n}.xml");
                w.create_element("sitemap").write_inner_content(|w| {
                    w.create_element("loc")
                        .write_text_content(BytesText::new(&loc))?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(w.into_inner())
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    #[test]
    fn urls_are_escaped() {
        let rows = [SitemapRow {
            outlet_slug: "dawn".into(),
            slug: "x".into(),
            canonical_url: Some("https://dawn.com/a?b=1&c=<2>".into()),
            updated_at: Utc::now(),
        }];
        let xml = String::from_utf8(urlset("https://site", &rows).unwrap()).unwrap();
        assert!(
            xml.contains("<loc>https://dawn.com/a?b=1&amp;c=&lt;2&gt;</loc>"),
            "{xml}"
        );
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?><urlset xmlns="));
    }
}
