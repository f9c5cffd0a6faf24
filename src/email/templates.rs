//! Email bodies, rendered by the crate's one template engine (`crate::templates`) from
//! `templates/email/<name>.txt` and `<name>.html`, embedded in the binary at build time. The `.html` templates escape every value (autoescape
//! by file name), so a newsletter name or a URL can never inject markup; the `.txt` ones do
//! not. A value missing from the context is an error, not an empty string.

use anyhow::Context;

/// Renders the email template `name` with `ctx`: (plain text, HTML).
pub fn render(name: &str, ctx: serde_json::Value) -> anyhow::Result<(String, String)> {
    let render_one = |file: String| -> anyhow::Result<String> {
        crate::templates::render(&file, &ctx).with_context(|| format!("email {name}"))
    };
    let text = render_one(format!("email/{name}.txt"))?;
    let html = render_one(format!("email/{name}.html"))?;
    Ok((text, html))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn confirm(name: &str) -> (String, String) {
        render(
            "confirm",
            json!({
                "newsletter_name": name,
                "confirm_url": "https://news.example/confirm?token=abc&x=1",
                "policy_version": "2026-01",
            }),
        )
        .expect("renders")
    }

    #[test]
    fn confirm_renders_text_and_html() {
        let (text, html) = confirm("Eastern Briefings");
        assert!(text.contains("Eastern Briefings"));
        assert!(text.contains("https://news.example/confirm?token=abc&x=1"));
        assert!(text.contains("ignore this email"));
        assert!(text.contains("2026-01"));
        assert!(!text.contains('<'));
        assert!(html.contains("<h1"));
        // minijinja escapes `/` too (`&#x2f;`): entities are decoded in attributes.
        assert!(
            html.contains("href=\"https:&#x2f;&#x2f;news.example&#x2f;confirm?token=abc&amp;x=1\""),
            "{html}"
        );
        assert!(html.contains("ignore this email"));
    }

    #[test]
    fn html_escapes_values_and_text_keeps_them() {
        let (text, html) = confirm("<script>alert(1)</script> & Co");
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; Co"),
            "{html}"
        );
        assert!(text.contains("<script>alert(1)</script> & Co"));
    }

    #[test]
    fn a_missing_value_or_template_is_an_error() {
        assert!(render("confirm", json!({"newsletter_name": "x"})).is_err());
        assert!(render("nope", json!({})).is_err());
    }
}
