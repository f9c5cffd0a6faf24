//! Markdown to safe HTML, and article slugs that keep the letters of every script.

use pulldown_cmark::{html, Options, Parser};

use crate::error::{AppError, Result};

pub const MAX_SLUG_CHARS: usize = 100;

/// Renders Markdown to HTML and sanitises it with ammonia's allow-list (no scripts, event
/// handlers, `javascript:` URLs, SVG or MathML; links get `rel="noopener noreferrer"`).
pub fn body_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_FOOTNOTES);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::clean(&raw)
}

/// Letters and digits of every script, with the combining marks that Indic and Arabic
/// scripts need (Bengali vowel signs are marks, not letters); never punctuation or spaces.
fn is_slug_char(c: char) -> bool {
    if c.is_alphanumeric() {
        return true;
    }
    let punctuation = matches!(c as u32,
        0x00A0..=0x00BF | 0x00D7 | 0x00F7 | 0x060C | 0x061B | 0x061F | 0x066A..=0x066D | 0x06D4
        | 0x0964 | 0x0965 | 0x2000..=0x206F | 0x20A0..=0x20CF | 0x2190..=0x2BFF | 0x3000..=0x303F
        | 0xFE10..=0xFE6F | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65);
    !c.is_ascii() && !c.is_whitespace() && !c.is_control() && !punctuation
}

/// Checks a slug given by a client: lowercase letters (any script) and digits joined by
/// single hyphens, at most 100 characters.
pub fn parse_slug(raw: &str) -> Result<String> {
    let slug = raw.trim();
    let ok = !slug.is_empty()
        && slug.chars().count() <= MAX_SLUG_CHARS
        && slug.split('-').all(|part| {
            !part.is_empty() && part.chars().all(|c| is_slug_char(c) && !c.is_uppercase())
        });
    if ok {
        Ok(slug.to_owned())
    } else {
        Err(AppError::field(
            "slug",
            "must be lowercase letters or digits (any script) joined by single hyphens, at most 100 characters",
        ))
    }
}

/// Derives a slug from a headline: letters and digits of every script kept (Chinese, Urdu,
/// Bengali headlines keep their words), lower-cased, everything else folded into hyphens.
pub fn slug_from(headline: &str) -> Result<String> {
    let mut slug = String::new();
    let mut chars = 0;
    for c in headline.chars().flat_map(char::to_lowercase) {
        if chars >= MAX_SLUG_CHARS {
            break;
        }
        // A few capitals (`ϒ`, U+03D2) have no lower case: they separate words like
        // punctuation rather than make the whole headline underivable.
        if is_slug_char(c) && !c.is_uppercase() {
            slug.push(c);
            chars += 1;
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
            chars += 1;
        }
    }
    parse_slug(slug.trim_end_matches('-'))
        .map_err(|_| AppError::field("slug", "cannot be derived from this headline; give one"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_every_script() {
        assert_eq!(
            slug_from("Asean ministers meet in Jakarta!").unwrap(),
            "asean-ministers-meet-in-jakarta"
        );
        assert_eq!(slug_from("中国经济 2026").unwrap(), "中国经济-2026");
        assert_eq!(slug_from("পদ্মা সেতু").unwrap(), "পদ্মা-সেতু");
        assert_eq!(slug_from("پاکستان، معیشت").unwrap(), "پاکستان-معیشت");
        assert_eq!(
            slug_from("“Quoted” — headline…").unwrap(),
            "quoted-headline"
        );
        assert_eq!(
            slug_from("Ekonomi Malaysia: Ringgit naik").unwrap(),
            "ekonomi-malaysia-ringgit-naik"
        );
        assert!(slug_from("!!!").is_err());
        assert_eq!(slug_from("News ϒ 2026").unwrap(), "news-2026");
        assert!(slug_from(&"word ".repeat(60)).unwrap().chars().count() <= MAX_SLUG_CHARS);
    }

    #[test]
    fn explicit_slugs_are_checked() {
        assert!(parse_slug("trade-talks").is_ok());
        assert!(parse_slug("中国经济").is_ok());
        for bad in ["Trade", "a--b", "-a", "a b", "a/b", ""] {
            assert!(parse_slug(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn markdown_is_rendered_and_scripts_never_survive() {
        let html = body_html("# Title\n\nSome *text* and [a link](https://dawn.com).");
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
            let out = body_html(attack);
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
}
