//! The rows a seeded story writes beside its `articles` row (revisions, outbox events, a
//! correction) and the ids they get: made by `content.rs`, filled in by `history.rs`.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::articles::Snapshot;
use crate::outbox::EventType;

/// A saved version: what a row of `article_revisions` holds.
pub struct Revision {
    pub number: i32,
    pub action: &'static str,
    pub note: Option<&'static str>,
    pub at: DateTime<Utc>,
    pub snapshot: Snapshot,
}

/// A row of `outbox_events`.
pub struct Event {
    pub id: Uuid,
    pub kind: EventType,
    pub version: i32,
    pub at: DateTime<Utc>,
}

/// A row of `article_corrections`.
pub struct CorrectionNote {
    pub id: Uuid,
    pub note: &'static str,
    pub at: DateTime<Utc>,
}

/// A UUID shaped like the application's v7 ids (so seeded rows sort by time like real ones),
/// with `kind` in the 12 bits v7 leaves random and the story's number in the last 62: unique
/// without randomness, and recognisable.
pub fn seed_id(kind: u16, at: DateTime<Utc>, n: u64) -> Uuid {
    let ms = u128::from(at.timestamp_millis().max(0) as u64) & ((1 << 48) - 1);
    let value = (ms << 80)
        | (0x7 << 76)
        | (u128::from(kind & 0xfff) << 64)
        | (0b10 << 62)
        | u128::from(n & ((1 << 62) - 1));
    Uuid::from_u128(value)
}

pub(super) const ARTICLE_ID: u16 = 0x5ee;
pub(super) const EVENT_ID: u16 = 0x5ef;
pub(super) const CORRECTION_ID: u16 = 0x5ec;
