//! The built site's files: compressed copies made at build time, names that
//! hold a content hash kept for a year, everything else asked about again,
//! and pages never kept by shared caches.

use crate::support;
use support::{client, start_with};

use kring_db::on_both_engines;
use kring_db::testing::TestDatabase;
use kring_server::config::Config;
use reqwest::header::{CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, SET_COOKIE, VARY};
use reqwest::StatusCode;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

const HASHED_CSS: &str = "kring.Q2v7yX_0aB-cD1eF2gH3iJ.css";

/// A site root as the release build leaves it, with recognisable copies.
fn built_site() -> PathBuf {
    static SITES: AtomicUsize = AtomicUsize::new(0);
    let root = std::env::temp_dir().join(format!(
        "kring-site-{}-{}",
        std::process::id(),
        SITES.fetch_add(1, Ordering::Relaxed)
    ));
    let package = root.join("pkg");
    std::fs::create_dir_all(&package).unwrap();
    std::fs::write(package.join(HASHED_CSS), "main { color: black }").unwrap();
    std::fs::write(package.join(format!("{HASHED_CSS}.br")), "brotli copy").unwrap();
    std::fs::write(package.join(format!("{HASHED_CSS}.gz")), "gzip copy").unwrap();
    std::fs::write(package.join("kring.css"), "main { color: black }").unwrap();
    std::fs::write(root.join("favicon.svg"), "<svg/>").unwrap();
    std::fs::write(root.join("favicon.svg.br"), "brotli icon").unwrap();
    root
}

#[tokio::test]
async fn static_files_come_compressed_and_cached_by_their_names() {
    on_both_engines!(async |test: &TestDatabase| {
        let site = built_site();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut config = Config::local(listener.local_addr().unwrap(), &test.url);
        config.site_root = site.clone();
        let kring = start_with(test, listener, config).await;
        let browser = client();
        let get = |path: &str, encodings: &'static str| {
            browser
                .get(format!("{}{path}", kring.base))
                .header("Accept-Encoding", encodings)
                .send()
        };

        let hashed = format!("/pkg/{HASHED_CSS}");
        for (accepted, encoding, body) in [
            ("br, gzip", Some("br"), "brotli copy"),
            ("gzip", Some("gzip"), "gzip copy"),
            ("identity", None, "main { color: black }"),
        ] {
            let response = get(&hashed, accepted).await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{accepted}");
            let headers = response.headers().clone();
            assert_eq!(
                headers[CACHE_CONTROL],
                "public, max-age=31536000, immutable"
            );
            assert!(headers[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/css"));
            assert_eq!(headers[VARY], "accept-encoding");
            assert_eq!(
                headers.get(CONTENT_ENCODING).map(|v| v.to_str().unwrap()),
                encoding
            );
            // Static files start no session.
            assert!(headers.get(SET_COOKIE).is_none());
            assert_eq!(response.text().await.unwrap(), body);
        }

        // A name without a hash may change: it is asked about again, and answered 304.
        let plain = get("/pkg/kring.css", "br").await.unwrap();
        assert_eq!(plain.status(), StatusCode::OK);
        assert_eq!(plain.headers()[CACHE_CONTROL], "public, no-cache");
        let modified = plain.headers()["last-modified"].clone();
        let again = browser
            .get(format!("{}/pkg/kring.css", kring.base))
            .header("If-Modified-Since", modified)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(again.headers()[CACHE_CONTROL], "public, no-cache");

        let icon = get("/favicon.svg", "br").await.unwrap();
        assert_eq!(icon.status(), StatusCode::OK);
        assert_eq!(icon.headers()[CACHE_CONTROL], "public, no-cache");
        assert_eq!(icon.headers()[CONTENT_ENCODING], "br");
        assert!(icon.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("default-src 'none'"));
        assert_eq!(icon.headers()["x-content-type-options"], "nosniff");
        assert_eq!(icon.text().await.unwrap(), "brotli icon");

        // Nothing there: a plain 404 that no cache keeps for good.
        let missing = get("/pkg/kring.Q2v7yX_0aB-cD1eF2gH3iK.wasm", "br")
            .await
            .unwrap();
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_ne!(
            missing
                .headers()
                .get(CACHE_CONTROL)
                .map(|v| v.to_str().unwrap()),
            Some("public, max-age=31536000, immutable")
        );
        // Nothing outside the package folder is served through it.
        let escape = get("/pkg/..%2Ffavicon.svg", "identity").await.unwrap();
        assert_eq!(escape.status(), StatusCode::NOT_FOUND);

        // Pages depend on who asks: no shared cache may keep them.
        let page = get("/", "br").await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(page.headers()[CACHE_CONTROL], "private, no-cache");
        std::fs::remove_dir_all(site).unwrap();
    });
}

/// The installable app: the manifest and its icons, and the service worker
/// under a policy that lets it fetch pages; every page carries the hidden
/// offline notice exactly as the service worker looks for it.
#[tokio::test]
async fn the_manifest_and_the_service_worker_are_served_as_browsers_need() {
    on_both_engines!(async |test: &TestDatabase| {
        let public = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut config = Config::local(listener.local_addr().unwrap(), &test.url);
        config.site_root = public.clone();
        let kring = start_with(test, listener, config).await;
        let browser = client();
        let get = |path: String| browser.get(format!("{}{path}", kring.base)).send();

        let worker = get("/sw.js".to_owned()).await.unwrap();
        assert_eq!(worker.status(), StatusCode::OK);
        assert_eq!(worker.headers()[CACHE_CONTROL], "public, no-cache");
        assert!(worker.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/javascript"));
        let policy = worker.headers()["content-security-policy"]
            .to_str()
            .unwrap();
        assert!(
            policy.starts_with("default-src 'none'; connect-src 'self';"),
            "{policy}"
        );
        let worker = worker.text().await.unwrap();

        let manifest = get("/manifest.webmanifest".to_owned()).await.unwrap();
        assert_eq!(manifest.status(), StatusCode::OK);
        assert_eq!(
            manifest.headers()[CONTENT_TYPE],
            "application/manifest+json"
        );
        let manifest: serde_json::Value = manifest.json().await.unwrap();
        assert_eq!(manifest["start_url"], "/");
        for icon in manifest["icons"].as_array().unwrap() {
            let response = get(icon["src"].as_str().unwrap().to_owned()).await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{icon}");
            assert_eq!(
                response.headers()[CONTENT_TYPE],
                icon["type"].as_str().unwrap()
            );
        }

        let page = get("/".to_owned()).await.unwrap().text().await.unwrap();
        assert!(page.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#));
        // The notice's opening tag, whatever order its attributes come in.
        let notice = page
            .split("<p ")
            .find(|tag| {
                tag.split('>')
                    .next()
                    .unwrap()
                    .contains(r#"class="offline-copy""#)
            })
            .expect("no offline notice");
        let opening = notice.split('>').next().unwrap();
        assert!(opening.contains(r#"hidden="""#), "{opening}");
        assert!(notice.contains(r#"<time class="offline-time"></time>"#));
        assert!(worker.contains(r#"/<p([^>]*\bclass="offline-copy"[^>]*)>/"#));
        assert!(worker.contains(r#"'<time class="offline-time"></time>'"#));
    });
}
