//! Markdown to safe HTML.

use pulldown_cmark::{html, Options, Parser};

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

#[cfg(test)]
mod tests {
    use super::*;

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
