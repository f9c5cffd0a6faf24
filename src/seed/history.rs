//! The history a seeded story carries: its revisions, outbox events and correction note.

use chrono::{DateTime, Utc};

use super::records::{seed_id, CorrectionNote, Event, Revision, EVENT_ID};
use crate::articles::Article;
use crate::outbox::EventType;

pub(super) struct History {
    pub(super) revisions: Vec<Revision>,
    pub(super) events: Vec<Event>,
    pub(super) correction: Option<CorrectionNote>,
}

impl History {
    /// With `replay`, the `create` revision of version 1; otherwise no revision yet (`import`
    /// adds the only one).
    pub(super) fn new(article: &Article, replay: bool) -> History {
        let create = Revision {
            number: 1,
            action: "create",
            note: None,
            at: article.created_at,
            snapshot: article.snapshot(),
        };
        History {
            revisions: if replay { vec![create] } else { Vec::new() },
            events: Vec::new(),
            correction: None,
        }
    }

    /// The one revision of a story written in its final state: version 1, as of its last
    /// change.
    pub(super) fn import(&mut self, article: &Article, note: Option<&'static str>) {
        self.revisions.push(Revision {
            number: 1,
            action: "import",
            note,
            at: article.updated_at,
            snapshot: article.snapshot(),
        });
    }

    /// A saved change: the next version, its revision and time.
    pub(super) fn save(
        &mut self,
        article: &mut Article,
        action: &'static str,
        note: Option<&'static str>,
        at: DateTime<Utc>,
    ) {
        article.version += 1;
        article.updated_at = at;
        self.revisions.push(Revision {
            number: article.version,
            action,
            note,
            at,
            snapshot: article.snapshot(),
        });
    }

    pub(super) fn event(&mut self, kind: EventType, version: i32, at: DateTime<Utc>, n: u64) {
        let id = seed_id(EVENT_ID, at, n * 4 + self.events.len() as u64);
        self.events.push(Event {
            id,
            kind,
            version,
            at,
        });
    }
}
