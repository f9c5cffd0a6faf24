//! Login throttling, counted in PostgreSQL so it holds across instances. Every attempt is
//! counted, before its password is checked, against three counters of a fixed 15-minute window:
//! - the account from this address ([`PAIR_LIMIT`]): the owner's typos, or one guesser;
//! - the account from anywhere ([`ACCOUNT_LIMIT`], looser): a guesser with many addresses,
//!   while a stranger at one address cannot lock the owner out of theirs;
//! - the address, whatever the account ([`ADDRESS_LIMIT`]): password spraying. A success
//!   gives its attempt back, so an office behind one address is not throttled for working.
//!
//! An IPv6 client is counted by its /64, which one subscriber usually holds whole. Unknown
//! emails are counted like known ones, so a 429 tells nothing about which accounts exist.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

use super::store::{self, Counter};
use crate::error::Result;

/// The window every counter counts in.
pub const WINDOW_SECS: i64 = 15 * 60;
/// Attempts at one account from one address in a window.
pub const PAIR_LIMIT: i32 = 5;
/// Attempts at one account from all addresses together in a window.
pub const ACCOUNT_LIMIT: i32 = 50;
/// Failed attempts from one address, at any accounts, in a window.
pub const ADDRESS_LIMIT: i32 = 20;

/// An attempt refused by a counter: the caller may try again after `retry_after_secs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Throttled {
    pub retry_after_secs: u64,
}

/// The counters one attempt counts against.
#[derive(Debug)]
pub struct Keys {
    account: String,
    pair: String,
    address: Option<String>,
}

impl Keys {
    /// `email` as typed (normalised here) and the client's address, when known.
    pub fn new(email: &str, ip: Option<IpAddr>) -> Keys {
        let email: String = email.trim().to_lowercase().chars().take(254).collect();
        let address = ip.map(address_key);
        Keys {
            account: format!("account:{email}"),
            pair: format!("pair:{email} {}", address.as_deref().unwrap_or("unknown")),
            address: address.map(|a| format!("address:{a}")),
        }
    }

    fn all(&self) -> Vec<String> {
        let mut keys = vec![self.account.clone(), self.pair.clone()];
        keys.extend(self.address.clone());
        keys.sort();
        keys
    }

    fn limit(&self, key: &str) -> i32 {
        if key == self.pair {
            PAIR_LIMIT
        } else if key == self.account {
            ACCOUNT_LIMIT
        } else {
            ADDRESS_LIMIT
        }
    }
}

/// An IPv4 address as it is; an IPv6 one by its /64 (an IPv4-mapped one as IPv4).
fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Counts an attempt against every counter, or refuses it (counting nothing) when one of
/// them is full. One transaction that locks the counters, so concurrent attempts on any
/// number of instances are counted exactly and never exceed a limit.
pub async fn admit(
    db: &PgPool,
    keys: &Keys,
    now: DateTime<Utc>,
) -> Result<std::result::Result<(), Throttled>> {
    let window = Duration::seconds(WINDOW_SECS);
    let mut tx = db.begin().await?;
    let mut counters: Vec<Counter> = store::lock_counters(&mut tx, &keys.all(), now).await?;
    let mut full_until: Option<DateTime<Utc>> = None;
    for counter in &mut counters {
        if counter.window_started_at <= now - window {
            counter.attempts = 0;
            counter.window_started_at = now;
        }
        if counter.attempts >= keys.limit(&counter.key) {
            let until = counter.window_started_at + window;
            full_until = Some(full_until.map_or(until, |u| u.max(until)));
        }
        counter.attempts += 1;
    }
    if let Some(until) = full_until {
        tx.commit().await?;
        let secs = (until - now).num_seconds().max(1);
        return Ok(Err(Throttled {
            retry_after_secs: u64::try_from(secs).unwrap_or(1),
        }));
    }
    store::save_counters(&mut tx, &counters).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// After a successful sign-in: the account's counters start again, and the address gets its
/// attempt back.
pub async fn succeeded(db: &PgPool, keys: &Keys) -> Result<()> {
    store::clear_counters(db, &[keys.account.clone(), keys.pair.clone()]).await?;
    if let Some(address) = &keys.address {
        store::refund(db, address).await?;
    }
    Ok(())
}

/// Deletes counters whose window is over (the jobs loop, every ten minutes).
pub async fn purge(db: &PgPool, now: DateTime<Utc>) -> Result<u64> {
    Ok(store::purge_counters(db, now - Duration::seconds(WINDOW_SECS)).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_client_is_counted_by_its_64_and_a_mapped_one_as_ipv4() {
        let key = |ip: &str| Keys::new(" Ed@Example.org ", Some(ip.parse().unwrap()));
        let one = key("2001:db8:1:2:aaaa::1");
        let other = key("2001:db8:1:2:bbbb::9");
        assert_eq!(one.address, other.address);
        assert_eq!(one.address.as_deref(), Some("address:2001:db8:1:2::/64"));
        assert_ne!(one.address, key("2001:db8:1:3::1").address);
        assert_eq!(
            key("::ffff:203.0.113.7").address.as_deref(),
            Some("address:203.0.113.7")
        );
        assert_eq!(one.account, "account:ed@example.org");
        assert_eq!(one.pair, "pair:ed@example.org 2001:db8:1:2::/64");
        let unknown = Keys::new("ed@example.org", None);
        assert_eq!(unknown.address, None);
        assert_eq!(unknown.all().len(), 2);
    }
}
