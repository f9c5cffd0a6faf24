//! Request rate limits, per API key on partner routes and per client address on the public
//! API: a token bucket (GCRA, from the `governor` crate) per key, so one client's burst never
//! slows another. The buckets live in each instance's memory: with N instances behind a
//! load balancer a client may get up to N times the limit (see docs/syndication.md). The
//! public API's middleware is in `per_client.rs`.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use uuid::Uuid;

mod per_client;
pub use per_client::per_client;

use crate::config::{Config, Rate};
use crate::error::{AppError, Result};

pub struct Limits {
    partner: DefaultKeyedRateLimiter<Uuid>,
    public: DefaultKeyedRateLimiter<IpAddr>,
}

fn quota(rate: Rate) -> Quota {
    let per_second = NonZeroU32::new(rate.per_second).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(rate.burst).unwrap_or(NonZeroU32::MIN);
    Quota::per_second(per_second).allow_burst(burst)
}

impl Limits {
    pub fn new(config: &Config) -> Limits {
        Limits {
            partner: RateLimiter::keyed(quota(config.partner_rate)),
            public: RateLimiter::keyed(quota(config.public_rate)),
        }
    }

    /// Takes one request from the API key's bucket, or answers 429 with `Retry-After`.
    pub fn partner(&self, key: Uuid) -> Result<()> {
        take(&self.partner, key)
    }

    /// Takes one request from the client address's bucket, or answers 429. IPv6 clients
    /// are counted per /64, the smallest block a provider hands out, so one client cannot
    /// take a new bucket for every address of its own network.
    pub fn public(&self, ip: IpAddr) -> Result<()> {
        take(&self.public, client_block(ip))
    }

    /// Forgets buckets that are full again, so memory follows the active clients only.
    pub fn forget_idle(&self) {
        self.partner.retain_recent();
        self.partner.shrink_to_fit();
        self.public.retain_recent();
        self.public.shrink_to_fit();
    }
}

/// The public rate limit's refusal, kept on the problem response it answered with so that a
/// layer outside it that answers with pages (`subscriptions::http::refusals_as_pages`) takes
/// the refusal itself rather than reading it back from the response's headers.
#[derive(Clone, Copy, Debug)]
pub struct PublicRefusal {
    pub retry_after_secs: u64,
}

fn client_block(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 => v4,
    }
}

fn take<K: Hash + Eq + Clone>(limiter: &DefaultKeyedRateLimiter<K>, key: K) -> Result<()> {
    limiter.check_key(&key).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        AppError::TooManyRequests {
            retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_second: u32, burst: u32) -> Limits {
        let rate = Rate { per_second, burst };
        Limits {
            partner: RateLimiter::keyed(quota(rate)),
            public: RateLimiter::keyed(quota(rate)),
        }
    }

    #[test]
    fn a_burst_is_allowed_then_refused_with_a_wait() {
        let limits = limits(1, 3);
        let key = Uuid::now_v7();
        for _ in 0..3 {
            assert!(limits.partner(key).is_ok());
        }
        match limits.partner(key) {
            Err(AppError::TooManyRequests { retry_after_secs }) => assert_eq!(retry_after_secs, 1),
            other => panic!("expected 429, got {other:?}"),
        }
        // One IPv6 /64 is one client.
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(client_block(a), client_block(b));
        assert_ne!(
            client_block(a),
            client_block("2001:db8:1:3::1".parse().unwrap())
        );
        // Another key, and the public limiter, are untouched.
        assert!(limits.partner(Uuid::now_v7()).is_ok());
        assert!(limits.public(IpAddr::from([192, 0, 2, 1])).is_ok());
    }
}
