//! Where Kring sends a browser next. Every redirect goes through
//! [`redirect`], which only ever names a path on this site and never fails:
//! a `back=` that points elsewhere, or that no header can carry, sends the
//! person to a safe default instead (clippy refuses `leptos_axum::redirect`
//! anywhere else).

/// `requested` as a path on this site, or `fallback` when it is not one.
///
/// A path starts with one `/`. Browsers read `//host` and `/\host` as another
/// site, and treat `\` as `/`, so neither may follow the first slash, and no
/// `\` may appear at all; control characters and spaces are refused (they cut
/// or bend a `Location` header). Letters beyond ASCII are percent-encoded, as
/// a browser would send them.
pub fn in_site_target(requested: &str, fallback: &str) -> String {
    let mut path = String::with_capacity(requested.len());
    for character in requested.chars() {
        match character {
            '\\' => return fallback.to_owned(),
            c if c.is_control() || c.is_whitespace() => return fallback.to_owned(),
            c if c.is_ascii() => path.push(c),
            c => {
                let mut bytes = [0; 4];
                for byte in c.encode_utf8(&mut bytes).bytes() {
                    path.push_str(&format!("%{byte:02X}"));
                }
            }
        }
    }
    let mut after_slash = path.strip_prefix('/').map(str::chars);
    match after_slash.as_mut().map(Iterator::next) {
        Some(None) => path,
        Some(Some(next)) if next != '/' => path,
        _ => fallback.to_owned(),
    }
}

/// Sends the browser to `path` on this site after a form post (or tells the
/// calling script to go there); a `path` that is not in-site goes to the home page.
#[cfg(feature = "ssr")]
pub fn redirect(path: &str) {
    let target = in_site_target(path, "/");
    // `in_site_target` leaves only visible ASCII, which every header can carry.
    #[allow(clippy::disallowed_methods)]
    leptos_axum::redirect(&target);
}

#[cfg(test)]
mod tests {
    use super::in_site_target;

    #[test]
    fn keeps_paths_on_this_site() {
        for path in [
            "/",
            "/sessions",
            "/sessions?view=month&month=2027-01",
            "/forum/threads/4#post-12",
            "/search?q=%C3%B1",
        ] {
            assert_eq!(in_site_target(path, "/x"), path);
        }
        assert_eq!(
            in_site_target("/search?q=niños", "/x"),
            "/search?q=ni%C3%B1os"
        );
    }

    #[test]
    fn sends_anything_else_to_the_fallback() {
        for path in [
            "",
            "sessions",
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/sessions\\..\\..",
            "https://evil.example/",
            "javascript:alert(1)",
            "/sessions\r\nSet-Cookie: x=1",
            "/sessions\u{0}",
            "/sessions\u{7}",
            "/ses sions",
            "/\t/evil.example",
            "\u{a0}/evil.example",
        ] {
            assert_eq!(in_site_target(path, "/sessions"), "/sessions", "{path:?}");
        }
    }

    #[test]
    fn whatever_it_returns_fits_in_a_header() {
        for path in ["/é", "/\u{1F600}", "/a\u{7f}", "/%0d%0a", "/ok"] {
            let target = in_site_target(path, "/");
            assert!(
                target.bytes().all(|b| (0x21..0x7f).contains(&b)),
                "{path:?} → {target:?}"
            );
        }
    }
}
