//! Rendered single stories: the ninjs JSON of a story and its ETag, kept per instance so that
//! a story partners fetch again and again is rendered, serialised and hashed once.
//!
//! Why it can never serve a stale story: an entry holds the very [`StoryRow`] it was rendered
//! from, and it is used only when the row just read from the database is equal to it, field
//! by field. The row holds everything the rendering reads (names of the authors, outlet,
//! section and origin, corrections, status, embargo, body …), so an equal row renders to the
//! same bytes. Whether the partner may see the story (entitlements, status, embargo against
//! the clock) is decided on every request before the cache is asked. Nothing is ever
//! invalidated: a changed row simply misses and replaces its entry.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use actix_web::web::Bytes;
use uuid::Uuid;

use crate::stories::StoryRow;

/// Bytes of rendered bodies and their rows an instance keeps (about 1,500 stories of 5 KB).
pub const DEFAULT_BUDGET: usize = 16 << 20;

/// A rendered story body with its strong ETag.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub body: Bytes,
    pub etag: String,
}

struct Entry {
    row: StoryRow,
    rendered: Rendered,
    size: usize,
}

#[derive(Default)]
struct Entries {
    by_id: HashMap<Uuid, Entry>,
    /// Ids in the order they were first cached: the oldest is evicted first.
    order: VecDeque<Uuid>,
    bytes: usize,
}

/// A bounded map from article id to its latest rendering.
pub struct StoryCache {
    entries: Mutex<Entries>,
    budget: usize,
}

impl Default for StoryCache {
    fn default() -> Self {
        StoryCache::new(DEFAULT_BUDGET)
    }
}

impl StoryCache {
    /// A cache holding at most `budget` bytes (0 turns it off).
    pub fn new(budget: usize) -> Self {
        StoryCache {
            entries: Mutex::default(),
            budget,
        }
    }

    /// The rendering of `row`: cached if `row` is exactly the row it was made from, else made
    /// by `render` (and cached in place of the old one).
    pub fn get_or_render<E>(
        &self,
        row: StoryRow,
        render: impl FnOnce(&StoryRow) -> Result<Rendered, E>,
    ) -> Result<Rendered, E> {
        if let Some(entry) = self.lock().by_id.get(&row.id) {
            if entry.row == row {
                return Ok(entry.rendered.clone());
            }
        }
        let rendered = render(&row)?;
        self.insert(row, rendered.clone());
        Ok(rendered)
    }

    fn insert(&self, row: StoryRow, rendered: Rendered) {
        let size = rendered.body.len() + rendered.etag.len() + row.heap_size();
        if size > self.budget {
            return;
        }
        let mut entries = self.lock();
        let id = row.id;
        let old = entries.by_id.insert(
            id,
            Entry {
                row,
                rendered,
                size,
            },
        );
        match old {
            Some(old) => entries.bytes -= old.size,
            None => entries.order.push_back(id),
        }
        entries.bytes += size;
        while entries.bytes > self.budget {
            let Some(oldest) = entries.order.pop_front() else {
                break;
            };
            if let Some(evicted) = entries.by_id.remove(&oldest) {
                entries.bytes -= evicted.size;
            }
        }
    }

    /// How many stories and bytes are cached.
    pub fn usage(&self) -> (usize, usize) {
        let entries = self.lock();
        (entries.by_id.len(), entries.bytes)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::{Rendered, StoryCache};
    use crate::stories::StoryRow;

    fn row(body: &str) -> StoryRow {
        StoryRow::example(body)
    }

    fn render(row: &StoryRow) -> Result<Rendered, ()> {
        Ok(Rendered {
            body: row.body_html.clone().unwrap_or_default().into(),
            etag: row.author_names().collect::<Vec<_>>().join(","),
        })
    }

    #[test]
    fn an_equal_row_is_served_from_the_cache_and_a_changed_one_is_rendered_again() {
        let cache = StoryCache::new(1 << 20);
        let first = row("<p>x</p>");
        let mut renders = 0;
        let mut get = |r: &StoryRow| {
            cache.get_or_render(r.clone(), |r| {
                renders += 1;
                render(r)
            })
        };
        get(&first).unwrap();
        get(&first).unwrap();
        let mut renamed = first.clone();
        renamed.authors.0[0].name = "Ayesha K. Khan".into();
        let again = get(&renamed).unwrap();
        assert_eq!(
            again.etag, "Ayesha K. Khan",
            "a changed name is never served stale"
        );
        get(&renamed).unwrap();
        assert_eq!(renders, 2);
        assert_eq!(cache.usage().0, 1, "the new rendering replaced the old one");
    }

    #[test]
    fn the_cache_stays_within_its_budget() {
        let one = row(&"x".repeat(1000));
        let size = one.heap_size() + 1000 + 1;
        let cache = StoryCache::new(size * 3);
        for _ in 0..10 {
            cache
                .get_or_render(row(&"x".repeat(1000)), |r| {
                    render(r).map(|mut r| {
                        r.etag = "e".into();
                        r
                    })
                })
                .unwrap();
        }
        let (stories, bytes) = cache.usage();
        assert_eq!(stories, 3);
        assert!(bytes <= size * 3);
        let off = StoryCache::new(0);
        off.get_or_render(one, render).unwrap();
        assert_eq!(off.usage(), (0, 0), "a budget of 0 keeps nothing");
    }
}
