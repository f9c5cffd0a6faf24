//! The small HTML pages a reader sees after following a link from an email. Every value is
//! escaped; the pages load nothing from elsewhere.

/// Escapes text for HTML content and quoted attribute values.
fn clean_text(text: &str) -> String {
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

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{}</title></head>\
         <body style=\"font-family: sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem\">\
         <h1>{}</h1>{body}</body></html>",
        clean_text(title),
        clean_text(title)
    )
}

/// The page behind the confirmation link: a button, so a link checker that opens the link
/// does not confirm anything.
pub fn confirm_form(token: &str) -> String {
    page(
        "Confirm your subscription",
        &format!(
            "<p>Press the button to confirm that you want to receive this newsletter.</p>\
             <form method=\"post\" action=\"confirm\"><input type=\"hidden\" name=\"token\" value=\"{}\">\
             <button type=\"submit\">Confirm my subscription</button></form>",
            clean_text(token)
        ),
    )
}

pub fn confirmed(newsletter: &str) -> String {
    page(
        "Subscription confirmed",
        &format!(
            "<p>You will receive {}. Every issue has a link to unsubscribe.</p>",
            clean_text(newsletter)
        ),
    )
}

pub fn unsubscribe_form(token: &str) -> String {
    page(
        "Unsubscribe",
        &format!(
            "<p>Press the button to stop receiving this newsletter.</p>\
             <form method=\"post\" action=\"unsubscribe\"><input type=\"hidden\" name=\"token\" value=\"{}\">\
             <button type=\"submit\">Unsubscribe</button></form>",
            clean_text(token)
        ),
    )
}

pub fn unsubscribed(newsletter: &str) -> String {
    page(
        "You have unsubscribed",
        &format!(
            "<p>You will not receive {} any more.</p>",
            clean_text(newsletter)
        ),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_are_escaped() {
        let page = super::confirmed("<script>alert(1)</script>");
        assert!(!page.contains("<script>"));
        let form = super::confirm_form("\"><img src=x onerror=alert(1)>");
        assert!(!form.contains("<img"));
    }
}
