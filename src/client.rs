//! Who is on the other end of a request: the client address used for rate limits and
//! recorded with sign-ins. `X-Forwarded-For`/`Forwarded` are honoured only when
//! `NEWSROOM_TRUST_FORWARDED=true` says a proxy of ours sets them; otherwise any client
//! could claim any address and walk around the per-address limits.

use std::net::IpAddr;

use actix_web::HttpRequest;

pub fn ip(req: &HttpRequest, trust_forwarded: bool) -> Option<IpAddr> {
    if trust_forwarded {
        let info = req.connection_info();
        let raw = info.realip_remote_addr()?;
        return raw
            .parse::<IpAddr>()
            .ok()
            .or_else(|| raw.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()));
    }
    req.peer_addr().map(|a| a.ip())
}
