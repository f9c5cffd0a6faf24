//! The syndication API: partners pull published stories with an API key, as IPTC ninjs 1.3,
//! through a change feed ordered by commit so that a partner polling in a loop never misses
//! a publication, a correction or a takedown.

pub mod feeds;
pub mod http;
mod ninjs;
mod store;
pub mod story_cache;
pub mod usage;
pub mod usage_report;
mod usage_tally;

pub use ninjs::{story, Ninjs};
// The webhooks announce stories as the syndication API shows them.
pub use crate::stories::{by_id as story_by_id, StoryRow};
pub use story_cache::StoryCache;
pub use usage::UsageLog;
