//! Where a story lives on the readers' site: its canonical URL, or
//! `<NEWSROOM_PUBLIC_BASE_URL>/<outlet>/<slug>` with the segments percent-encoded (slugs keep
//! every script, and sitemaps and feeds need plain ASCII URLs).

use std::fmt::Write;

/// The reader-facing URL of a story.
pub fn story_url(base: &str, outlet: &str, slug: &str, canonical: Option<&str>) -> String {
    match canonical {
        Some(url) => url.to_owned(),
        None => format!("{base}/{}/{}", segment(outlet), segment(slug)),
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn segment(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn urls_prefer_the_canonical_one_and_encode_other_scripts() {
        assert_eq!(
            super::story_url("https://site", "dawn", "a-b", Some("https://dawn.com/x")),
            "https://dawn.com/x"
        );
        assert_eq!(
            super::story_url("https://site", "dawn", "बजट-2026", None),
            "https://site/dawn/%E0%A4%AC%E0%A4%9C%E0%A4%9F-2026"
        );
    }
}
