//! The Markdown→HTML sanitiser against the XSS filter-evasion corpus
//! (`tests/data/xss-vectors.txt`) and against generated input: it never panics, its output
//! carries no script, event handler or dangerous URL, and sanitising it again changes nothing.

use proptest::prelude::*;

use super::render::body_html;

const CORPUS: &str = include_str!("../../tests/data/xss-vectors.txt");

/// Elements that must never come out of the sanitiser.
const BANNED_TAGS: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "svg", "math", "object", "embed", "form",
    "button", "input", "base", "meta", "link", "body", "head", "title", "video", "audio", "source",
    "marquee", "isindex", "bgsound", "xss", "x",
];

/// Attributes that must never come out (besides every `on*` event handler).
const BANNED_ATTRS: &[&str] = &[
    "style",
    "srcdoc",
    "formaction",
    "action",
    "background",
    "dynsrc",
    "lowsrc",
    "xlink:href",
];

const BANNED_SCHEMES: &[&str] = &["javascript:", "vbscript:", "data:", "livescript:"];

/// The vectors of the corpus, with `\n` turned into line breaks and comments left out.
pub fn corpus() -> Vec<String> {
    CORPUS
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.replace("\\n", "\n"))
        .collect()
}

/// Decodes the character references a browser would decode in an attribute value.
fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let end = rest.find(';').unwrap_or(rest.len());
        let name = &rest[..end];
        let decoded = match name {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "colon" => Some(':'),
            "Tab" => Some('\t'),
            "NewLine" => Some('\n'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[(end + 1).min(rest.len())..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// Why `html` (serialised by the sanitiser, so every literal `<` opens a real tag and every
/// attribute value is double-quoted) is unsafe, if it is.
pub fn unsafe_part(html: &str) -> Option<String> {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let tag: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect();
        let tag = tag.trim_start_matches('/').to_lowercase();
        if BANNED_TAGS.contains(&tag.as_str()) {
            return Some(format!("element <{tag}>"));
        }
        rest = &rest[tag.len().min(rest.len())..];
        // Attributes up to the closing `>`.
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() || rest.starts_with('>') {
                break;
            }
            let name_len = rest
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
                .unwrap_or(rest.len());
            let name = rest[..name_len].to_lowercase();
            rest = &rest[name_len..];
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix("=\"") {
                let end = after.find('"').unwrap_or(after.len());
                value = decode_entities(&after[..end]);
                rest = &after[(end + 1).min(after.len())..];
            }
            if name.starts_with("on") || BANNED_ATTRS.contains(&name.as_str()) {
                return Some(format!("attribute {name} on <{tag}>"));
            }
            // What a browser parses (WHATWG URL): leading and trailing C0 controls and
            // spaces stripped, tabs and newlines removed anywhere.
            let url: String = value
                .trim_matches(|c: char| c <= ' ')
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect::<String>()
                .to_lowercase();
            if let Some(scheme) = BANNED_SCHEMES.iter().find(|s| url.starts_with(**s)) {
                return Some(format!("{scheme} URL in {name} on <{tag}>"));
            }
        }
    }
    None
}

#[track_caller]
fn assert_clean(markdown: &str) {
    let html = body_html(markdown, &Default::default());
    if let Some(why) = unsafe_part(&html) {
        panic!("{why}\n  input:  {markdown:?}\n  output: {html:?}");
    }
    assert!(!html.to_lowercase().contains("<script"), "{html}");
    assert_eq!(
        ammonia::clean(&html),
        html,
        "sanitising twice changes nothing: {markdown:?}"
    );
}

#[test]
fn the_checker_catches_what_it_looks_for() {
    for bad in [
        "<script>x</script>",
        "<img src=\"x\" onerror=\"y\">",
        "<a href=\"jav&#x61;script:x\">",
        "<a href=\" &#10;javascript:x\">",
        "<img src=\"data:image/svg+xml,x\">",
        "<p style=\"x\">",
    ] {
        assert!(unsafe_part(bad).is_some(), "{bad}");
    }
    assert_eq!(
        unsafe_part("<a href=\"https://dawn.com/?a=1&amp;b=2\" rel=\"noopener noreferrer\">x</a>"),
        None
    );
}

#[test]
fn every_vector_of_the_xss_corpus_comes_out_clean() {
    let vectors = corpus();
    assert!(vectors.len() > 100, "the corpus is read");
    for vector in &vectors {
        assert_clean(vector);
    }
    let kept = body_html(
        vectors.last().map(String::as_str).unwrap_or_default(),
        &Default::default(),
    );
    assert!(
        kept.contains("<a href=\"https://dawn.com\"") && kept.contains("<b>bold</b>"),
        "safe markup survives: {kept}"
    );
}

/// Fragments of Markdown and HTML that attacks are made of, glued in any order.
fn hostile_markdown() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("<script>".to_owned()),
        Just("</script>".to_owned()),
        Just("<img src=x onerror=alert(1)>".to_owned()),
        Just("<svg onload=alert(1)>".to_owned()),
        Just("<a href=\"".to_owned()),
        Just("\">".to_owned()),
        Just("javascript:".to_owned()),
        Just("jav&#x09;ascript:".to_owned()),
        Just("&#106;".to_owned()),
        Just("data:text/html,".to_owned()),
        Just("[x](".to_owned()),
        Just("![y](".to_owned()),
        Just(")".to_owned()),
        Just("<".to_owned()),
        Just(">".to_owned()),
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just("`".to_owned()),
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("    ".to_owned()),
        Just("<!--".to_owned()),
        Just("-->".to_owned()),
        Just("style=\"x:expression(1)\"".to_owned()),
        Just(" onmouseover=alert(1) ".to_owned()),
        Just("<iframe src=".to_owned()),
        Just("| a | b |\n|---|---|\n".to_owned()),
        Just("[^1]\n\n[^1]: ".to_owned()),
        "[a-z]{1,8}".prop_map(String::from),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(fragment, 0..24).prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn any_text_renders_to_safe_idempotent_html(markdown in any::<String>()) {
        assert_clean(&markdown);
    }

    #[test]
    fn hostile_fragments_in_any_order_render_to_safe_idempotent_html(markdown in hostile_markdown()) {
        assert_clean(&markdown);
    }
}
