//! The usage log's units: a fetch, as the handlers record it, and one key's fetches of one
//! story version in one hour (UTC), as a row of `partner_usage` and as the buffer adds them
//! up before a flush.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use uuid::Uuid;

/// One story fetched by one key.
#[derive(Clone, Debug)]
pub struct Fetch {
    pub partner_id: Uuid,
    pub key_id: Uuid,
    pub article_id: Uuid,
    pub article_version: i32,
    pub outlet_id: Uuid,
    pub at: DateTime<Utc>,
}

/// A row of `partner_usage`: one key's fetches of one story version in one hour. The fields
/// are in the order of the table's primary key, so that sorted rows are written in the
/// index's order by every instance (no two flushes wait on each other's rows crosswise).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct Bucket {
    pub(super) partner_id: Uuid,
    pub(super) hour: DateTime<Utc>,
    pub(super) key_id: Uuid,
    pub(super) article_id: Uuid,
    pub(super) article_version: i32,
    pub(super) outlet_id: Uuid,
}

impl Bucket {
    pub(super) fn of(fetch: &Fetch) -> Bucket {
        Bucket {
            partner_id: fetch.partner_id,
            // Only a time out of chrono's range fails to truncate; it then stays as it is.
            hour: fetch
                .at
                .duration_trunc(TimeDelta::hours(1))
                .unwrap_or(fetch.at),
            key_id: fetch.key_id,
            article_id: fetch.article_id,
            article_version: fetch.article_version,
            outlet_id: fetch.outlet_id,
        }
    }
}

/// How often a bucket's story was fetched, and the first and the last time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Tally {
    pub(super) fetches: i64,
    pub(super) first: DateTime<Utc>,
    pub(super) last: DateTime<Utc>,
}

impl Tally {
    pub(super) fn once(at: DateTime<Utc>) -> Tally {
        Tally {
            fetches: 1,
            first: at,
            last: at,
        }
    }

    pub(super) fn add(&mut self, other: Tally) {
        self.fetches += other.fetches;
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeZone, Utc};
    use uuid::Uuid;

    use super::{Bucket, Fetch, Tally};

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, h, m, s).unwrap()
    }

    fn fetch(when: DateTime<Utc>, version: i32) -> Fetch {
        let id = Uuid::from_u128(1);
        Fetch {
            partner_id: id,
            key_id: id,
            article_id: id,
            article_version: version,
            outlet_id: id,
            at: when,
        }
    }

    #[test]
    fn a_fetch_falls_in_its_hour_and_each_version_is_its_own() {
        let first = Bucket::of(&fetch(at(9, 0, 0), 1));
        assert_eq!(first.hour, at(9, 0, 0));
        assert_eq!(Bucket::of(&fetch(at(9, 59, 59), 1)), first);
        assert_eq!(Bucket::of(&fetch(at(10, 0, 0), 1)).hour, at(10, 0, 0));
        assert_ne!(Bucket::of(&fetch(at(9, 30, 0), 2)), first);
    }

    #[test]
    fn tallies_add_their_fetches_and_keep_the_first_and_last_time() {
        let mut tally = Tally::once(at(9, 30, 0));
        tally.add(Tally::once(at(9, 10, 0)));
        tally.add(Tally {
            fetches: 5,
            first: at(9, 20, 0),
            last: at(9, 50, 0),
        });
        assert_eq!(
            tally,
            Tally {
                fetches: 7,
                first: at(9, 10, 0),
                last: at(9, 50, 0),
            }
        );
    }
}
