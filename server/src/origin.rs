//! Refuses state-changing requests that another website made a browser send.
//!
//! Browsers mark cross-site requests with `Sec-Fetch-Site` and `Origin`; a
//! mutating request whose marks point elsewhere is refused with 403 before any
//! server function runs. Requests with neither header (non-browser clients)
//! pass: they carry no ambient cookies of a victim.

use axum::http::{header, HeaderMap, Method};

/// Whether a request with this method and these headers may proceed.
pub fn same_origin_or_safe(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    // Origin is scheme://host[:port]; compare its authority with Host.
    origin
        .split_once("://")
        .map(|(_, authority)| authority.eq_ignore_ascii_case(host))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn safe_methods_always_pass() {
        let foreign = headers(&[
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ]);
        for method in [Method::GET, Method::HEAD, Method::OPTIONS] {
            assert!(same_origin_or_safe(&method, &foreign));
        }
    }

    #[test]
    fn judges_posts_by_fetch_metadata_then_origin() {
        let cases: [(&[(&str, &str)], bool); 9] = [
            (&[("sec-fetch-site", "same-origin")], true),
            (&[("sec-fetch-site", "none")], true),
            (
                &[
                    ("sec-fetch-site", "cross-site"),
                    ("origin", "http://127.0.0.1:3000"),
                    ("host", "127.0.0.1:3000"),
                ],
                false,
            ),
            (&[("sec-fetch-site", "same-site")], false),
            (
                &[
                    ("origin", "http://127.0.0.1:3000"),
                    ("host", "127.0.0.1:3000"),
                ],
                true,
            ),
            (
                &[
                    ("origin", "http://evil.example"),
                    ("host", "127.0.0.1:3000"),
                ],
                false,
            ),
            (&[("origin", "null"), ("host", "127.0.0.1:3000")], false),
            (&[("origin", "http://127.0.0.1:3000")], false),
            (&[], true),
        ];
        for (pairs, expected) in cases {
            assert_eq!(
                same_origin_or_safe(&Method::POST, &headers(pairs)),
                expected,
                "{pairs:?}"
            );
        }
    }
}
