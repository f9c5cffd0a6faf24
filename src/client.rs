//! Who is on the other end of a request: the client address used for rate limits and
//! recorded with sign-ins. `X-Forwarded-For` is honoured only when
//! `NEWSROOM_TRUST_FORWARDED=true` says our own proxy sets it, and then only its last entry:
//! the one that proxy appended. Earlier entries come from the client and could claim
//! anything, which would walk around the per-address limits.

use std::net::{IpAddr, SocketAddr};

use actix_web::HttpRequest;

pub fn ip(req: &HttpRequest, trust_forwarded: bool) -> Option<IpAddr> {
    if trust_forwarded {
        let appended = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .last()
            .and_then(parse);
        if appended.is_some() {
            return appended;
        }
    }
    req.peer_addr().map(|a| a.ip())
}

/// `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn parse(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[test]
    fn only_the_entry_our_proxy_appended_counts() {
        let req = TestRequest::default()
            .peer_addr("10.0.0.2:5000".parse().unwrap())
            .insert_header(("x-forwarded-for", "1.2.3.4, 203.0.113.7"))
            .to_http_request();
        assert_eq!(ip(&req, true), Some("203.0.113.7".parse().unwrap()));
        assert_eq!(ip(&req, false), Some("10.0.0.2".parse().unwrap()));
        let bracketed = TestRequest::default()
            .insert_header(("x-forwarded-for", "[2001:db8::1]:4711"))
            .to_http_request();
        assert_eq!(ip(&bracketed, true), Some("2001:db8::1".parse().unwrap()));
    }
}
