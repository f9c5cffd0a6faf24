//! SQL-injection, markup, template and control-character payloads in every text field of
//! every writable resource: each is stored verbatim (and read back equal) or refused with a
//! 4xx problem that changes nothing; and what is stored is served escaped in every HTML or
//! XML output (feeds, sitemap, the newsletter page, emails). This file holds the payloads and
//! the row counts a refused write must leave unchanged.

mod lines_and_urls;
mod served_escaped;
mod stored_verbatim;

use crate::helpers::TestApp;

/// Text an attacker would try in a free-text field.
pub const PAYLOADS: &[&str] = &[
    "Robert'); DROP TABLE articles;--",
    "' OR '1'='1' --",
    "1; select pg_sleep(10); --",
    "\\'; $$ E'\\\\' %_ \\x00 ;",
    "<script>alert('x')</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(document.cookie)",
    "{{ 7 * 7 }} {% if true %}T{% endif %} ${7*7}",
    "]]></title><script>x</script><![CDATA[",
    "\u{202e}evil\u{200b} 😀 中文 پاکستان ﷽",
    "a\u{0}b",
    "tab\tand\r\nnew line",
];

/// Rows of every table a write could touch.
async fn footprint(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for table in [
        "outlets",
        "sections",
        "authors",
        "users",
        "partners",
        "newsletters",
        "newsletter_issues",
        "articles",
        "subscribers",
        "audit_entries",
    ] {
        out.push(app.count(table).await);
    }
    out
}
