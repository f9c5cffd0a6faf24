//! Keyset pagination: `?limit=` (1-100, default 20) and an opaque `?cursor=` that encodes the
//! sort key of the last row seen. No OFFSET: a page deep in the list costs what the first does,
//! and rows inserted meanwhile never shift a walk into repeats or gaps.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, Result};

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

/// One page of a list: `{"items": [...], "next": "<cursor or null>"}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass back as `?cursor=` for the next page; null on the last page.
    pub next: Option<String>,
}

/// Checks `?limit=`.
pub fn limit(raw: Option<i64>) -> Result<i64> {
    match raw {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(AppError::field(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        )),
    }
}

/// Opaque cursor codec.
pub struct Cursor;

impl Cursor {
    pub fn encode<K: Serialize>(key: &K) -> String {
        // Serialising plain keys (strings, uuids, timestamps) cannot fail.
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
    }

    pub fn decode<K: DeserializeOwned>(raw: Option<&str>) -> Result<Option<K>> {
        let Some(raw) = raw else { return Ok(None) };
        URL_SAFE_NO_PAD
            .decode(raw)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .map(Some)
            .ok_or_else(|| AppError::field("cursor", "is not a cursor this list handed out"))
    }
}

impl<T> Page<T> {
    /// Builds a page from `limit + 1` fetched rows: the extra row only says there is more.
    pub fn from_rows<K: Serialize>(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> K) -> Page<T> {
        let more = rows.len() as i64 > limit;
        rows.truncate(limit.max(0) as usize);
        let next = if more {
            rows.last().map(|last| Cursor::encode(&key(last)))
        } else {
            None
        };
        Page { items: rows, next }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = Cursor::encode(&("dawn", 3));
        assert_eq!(
            Cursor::decode::<(String, i32)>(Some(&c)).unwrap(),
            Some(("dawn".to_owned(), 3))
        );
        assert!(Cursor::decode::<(String, i32)>(Some("%%%")).is_err());
        assert!(Cursor::decode::<(String, i32)>(Some(&Cursor::encode(&"x"))).is_err());
    }

    #[test]
    fn a_page_knows_whether_more_follow() {
        let page = Page::from_rows(vec![1, 2, 3], 2, |n| *n);
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(
            Cursor::decode::<i32>(page.next.as_deref()).unwrap(),
            Some(2)
        );
        assert!(Page::from_rows(vec![1, 2], 2, |n| *n).next.is_none());
        assert!(limit(Some(0)).is_err() && limit(Some(101)).is_err());
        assert_eq!(limit(None).unwrap(), DEFAULT_LIMIT);
    }
}
