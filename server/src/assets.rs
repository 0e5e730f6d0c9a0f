//! The built site's files: WebAssembly, JS and CSS under `/pkg`, and the
//! assets (such as the icon) at the root.
//!
//! The release build names the WebAssembly, JS and CSS after their content
//! (`kring.<hash>.wasm`) and writes brotli and gzip copies of them at the
//! highest levels beside them. Such a name never changes content, so browsers
//! and proxies may keep it a year without asking again; any other file is
//! asked about again (a cheap 304) before it is reused. Static files skip the
//! session lookup and the request limits: they cost no database work.

use axum::body::Body;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use std::path::{Path, PathBuf};
use tower_http::services::{ServeDir, ServeFile};

/// For a file named after its content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For any other static file: kept, but checked before each use.
pub const REVALIDATE: &str = "public, no-cache";
/// For pages and calls: they depend on who asks, so no shared cache keeps
/// them, and the browser checks before showing a kept copy.
pub const PRIVATE: &str = "private, no-cache";

/// The length of the build's content hashes: an MD5 in unpadded base64url.
const HASH_LEN: usize = 22;

/// The list of the content hashes in the built file names, which Leptos reads
/// to name the files in each page: `hash.txt` in the site root (where the
/// build copies it, so the site travels as one folder), else beside the
/// executable (where cargo-leptos writes it). `None` for a build without
/// hashing: the plain names are used.
pub fn hash_file(site_root: &Path) -> Option<PathBuf> {
    let beside_the_executable = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(HASH_FILE_NAME)));
    [Some(site_root.join(HASH_FILE_NAME)), beside_the_executable]
        .into_iter()
        .flatten()
        .find(|path| path.is_file())
        // Leptos joins it to the executable's folder: an absolute path stays as it is.
        .and_then(|path| std::fs::canonicalize(path).ok())
}

pub const HASH_FILE_NAME: &str = "hash.txt";

/// Whether `file_name` is `<name>.<content hash>.<extension>`, possibly with a
/// compressed copy's `.br` or `.gz` after it.
pub fn is_content_named(file_name: &str) -> bool {
    let name = file_name
        .strip_suffix(".br")
        .or_else(|| file_name.strip_suffix(".gz"))
        .unwrap_or(file_name);
    let mut parts = name.rsplit('.');
    let (Some(_extension), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    !stem.is_empty()
        && hash.len() == HASH_LEN
        && hash
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

/// How long a static file at `path` may be kept: only the build's package
/// files are named after their content.
pub fn cache_policy(path: &str) -> &'static str {
    let file_name = path.rsplit('/').next().unwrap_or_default();
    if path.starts_with("/pkg/") && is_content_named(file_name) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

/// `/pkg/…` and the files at the top of the site root (the assets), preferring
/// the build's brotli and gzip copies.
pub fn routes<S: Clone + Send + Sync + 'static>(site_root: &Path) -> Router<S> {
    let package: PathBuf = site_root.join("pkg");
    let mut router = Router::new().nest_service(
        "/pkg",
        ServeDir::new(package)
            .precompressed_br()
            .precompressed_gzip(),
    );
    for asset in top_files(site_root) {
        let path = format!("/{}", asset.file_name);
        router = router.route_service(
            &path,
            ServeFile::new(asset.path)
                .precompressed_br()
                .precompressed_gzip(),
        );
    }
    router.layer(axum::middleware::from_fn(with_cache_policy))
}

struct TopFile {
    file_name: String,
    path: PathBuf,
}

/// The assets at the top of the site root, without the compressed copies.
fn top_files(site_root: &Path) -> Vec<TopFile> {
    let Ok(entries) = std::fs::read_dir(site_root) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
        .filter_map(|entry| {
            let file_name = entry.file_name().into_string().ok()?;
            let plain = !(file_name.ends_with(".br") || file_name.ends_with(".gz"));
            // A name a route cannot hold is left to the page handler's file service.
            let routable = file_name
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || b"._-".contains(&byte));
            (plain && routable).then(|| TopFile {
                file_name,
                path: entry.path(),
            })
        })
        .collect()
}

/// Gives a successful static response its `Cache-Control`, and tells caches
/// that the bytes depend on `Accept-Encoding` (a brotli copy kept for a year
/// must never reach a browser that did not ask for brotli).
pub async fn with_cache_policy(request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let policy = cache_policy(&path);
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status().as_u16() == 304 {
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(static_security_policy(&path)),
    );
    response
}

/// Pages get their policy with the session lookup, which static files skip.
/// An icon opened on its own is a document too: it may load and run nothing.
/// The service worker runs under its own file's policy, and fetches pages.
fn static_security_policy(path: &str) -> &'static str {
    if path == SERVICE_WORKER {
        "default-src 'none'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    } else {
        "default-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    }
}

/// The service worker's address: it may only answer for pages under it.
pub const SERVICE_WORKER: &str = "/sw.js";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_holding_a_content_hash_are_kept_for_good() {
        let hash = "Ab3_-xYz0123456789abcd";
        assert_eq!(hash.len(), HASH_LEN);
        for named in [
            format!("kring.{hash}.wasm"),
            format!("kring.{hash}.js"),
            format!("kring.{hash}.css"),
            format!("kring.{hash}.wasm.br"),
            format!("kring.{hash}.css.gz"),
        ] {
            assert!(is_content_named(&named), "{named}");
            assert_eq!(cache_policy(&format!("/pkg/{named}")), IMMUTABLE);
        }
        for plain in [
            "kring.wasm".to_owned(),
            "kring.css.br".to_owned(),
            "favicon.svg".to_owned(),
            format!("{hash}.js"),
            format!(".{hash}.js"),
            format!("kring.{}.js", &hash[1..]),
            format!("kring.{hash}x.js"),
            format!("kring.{}.js", hash.replace('A', "%")),
            String::new(),
        ] {
            assert!(!is_content_named(&plain), "{plain}");
            assert_eq!(cache_policy(&format!("/pkg/{plain}")), REVALIDATE);
        }
        assert_eq!(cache_policy("/"), REVALIDATE);
        let hash = "Ab3_-xYz0123456789abcd";
        assert_eq!(cache_policy(&format!("/icon.{hash}.svg")), REVALIDATE);
    }
}
