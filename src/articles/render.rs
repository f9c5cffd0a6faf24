//! Markdown to safe HTML: the one renderer the API, the desk's preview and the reader site
//! share. A picture of the library is placed with `![alt](media:<id>)` and drawn as an
//! `<img>` over its renditions (WebP `srcset`, a JPEG `src`, `width`/`height` against layout
//! shift, `loading="lazy"`); an empty Markdown alt takes the picture's own alt text.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};
use uuid::Uuid;

use crate::media::service::SIZES;
use crate::media::{self, Picture};

/// Pictures by id: what the renderer draws body pictures from.
pub type Pictures = HashMap<Uuid, Picture>;

/// How a body reference names a picture: `media:<id>`.
const SCHEME: &str = "media:";

/// A picture the body places: `![alt](media:<target>)`; `id` when the target is a UUID.
#[derive(Clone, Debug, PartialEq)]
pub struct BodyPicture {
    pub target: String,
    pub id: Option<Uuid>,
    /// The Markdown's alt text (may be empty).
    pub alt: String,
}

fn options() -> Options {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_FOOTNOTES);
    options
}

/// The text inside an image (its alt), up to the image's end.
fn alt_text<'a>(events: &mut impl Iterator<Item = Event<'a>>) -> String {
    let mut alt = String::new();
    let mut depth = 1;
    for event in events {
        match event {
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Event::Text(t) | Event::Code(t) => alt.push_str(&t),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
    }
    alt
}

/// Every `media:` picture the body places, in order (not the ones inside code).
pub fn picture_refs(markdown: &str) -> Vec<BodyPicture> {
    let mut found = Vec::new();
    let mut events = Parser::new_ext(markdown, options());
    while let Some(event) = events.next() {
        if let Event::Start(Tag::Image { dest_url, .. }) = event {
            if let Some(target) = dest_url.strip_prefix(SCHEME) {
                let target = target.to_owned();
                found.push(BodyPicture {
                    id: Uuid::parse_str(&target).ok(),
                    alt: alt_text(&mut events),
                    target,
                });
            }
        }
    }
    found
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The `<img>` of a picture: WebP widths in `srcset`, the JPEG up to 1024 px as `src`.
fn picture_html(p: &Picture, alt: &str) -> String {
    let renditions = media::service::renditions_for(p);
    let srcset = media::service::webp_srcset(&renditions);
    let src = media::service::jpeg_up_to(&renditions, 1024).map_or(String::new(), |r| r.href);
    let alt = if alt.trim().is_empty() {
        p.alt_text.as_deref().unwrap_or_default()
    } else {
        alt
    };
    format!(
        r#"<img src="{src}" srcset="{srcset}" sizes="{SIZES}" width="{}" height="{}" alt="{}" loading="lazy" decoding="async">"#,
        p.width,
        p.height,
        escape(alt.trim()),
    )
}

/// A `srcset` the renderer wrote: candidates under `/media/` only (no other host can be
/// made to load from a story).
fn our_srcset(value: &str) -> bool {
    value.split(',').all(|candidate| {
        let mut parts = candidate.split_whitespace();
        let url_ok = parts.next().is_some_and(|url| {
            url.starts_with("/media/")
                && url
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"/.-_".contains(&b))
        });
        let width_ok = parts
            .next()
            .and_then(|w| w.strip_suffix('w'))
            .is_some_and(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()));
        url_ok && width_ok && parts.next().is_none()
    })
}

/// ammonia's allow-list (no scripts, event handlers, `javascript:` URLs, SVG or MathML; links
/// get `rel="noopener noreferrer"`), plus exactly what a body picture needs: `srcset` (our
/// renditions only), the renderer's `sizes`, `loading="lazy"` and `decoding="async"`.
static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder.add_tag_attributes("img", &["srcset", "sizes", "loading", "decoding"]);
    builder.attribute_filter(|element, attribute, value| {
        let keep = match (element, attribute) {
            ("img", "srcset") => our_srcset(value),
            ("img", "sizes") => value == SIZES,
            ("img", "loading") => value == "lazy",
            ("img", "decoding") => value == "async",
            _ => true,
        };
        keep.then_some(Cow::Borrowed(value))
    });
    builder
});

/// Renders Markdown to sanitised HTML, drawing `media:` pictures from `pictures`; one not
/// there (the save refuses those) is left as its alt text.
pub fn body_html(markdown: &str, pictures: &Pictures) -> String {
    let mut events = Parser::new_ext(markdown, options());
    let mut out: Vec<Event<'_>> = Vec::new();
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) if dest_url.starts_with(SCHEME) => {
                let alt = alt_text(&mut events);
                let picture = Uuid::parse_str(&dest_url[SCHEME.len()..])
                    .ok()
                    .and_then(|id| pictures.get(&id));
                out.push(match picture {
                    Some(p) => Event::InlineHtml(CowStr::from(picture_html(p, &alt))),
                    None => Event::Text(CowStr::from(alt)),
                });
            }
            other => out.push(other),
        }
    }
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, out.into_iter());
    CLEANER.clean(&raw).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered_and_scripts_never_survive() {
        let html = body_html(
            "# Title\n\nSome *text* and [a link](https://dawn.com).",
            &Pictures::new(),
        );
        assert!(html.contains("<h1>Title</h1>") && html.contains("<em>text</em>"));
        assert!(html.contains("rel=\"noopener noreferrer\""));
        for attack in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "<svg><script>alert(1)</script></svg>",
            "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
            "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
        ] {
            let out = body_html(attack, &Pictures::new());
            let lower = out.to_lowercase();
            for banned in [
                "<script",
                "onerror",
                "javascript:",
                "<svg",
                "<math",
                "<iframe",
            ] {
                assert!(!lower.contains(banned), "{attack} -> {out}");
            }
            assert_eq!(
                ammonia::clean(&out),
                out,
                "sanitising twice changes nothing"
            );
        }
    }

    #[test]
    fn only_the_renderers_srcset_survives_the_sanitiser() {
        let ours = "/media/ab12/w320.webp 320w, /media/ab12/w640.webp 640w";
        assert!(our_srcset(ours));
        for theirs in [
            "https://tracker.example/p.gif 1w",
            "/media/ab12/w320.webp",
            "/media/ab12/w320.webp 2x",
            "/media/a\"b/w320.webp 320w",
            "//evil.example/media/x 1w",
        ] {
            assert!(!our_srcset(theirs), "{theirs}");
        }
        let raw = format!(r#"<img src="/x.png" srcset="{ours}" sizes="{SIZES}" loading="lazy">"#);
        let html = body_html(&raw, &Pictures::new());
        assert!(html.contains(ours) && html.contains(SIZES), "{html}");
        assert_eq!(
            CLEANER.clean(&html).to_string(),
            html,
            "cleaning twice changes nothing"
        );
    }

    #[test]
    fn references_are_read_outside_code_only() {
        let id = Uuid::now_v7();
        let refs = picture_refs(&format!(
            "![Boats *at* dawn](media:{id})\n\n`![x](media:in-code)`\n\n    ![y](media:indented)\n\n![](media:nope)"
        ));
        assert_eq!(refs.len(), 2, "{refs:?}");
        assert_eq!(
            (refs[0].id, refs[0].alt.as_str()),
            (Some(id), "Boats at dawn")
        );
        assert_eq!((refs[1].id, refs[1].target.as_str()), (None, "nope"));
        // Not resolved (the save refuses it): its alt text stays, as text.
        let html = body_html(&format!("![Boats & nets](media:{id})"), &Pictures::new());
        assert_eq!(html, "<p>Boats &amp; nets</p>\n");
    }
}
