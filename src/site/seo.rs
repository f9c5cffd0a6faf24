//! What search engines and share previews read on a story page: the schema.org
//! `NewsArticle` JSON-LD, built as a value with serde_json (never by concatenating strings)
//! and made safe to sit inside `<script type="application/ld+json">`: `<`, `>` and `&` are
//! written as `\u003c`, `\u003e`, `\u0026`, which JSON reads back as the same text, so no
//! headline can close the element or open a comment.

use serde_json::{json, Value};

use crate::public::PublicStory;

/// The `NewsArticle` of a story at `url`, published by `publisher` (the outlet's name).
pub fn news_article(story: &PublicStory, url: &str, base: &str, image: Option<&str>) -> Value {
    let authors: Vec<Value> = story
        .authors
        .iter()
        .map(|a| {
            json!({
                "@type": "Person",
                "name": a.name,
                "url": format!("{base}/author/{}", crate::public::urls::segment(&a.slug)),
            })
        })
        .collect();
    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": url,
        "url": url,
        "headline": story.headline,
        "inLanguage": story.language,
        "datePublished": story.first_published_at.unwrap_or(story.published_at).to_rfc3339(),
        "dateModified": story.updated_at.to_rfc3339(),
        "author": authors,
        "publisher": {
            "@type": "Organization",
            "name": story.outlet.name,
            "url": format!("{base}/{}", crate::public::urls::segment(&story.outlet.slug)),
        },
    });
    if let (Some(standfirst), Some(map)) = (&story.standfirst, article.as_object_mut()) {
        map.insert("description".into(), Value::String(standfirst.clone()));
    }
    if let (Some(image), Some(map)) = (image, article.as_object_mut()) {
        map.insert("image".into(), json!([image]));
    }
    if let (Some(section), Some(map)) = (&story.section, article.as_object_mut()) {
        map.insert("articleSection".into(), Value::String(section.name.clone()));
    }
    article
}

/// `value` as JSON text that cannot end the `<script>` element it is written into.
pub fn script_safe(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            // Line and paragraph separators end a line in old JavaScript parsers.
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn a_hostile_text_cannot_close_the_script_and_reads_back_the_same() {
        let value = json!({"headline": "</script><script>alert(1)</script> & <!--"});
        let safe = super::script_safe(&value);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }
}
