//! Runs before every page, server function, feed and live stream: refuses
//! foreign-origin writes, resolves the signed-in user, the interface language
//! and the client's address once, and gives every response the browser
//! protections (a Content-Security-Policy with this response's nonce, HSTS
//! over https).

use crate::origin::same_origin_or_safe;
use app::error::{AppError, ErrorCode};
use app::viewer::{
    device_cookie, session_cookie, RequestContext, Viewer, ViewerUser, LANGUAGE_COOKIE,
    TIME_ZONE_COOKIE,
};
use axum::extract::{ConnectInfo, FromRef, Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kring_db::{Db, SessionPolicy};
use kring_domain::{Language, TimeZone};
use leptos::config::LeptosOptions;
use leptos::nonce::Nonce;
use std::net::{IpAddr, SocketAddr};

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub trust_proxy: bool,
    /// `KRING_PUBLIC_URL`: where links that leave Kring point.
    pub public_url: String,
    /// Posts loaded for live connections, shared by all of them.
    pub(crate) live_posts: crate::live::LivePosts,
    /// Live connections open on this instance, per person and in all.
    pub(crate) live_connections: crate::live::LiveConnections,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The database as a page's render uses it: holding one connection for all
/// its statements.
#[derive(Clone)]
pub struct PageDb(pub Db);

/// The nonce this response's inline scripts carry, named by its
/// Content-Security-Policy; the page renderer reads it from the request.
#[derive(Debug, Clone)]
pub struct ScriptNonce(pub Nonce);

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// Who sent the request, as attempts are counted. Behind a proxy
/// (`KRING_TRUST_PROXY`) it is the last address in the last `X-Forwarded-For`
/// line: the one our proxy added. Everything before it was written by the
/// client and proves nothing.
fn client_address(request: &Request, trust_proxy: bool) -> String {
    let forwarded = trust_proxy
        .then(|| {
            request
                .headers()
                .get_all(header::HeaderName::from_static("x-forwarded-for"))
                .iter()
                .next_back()
        })
        .flatten()
        .and_then(|line| line.to_str().ok())
        .and_then(|list| list.rsplit(',').next())
        .and_then(|hop| address_of_hop(hop.trim()));
    forwarded
        .or_else(|| {
            request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip())
        })
        .map_or_else(|| "unknown".to_owned(), network_of)
}

/// A hop as proxies write it: an address, perhaps with a port (`1.2.3.4:5678`, `[2001:db8::1]:443`).
fn address_of_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
}

/// What one client controls: an IPv4 address, or an IPv6 /64 (every home
/// connection has a whole /64 to pick addresses from).
fn network_of(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let [a, b, c, d, ..] = v6.segments();
                format!("{a:x}:{b:x}:{c:x}:{d:x}::/64")
            }
        },
    }
}

/// The policy for this response: scripts only from Kring and the one inline
/// hydration script with this nonce, WebAssembly compiled from Kring's own
/// file, no plugins, no `<base>`, no framing, and forms and connections to
/// Kring only. Video players are the one thing framed.
fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; \
         frame-src https://www.youtube-nocookie.com https://player.vimeo.com; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let headers = request.headers();
    let accept_language = header_text(headers, header::ACCEPT_LANGUAGE);
    let language_cookie = cookie(headers, LANGUAGE_COOKIE);

    if !same_origin_or_safe(request.method(), headers) {
        let language = Language::resolve(None, language_cookie, accept_language);
        return AppError::new(ErrorCode::ForeignOrigin, language).into_response();
    }
    // A NUL in an address names nothing Kring has, and PostgreSQL cannot store one.
    if request
        .uri()
        .to_string()
        .to_ascii_lowercase()
        .contains("%00")
    {
        let language = Language::resolve(None, language_cookie, accept_language);
        return AppError::new(ErrorCode::BadRequest, language).into_response();
    }

    let forwarded_https = state.trust_proxy
        && header_text(
            headers,
            header::HeaderName::from_static("x-forwarded-proto"),
        ) == Some("https");
    let secure = state.public_url.starts_with("https://") || forwarded_https;
    let session_token = cookie(headers, session_cookie(secure)).map(str::to_owned);
    let device_token = cookie(headers, device_cookie(secure)).map(str::to_owned);
    let accepts_html =
        header_text(headers, header::ACCEPT).is_some_and(|accept| accept.contains("text/html"));
    // A page's statements, its session's included, share one connection (see
    // `Db::holding_one_connection`); it is given back once the page is rendered.
    // Live streams, feeds and server functions take one per statement: they
    // stay open, send files or hash passwords, and would hold one idle.
    let page = request.method() == axum::http::Method::GET && accepts_html;
    let db = if page {
        state.db.holding_one_connection()
    } else {
        state.db.clone()
    };
    // Only pages show the unread count; calls from code and live streams need no count.
    let (user, unread_notifications) = match &session_token {
        Some(token) => match db
            .session_viewer(token, SessionPolicy::DEFAULT, accepts_html)
            .await
        {
            Ok(Some((user, unread))) => (Some(user), unread),
            Ok(None) => (None, 0),
            Err(error) => {
                tracing::error!(%error, "could not look up a session");
                (None, 0)
            }
        },
        None => (None, 0),
    };
    let language = Language::resolve(
        user.as_ref().map(|u| u.language),
        language_cookie,
        accept_language,
    );
    // The profile's zone for members; for visitors the browser's, once it told us.
    let cookie_zone = cookie(headers, TIME_ZONE_COOKIE).and_then(|zone| TimeZone::parse(zone).ok());
    let (time_zone, time_zone_known) = match (&user, cookie_zone) {
        (Some(user), _) => (user.time_zone.as_str().to_owned(), true),
        (None, Some(zone)) => (zone.as_str().to_owned(), true),
        (None, None) => (TimeZone::utc().as_str().to_owned(), false),
    };
    let context = RequestContext {
        viewer: Viewer {
            time_zone,
            time_zone_known,
            user: user.map(|u| ViewerUser {
                id: u.id,
                display_name: u.display_name.as_str().to_owned(),
                role: u.role,
                time_zone: u.time_zone.as_str().to_owned(),
                unread_notifications,
            }),
            language,
        },
        secure,
        public_url: state.public_url.clone(),
        accepts_html,
        session_token,
        device_token,
        client_address: client_address(&request, state.trust_proxy),
    };
    let nonce = Nonce::new();
    request.extensions_mut().insert(context);
    if page {
        request.extensions_mut().insert(PageDb(db.clone()));
    }
    request.extensions_mut().insert(ScriptNonce(nonce.clone()));
    let mut response = next.run(request).await;
    // Pages render whole before their first byte (`SsrMode::Async`), but the
    // render's state, and with it the connection, lives until the last byte
    // is sent: to a slow phone, or to a flood of readers that never read.
    db.give_back_held_connection().await;
    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    if secure {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request_from(peer: &str, forwarded_for: &[&str]) -> Request {
        let mut request = Request::new(Body::empty());
        request
            .extensions_mut()
            .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        for line in forwarded_for {
            request
                .headers_mut()
                .append("x-forwarded-for", line.parse().unwrap());
        }
        request
    }

    #[test]
    fn the_client_is_the_hop_our_proxy_added_never_what_the_client_wrote() {
        let spoofed = request_from("10.0.0.2:5000", &["6.6.6.6, 203.0.113.7"]);
        assert_eq!(client_address(&spoofed, true), "203.0.113.7");
        assert_eq!(
            client_address(&spoofed, false),
            "10.0.0.2",
            "without a proxy the header is the client's own text"
        );
        // A proxy that adds a line of its own: the client's forged line comes first.
        let two_lines = request_from("10.0.0.2:5000", &["6.6.6.6", "203.0.113.7"]);
        assert_eq!(client_address(&two_lines, true), "203.0.113.7");
        let with_port = request_from("10.0.0.2:5000", &["6.6.6.6, 203.0.113.7:5678"]);
        assert_eq!(client_address(&with_port, true), "203.0.113.7");
        let garbage = request_from("10.0.0.2:5000", &["not an address"]);
        assert_eq!(client_address(&garbage, true), "10.0.0.2");
    }

    #[test]
    fn an_ipv6_client_is_its_whole_network() {
        let one = request_from("[2001:db8:1:2::1]:443", &[]);
        let other = request_from("[2001:db8:1:2:ffff::9]:443", &[]);
        assert_eq!(client_address(&one, false), "2001:db8:1:2::/64");
        assert_eq!(client_address(&one, false), client_address(&other, false));
        let mapped = request_from("[::ffff:198.51.100.7]:443", &[]);
        assert_eq!(client_address(&mapped, false), "198.51.100.7");
        let hop = request_from("10.0.0.2:5000", &["[2001:db8:9:9::3]:443"]);
        assert_eq!(client_address(&hop, true), "2001:db8:9:9::/64");
    }

    #[test]
    fn the_policy_names_the_nonce_and_forbids_the_rest() {
        let policy = content_security_policy("abc123");
        for part in [
            "script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(policy.contains(part), "{policy}");
        }
        assert!(!policy.contains("unsafe-inline"), "{policy}");
    }
}
