//! What the reader site keeps of its own work, per instance, so that no page shows anything
//! older than `NEWSROOM_SITE_CACHE_MS` (1 s by default): rendered pages by address, and the
//! frame's catalogue (sections, outlets, newsletter), each kept for half of it (`ttl`), since
//! a page may be made from a catalogue made up to one `ttl` before. A busy page is made two
//! or three times a second per instance however many ask: one reader makes it again before
//! it expires while the others get the kept one ([`AHEAD`]); readers of an expired page wait
//! for one making (when that fails, they make their own side by side).
//!
//! Why a takedown cannot outlive the bound: an entry's age is counted from before its making
//! read the database, so anything committed after that reading is shown once the entry
//! expires. On this instance it is quicker: every successful staff write
//! ([`SiteCache::forget_all`], called by `page::forget_after_writes`) drops everything kept,
//! a page made across such a write is not kept, and a move of the service clock past an
//! entry's age drops it too (a lifted embargo in tests). Other instances, the clock's own
//! publications and lifted embargoes are covered by the bound alone. Pages that say a story
//! is missing (404) are never kept, and a making ahead that fails (the story taken down)
//! drops the kept page before its reader is answered: once a reader was told a story is
//! gone, no reader after it is served the story from here.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use chrono::{DateTime, Utc};

use crate::public::{PublicOutlet, PublicSection};

/// Bytes of pages an instance keeps (about 500 story pages); older ones go first.
pub const PAGE_BUDGET: usize = 16 << 20;

/// A rendered page (or a public API or partner feed answer) with what its answer's headers
/// need.
#[derive(Clone, Debug)]
pub struct Page {
    pub body: Bytes,
    pub etag: String,
    pub modified: Option<DateTime<Utc>>,
    /// The visible stories a partner's feed page carries, which each request that gets the
    /// page records in the partner's usage (empty elsewhere).
    pub served: Arc<[Served]>,
}

/// A story a kept feed page carries, as the usage log records it.
#[derive(Clone, Copy, Debug)]
pub struct Served {
    pub article_id: uuid::Uuid,
    pub article_version: i32,
    pub outlet_id: uuid::Uuid,
}

impl Page {
    /// `body` with its strong ETag (`http_cache::etag_of`), carrying no stories.
    pub fn new(body: Vec<u8>, modified: Option<DateTime<Utc>>) -> Page {
        Page {
            etag: crate::http_cache::etag_of(&body),
            body: body.into(),
            modified,
            served: Arc::from([]),
        }
    }
}

/// When an entry was made: by the monotonic clock, by the service clock, and in which
/// generation (writes through this instance start a new one).
#[derive(Clone, Copy)]
struct Made {
    at: Instant,
    clock: DateTime<Utc>,
    generation: u64,
}

struct Entry<V> {
    value: V,
    made: Made,
    size: usize,
    /// A reader is making it again ahead of its expiry (see [`AHEAD`]).
    ahead: bool,
}

/// From which part of its keeping time an entry is made again ahead of its expiry, by the
/// first reader past it, while the others are still served the kept one. Without it every
/// reader that came while a busy entry was made again waited for that making (the partner
/// feed's page: 3 ms alone, more under load, twice a second: its p99 at a steady rate). The
/// bound does not move: an entry is never served past its keeping time.
const AHEAD: (u32, u32) = (3, 4);

/// What a reader finds kept under a key: good (serve it), good but past [`AHEAD`] (this
/// reader makes it again; the entry was made at that instant), or nothing good.
enum Found<V> {
    Fresh(V),
    Due(Instant),
    Missing,
}

struct Entries<V> {
    by_key: HashMap<String, Entry<V>>,
    /// Keys in the order they were stored (so also of expiry), with when.
    order: VecDeque<(String, Instant)>,
    bytes: usize,
}

impl<V> Entries<V> {
    /// Drops the entry at `key` if it is still the one made at `at`.
    fn remove_made_at(&mut self, key: &str, at: Instant) {
        let same = self.by_key.get(key).is_some_and(|e| e.made.at == at);
        if let Some(gone) = same.then(|| self.by_key.remove(key)).flatten() {
            self.bytes -= gone.size;
        }
    }
}

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Entries {
            by_key: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
        }
    }
}

/// The readers of one key being made: the first makes it, the others wait for its turn.
#[derive(Default)]
struct Flight {
    turn: tokio::sync::Mutex<()>,
    /// Set when a maker failed: the readers still waiting then make their own, side by side,
    /// instead of failing one after the other (a database that does not answer).
    failed: std::sync::atomic::AtomicBool,
}

/// A reader's place in a flight; leaving it (however the request ends, a client that went
/// away included) takes the flight off the map when nobody else is in it.
struct Boarded<'a, V> {
    kept: &'a Kept<V>,
    key: &'a str,
    flight: Arc<Flight>,
}

impl<V> Drop for Boarded<'_, V> {
    fn drop(&mut self) {
        let mut flights = self.kept.flights.lock().unwrap_or_else(|e| e.into_inner());
        // The map's and ours: nobody else is in this flight.
        if Arc::strong_count(&self.flight) <= 2 {
            flights.remove(self.key);
        }
    }
}

/// A map whose entries are good for one `ttl` and one generation.
struct Kept<V> {
    entries: Mutex<Entries<V>>,
    /// One flight per key being made.
    flights: Mutex<HashMap<String, Arc<Flight>>>,
    budget: usize,
}

impl<V: Clone> Kept<V> {
    fn new(budget: usize) -> Self {
        Kept {
            entries: Mutex::new(Entries::default()),
            flights: Mutex::default(),
            budget,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Entries<V>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn fresh(&self, key: &str, now: &Now) -> Option<V> {
        let entries = self.lock();
        let entry = entries.by_key.get(key)?;
        now.keeps(entry.made).then(|| entry.value.clone())
    }

    /// The entry at `key`, and whether this reader is the one to make it again ahead of its
    /// expiry (only one reader per entry is told so).
    fn find(&self, key: &str, now: &Now) -> Found<V> {
        let mut entries = self.lock();
        let Some(entry) = entries.by_key.get_mut(key) else {
            return Found::Missing;
        };
        if !now.keeps(entry.made) {
            return Found::Missing;
        }
        if !entry.ahead && now.due(entry.made) {
            entry.ahead = true;
            return Found::Due(entry.made.at);
        }
        Found::Fresh(entry.value.clone())
    }

    fn store(&self, key: String, value: V, size: usize, made: Made, ttl: Duration) {
        if size > self.budget {
            return;
        }
        let mut entries = self.lock();
        entries.order.push_back((key.clone(), made.at));
        let entry = Entry {
            value,
            made,
            size,
            ahead: false,
        };
        if let Some(old) = entries.by_key.insert(key, entry) {
            entries.bytes -= old.size;
        }
        entries.bytes += size;
        // Expired entries first, then the oldest while over the budget.
        while let Some((key, at)) = entries.order.front().cloned() {
            if at.elapsed() < ttl && entries.bytes <= self.budget {
                break;
            }
            entries.order.pop_front();
            entries.remove_made_at(&key, at);
        }
    }

    fn board<'a>(&'a self, key: &'a str) -> Boarded<'a, V> {
        let mut flights = self.flights.lock().unwrap_or_else(|e| e.into_inner());
        let flight = flights.entry(key.to_owned()).or_default().clone();
        Boarded {
            kept: self,
            key,
            flight,
        }
    }

    fn clear(&self) {
        // Freed once the lock is let go: a staff write must not hold every reader up while
        // thousands of kept answers are freed.
        let kept = std::mem::take(&mut *self.lock());
        drop(kept);
    }
}

/// "Now" for freshness checks.
struct Now {
    clock: DateTime<Utc>,
    generation: u64,
    ttl: Duration,
}

impl Now {
    fn keeps(&self, made: Made) -> bool {
        let by_clock = self.clock.signed_duration_since(made.clock);
        made.generation == self.generation
            && made.at.elapsed() < self.ttl
            && by_clock >= chrono::TimeDelta::zero()
            && by_clock.to_std().is_ok_and(|d| d < self.ttl)
    }

    /// Whether an entry this reader `keeps` is past [`AHEAD`] of its keeping time.
    fn due(&self, made: Made) -> bool {
        let (part, of) = AHEAD;
        made.at.elapsed() >= self.ttl * part / of
    }
}

/// The reader site's cache of one instance.
pub struct SiteCache {
    ttl: Duration,
    generation: AtomicU64,
    pages: Kept<Page>,
    catalogue: Kept<Arc<Catalogue>>,
}

/// The catalogue around every page: the sections for the navigation, the outlets for their
/// looks, and the newsletter the sign-up block offers.
pub struct Catalogue {
    pub sections: Vec<PublicSection>,
    pub outlets: Vec<PublicOutlet>,
    pub newsletter: Option<Offered>,
}

/// A newsletter as the sign-up block names it.
#[derive(Clone)]
pub struct Offered {
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
}

impl SiteCache {
    /// A cache whose pages show nothing older than `bound` (zero turns it off): pages and
    /// the catalogue each keep for half of it, as a page may be made from a catalogue made
    /// up to its own keeping time before.
    pub fn new(bound: Duration) -> Self {
        SiteCache {
            ttl: bound / 2,
            generation: AtomicU64::new(0),
            pages: Kept::new(PAGE_BUDGET),
            catalogue: Kept::new(usize::MAX),
        }
    }

    /// Drops everything kept: something changed through this instance.
    pub fn forget_all(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.pages.clear();
        self.catalogue.clear();
    }

    fn now(&self, clock: DateTime<Utc>) -> Now {
        Now {
            clock,
            generation: self.generation.load(Ordering::SeqCst),
            ttl: self.ttl,
        }
    }

    /// The page at `key`: kept, or made by `render` (and kept when it succeeds).
    pub async fn page<E>(
        &self,
        key: &str,
        clock: impl Fn() -> DateTime<Utc>,
        render: impl Future<Output = Result<Page, E>>,
    ) -> Result<Page, E> {
        if self.ttl.is_zero() {
            return render.await;
        }
        let size = |page: &Page| page.body.len() + page.etag.len() + key.len() + 64;
        self.through(&self.pages, key, clock, render, size).await
    }

    /// The catalogue every page's frame shows: kept, or loaded by `load`.
    pub async fn catalogue<E>(
        &self,
        clock: impl Fn() -> DateTime<Utc>,
        load: impl Future<Output = Result<Catalogue, E>>,
    ) -> Result<Arc<Catalogue>, E> {
        let load = async { load.await.map(Arc::new) };
        if self.ttl.is_zero() {
            return load.await;
        }
        self.through(&self.catalogue, "", clock, load, |_| 0).await
    }

    async fn through<V: Clone, E>(
        &self,
        kept: &Kept<V>,
        key: &str,
        clock: impl Fn() -> DateTime<Utc>,
        make: impl Future<Output = Result<V, E>>,
        size: impl Fn(&V) -> usize,
    ) -> Result<V, E> {
        let ahead_of = match kept.find(key, &self.now(clock())) {
            Found::Fresh(value) => return Ok(value),
            Found::Due(at) => Some(at),
            Found::Missing => None,
        };
        // Who finds it expired while it is made ahead waits for that making, as for any.
        let boarded = kept.board(key);
        let turn = boarded.flight.turn.lock().await;
        if ahead_of.is_none() {
            if let Some(value) = kept.fresh(key, &self.now(clock())) {
                return Ok(value);
            }
        }
        if boarded.flight.failed.load(Ordering::SeqCst) {
            drop(turn);
            return make.await;
        }
        // Counted from before the database is read: see the module's comment.
        let made = Made {
            at: Instant::now(),
            clock: clock(),
            generation: self.generation.load(Ordering::SeqCst),
        };
        match make.await {
            Ok(value) => {
                // Made across a write through this instance: good for this reader, not kept.
                if made.generation == self.generation.load(Ordering::SeqCst) {
                    kept.store(key.to_owned(), value.clone(), size(&value), made, self.ttl);
                }
                Ok(value)
            }
            Err(err) => {
                // Made ahead and failed (the story taken down, say): the kept entry goes
                // before this reader is answered, so nobody is served it after.
                if let Some(at) = ahead_of {
                    kept.lock().remove_made_at(key, at);
                }
                boarded.flight.failed.store(true, Ordering::SeqCst);
                Err(err)
            }
        }
    }
}

#[cfg(test)]
#[path = "page_cache_tests.rs"]
mod tests;
