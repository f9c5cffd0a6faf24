//! Server-side request forgery guard for webhook URLs. A partner chooses the URL newsroom
//! posts to, so without a guard it could aim newsroom at the database, the cloud metadata
//! service or anything else on the internal network. Checked twice: when the URL is saved
//! (IP literals and internal names), and on every delivery by the resolver, which drops
//! internal addresses after DNS resolution, so a name that later resolves inside
//! (DNS rebinding) is still refused. Redirects are never followed.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::Url;

/// Why a URL may not receive webhooks, or `None` when it may.
pub fn refused(url: &str, allow_private: bool) -> Option<&'static str> {
    let Ok(url) = Url::parse(url) else {
        return Some("must be an absolute http(s) URL");
    };
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => return Some("must be an https URL"),
    }
    if allow_private {
        return None;
    }
    match url.host() {
        None => Some("must name a host"),
        Some(url::Host::Ipv4(ip)) if internal(IpAddr::V4(ip)) => {
            Some("must not point to a private, loopback, link-local or reserved address")
        }
        Some(url::Host::Ipv6(ip)) if internal(IpAddr::V6(ip)) => {
            Some("must not point to a private, loopback, link-local or reserved address")
        }
        Some(url::Host::Domain(name)) if internal_name(name) => {
            Some("must not name an internal host")
        }
        Some(_) => None,
    }
}

fn internal_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || !name.contains('.')
        || [".localhost", ".local", ".internal", ".lan", ".home.arpa"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
}

/// Whether an address is one a webhook must never reach: loopback, private, link-local
/// (which holds the cloud metadata service, 169.254.169.254), shared, reserved, multicast,
/// documentation and unspecified ranges, and IPv6 forms that embed such an IPv4 address.
/// Checked against IANA's IPv4 and IPv6 special-purpose address registries: every block
/// there that is not globally reachable is refused, and so are the transition prefixes that
/// tunnel to an IPv4 address through a relay (6to4, Teredo, NAT64 local-use).
pub fn internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return internal_v4(v4);
            }
            let s = v6.segments();
            // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits.
            if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
                let [a, b] = s[6].to_be_bytes();
                let [c, d] = s[7].to_be_bytes();
                return internal_v4(Ipv4Addr::new(a, b, c, d));
            }
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || (s[0..6] == [0, 0, 0, 0, 0, 0]) // IPv4-compatible (deprecated)
                || (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1) // NAT64 local-use, 64:ff9b:1::/48
                || (s[0] == 0x100 && s[1..3] == [0, 0] && s[3] <= 1) // discard-only 100::/64, dummy 100:0:0:1::/64
                || (s[0] == 0x2001 && s[1] < 0x200) // IETF protocol assignments 2001::/23 (Teredo 2001::/32, benchmarking, ORCHID)
                || s[0] == 0x2002 // 6to4
                || (s[0] == 0x3fff && s[1] < 0x1000) // documentation 3fff::/20
                || s[0] == 0x5f00 // SRv6 segment identifiers 5f00::/16
        }
    }
}

fn internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier NAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast (deprecated)
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240 // reserved
}

/// The DNS resolver of the webhook client: resolves with the system resolver, then drops
/// internal addresses (unless allowed); a name left with none fails to connect.
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| allow_private || !internal(a.ip()))
                .collect();
            if found.is_empty() {
                let err: Box<dyn std::error::Error + Send + Sync> =
                    format!("{host} resolves to no address webhooks may reach").into();
                return Err(err);
            }
            let addrs: Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_refused() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "64:ff9b:1::a00:1",
            "64:ff9b:1:ffff::808:808",
            "2002:7f00:1::1",
            "2002:808:808::1",
            "2001::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001:2::1",
            "2001:1ff::1",
            "3fff::1",
            "3fff:fff:ffff::1",
            "100::1",
            "100:0:0:1::1",
            "5f00::1",
            "192.88.99.1",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(internal(ip), "{ip} was allowed");
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "64:ff9b::808:808",
            "2001:200::1",
            "2001:4860:4860::8888",
            "2a00:1450::1",
            "3ffe::1",
            "4000::1",
            "192.88.100.1",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(!internal(ip), "{ip} was refused");
        }
    }

    #[test]
    fn urls_are_checked_when_saved() {
        assert_eq!(refused("https://hooks.example.com/in", false), None);
        for bad in [
            "http://hooks.example.com/in",
            "https://127.0.0.1/in",
            "https://[::1]/in",
            "https://169.254.169.254/latest/meta-data",
            "https://localhost/in",
            "https://metadata.google.internal/",
            "https://intranet/",
            "ftp://hooks.example.com/",
            "https://10.0.0.8:8443/x",
        ] {
            assert!(refused(bad, false).is_some(), "{bad} was accepted");
        }
        assert_eq!(refused("http://127.0.0.1:9000/in", true), None);
        assert!(refused("ftp://127.0.0.1/in", true).is_some());
    }
}
