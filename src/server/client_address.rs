//! The address a request came from, for throttling logins per address: the TCP peer, or, when
//! Insignia runs behind a reverse proxy (`--behind-proxy`), the last `X-Forwarded-For` entry —
//! the one the proxy itself appended, which the client cannot forge.

use axum::extract::ConnectInfo;
use std::net::{IpAddr, SocketAddr};

pub fn client_address(parts: &http::request::Parts, behind_proxy: bool) -> Option<IpAddr> {
    if behind_proxy {
        // the last header's last entry; anything unreadable there falls back to the peer
        let forwarded = parts.headers.get_all("x-forwarded-for").iter().next_back().and_then(|v| v.to_str().ok());
        if let Some(address) = forwarded.and_then(|v| v.rsplit(',').next()).and_then(|v| v.trim().parse().ok()) {
            return Some(address);
        }
    }
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(peer)| peer.ip())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(forwarded: &[&str], peer: Option<&str>) -> http::request::Parts {
        let mut req = http::Request::builder();
        for f in forwarded {
            req = req.header("x-forwarded-for", *f);
        }
        let (mut parts, ()) = req.body(()).unwrap().into_parts();
        if let Some(peer) = peer {
            parts.extensions.insert(ConnectInfo::<SocketAddr>(peer.parse().unwrap()));
        }
        parts
    }

    #[test]
    fn the_proxy_appended_address_counts_only_behind_a_proxy() {
        let p = parts(&["203.0.113.9, 198.51.100.7"], Some("10.0.0.2:5000"));
        assert_eq!(client_address(&p, false), Some("10.0.0.2".parse().unwrap()), "a client can write any header");
        assert_eq!(client_address(&p, true), Some("198.51.100.7".parse().unwrap()), "the last entry, the proxy's");
        let p = parts(&["1.1.1.1", "2001:db8::1"], None);
        assert_eq!(client_address(&p, true), Some("2001:db8::1".parse().unwrap()));
        let p = parts(&["not an address"], Some("10.0.0.2:5000"));
        assert_eq!(client_address(&p, true), Some("10.0.0.2".parse().unwrap()));
        assert_eq!(client_address(&parts(&[], None), false), None);
    }
}
