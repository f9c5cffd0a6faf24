//! Stories as `COPY … from stdin` text: one buffer per table, written in one transaction per
//! batch. Text format: tab between columns, `\N` for null, and backslash, tab, newline and
//! carriage return escaped with a backslash (arrays are quoted once more, as array literals).

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::content::Story;
use crate::articles::Status;

/// The rows of a run of consecutive stories.
#[derive(Default)]
pub struct Batch {
    /// The number of the first story and how many follow.
    pub first: u64,
    pub count: u64,
    articles: Vec<u8>,
    authors: Vec<u8>,
    revisions: Vec<u8>,
    events: Vec<u8>,
    corrections: Vec<u8>,
}

const ARTICLES: &str = "copy articles (id, outlet_id, slug, headline, standfirst, body, body_html, section_id, tags,
    language, status, version, created_at, updated_at, first_published_at, published_at, scheduled_at,
    embargo_until, embargo_released_at) from stdin";
const AUTHORS: &str = "copy article_authors (article_id, author_id, position) from stdin";
const REVISIONS: &str = "copy article_revisions (article_id, number, snapshot, actor_label, action, note, created_at) from stdin";
// `txid` is left to its default, the writing transaction's id: the feed orders by it.
const EVENTS: &str = "copy outbox_events (id, event_type, article_id, article_version, occurred_at, delivered_at) from stdin";
const CORRECTIONS: &str = "copy article_corrections (id, article_id, note, created_at) from stdin";

impl Batch {
    pub fn new(first: u64) -> Batch {
        Batch {
            first,
            ..Batch::default()
        }
    }

    pub fn push(&mut self, story: &Story) -> serde_json::Result<()> {
        let a = &story.article;
        Row::new(&mut self.articles)
            .uuid(a.id)
            .uuid(a.outlet_id)
            .text(a.content.slug.as_str())
            .text(a.content.headline.as_str())
            .opt_text(a.content.standfirst.as_deref())
            .text(&a.content.body)
            .text(&a.body_html)
            .opt_uuid(a.content.section_id)
            .text(&array_literal(&a.content.tags))
            .text(a.content.language.as_str())
            .text(status(a.status))
            .int(a.version.into())
            .time(a.created_at)
            .time(a.updated_at)
            .opt_time(a.first_published_at)
            .opt_time(a.published_at)
            .opt_time(a.scheduled_at)
            .opt_time(a.content.embargo_until)
            .opt_time(a.embargo_released_at)
            .end();
        for (position, author) in a.content.author_ids.iter().enumerate() {
            Row::new(&mut self.authors)
                .uuid(a.id)
                .uuid(*author)
                .int(position as i64 + 1)
                .end();
        }
        for r in &story.revisions {
            let snapshot = serde_json::to_string(&r.snapshot)?;
            Row::new(&mut self.revisions)
                .uuid(a.id)
                .int(r.number.into())
                .text(&snapshot)
                .text("cli")
                .text(r.action)
                .opt_text(r.note)
                .time(r.at)
                .end();
        }
        for e in &story.events {
            // Past events: partners' webhooks are not sent a history they never subscribed to.
            Row::new(&mut self.events)
                .uuid(e.id)
                .text(e.kind.as_str())
                .uuid(a.id)
                .int(e.version.into())
                .time(e.at)
                .time(e.at)
                .end();
        }
        if let Some(c) = &story.correction {
            Row::new(&mut self.corrections)
                .uuid(c.id)
                .uuid(a.id)
                .text(c.note)
                .time(c.at)
                .end();
        }
        self.count += 1;
        Ok(())
    }

    /// COPYs every table's rows (articles first: the others refer to them).
    pub async fn write(&self, conn: &mut PgConnection) -> sqlx::Result<()> {
        for (statement, data) in [
            (ARTICLES, &self.articles),
            (AUTHORS, &self.authors),
            (REVISIONS, &self.revisions),
            (EVENTS, &self.events),
            (CORRECTIONS, &self.corrections),
        ] {
            if data.is_empty() {
                continue;
            }
            let mut copy = conn.copy_in_raw(statement).await?;
            if let Err(err) = copy.send(data.as_slice()).await {
                // The connection must leave COPY mode before it can roll back.
                let _ = copy.abort(err.to_string()).await;
                return Err(err);
            }
            copy.finish().await?;
        }
        Ok(())
    }
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Draft => "draft",
        Status::InReview => "in_review",
        Status::Approved => "approved",
        Status::Scheduled => "scheduled",
        Status::Published => "published",
        Status::Unpublished => "unpublished",
        Status::Killed => "killed",
    }
}

/// `{"a","b"}` with quotes and backslashes escaped: a text[] literal.
fn array_literal(items: &[String]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|s| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!("{{{}}}", quoted.join(","))
}

/// One line of COPY text being written.
struct Row<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Row<'a> {
    fn new(out: &'a mut Vec<u8>) -> Row<'a> {
        Row { out, first: true }
    }

    fn sep(&mut self) {
        if !self.first {
            self.out.push(b'\t');
        }
        self.first = false;
    }

    fn text(mut self, value: &str) -> Self {
        self.sep();
        for &b in value.as_bytes() {
            match b {
                b'\\' => self.out.extend_from_slice(b"\\\\"),
                b'\t' => self.out.extend_from_slice(b"\\t"),
                b'\n' => self.out.extend_from_slice(b"\\n"),
                b'\r' => self.out.extend_from_slice(b"\\r"),
                _ => self.out.push(b),
            }
        }
        self
    }

    fn null(mut self) -> Self {
        self.sep();
        self.out.extend_from_slice(b"\\N");
        self
    }

    fn opt_text(self, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.text(v),
            None => self.null(),
        }
    }

    fn uuid(self, id: Uuid) -> Self {
        self.text(id.hyphenated().encode_lower(&mut Uuid::encode_buffer()))
    }

    fn opt_uuid(self, id: Option<Uuid>) -> Self {
        match id {
            Some(id) => self.uuid(id),
            None => self.null(),
        }
    }

    fn int(self, n: i64) -> Self {
        self.text(&n.to_string())
    }

    fn time(self, at: DateTime<Utc>) -> Self {
        self.text(&at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string())
    }

    fn opt_time(self, at: Option<DateTime<Utc>>) -> Self {
        match at {
            Some(at) => self.time(at),
            None => self.null(),
        }
    }

    fn end(self) {
        self.out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_copy() {
        let mut out = Vec::new();
        Row::new(&mut out)
            .text("a\tb\nc\\d\re")
            .opt_text(None)
            .text(&array_literal(&["x\"y".into(), "z\\".into()]))
            .end();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a\\tb\\nc\\\\d\\re\t\\N\t{\"x\\\\\"y\",\"z\\\\\\\\\"}\n"
        );
    }
}
