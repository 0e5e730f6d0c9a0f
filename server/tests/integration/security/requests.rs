//! Findings 6, 10, 11 and 13, and the router's limits: redirects stay on the
//! site and never fail; no page load writes; a page shows only error messages
//! the server vouches for; every response carries the browser protections; a
//! flood is turned away as "busy" while `/healthz` answers. Finding 12
//! (malformed calls) is in `malformed`.

use super::support::{client, start, start_with, went_through};
use super::{policy_nonce, CIRCLE_THREAD, WELCOME_THREAD};
use kring_db::on_both_engines;
use kring_db::testing::TestDatabase;
use kring_server::config::Config;
use reqwest::StatusCode;
use std::collections::BTreeSet;
use std::time::Duration;

/// A concrete address for each page the app routes, so none is forgotten.
fn page_for(route: &str) -> String {
    let concrete = route
        .replace("{id}", ":id")
        .replace("/units/:id", "/units/1")
        .replace("/programs/:id", "/programs/1")
        .replace("/modules/:id", "/modules/1")
        .replace("/sessions/:id", "/sessions/1")
        .replace("/forum/cohorts/:id", "/forum/cohorts/1")
        .replace("/forum/categories/:id", "/forum/categories/5")
        .replace(
            "/forum/threads/:id",
            &format!("/forum/threads/{WELCOME_THREAD}"),
        )
        .replace("/forum/posts/:id", "/forum/posts/20")
        .replace("/cohorts/:id", "/cohorts/1")
        .replace("/import/{import}", "/import/1")
        .replace("/programs/import/:import", "/programs/import/1");
    assert!(
        !concrete.contains(':') && !concrete.contains('{'),
        "give {route} an address in this test"
    );
    concrete
}

/// Every page route of the app, as leptos registers them.
fn page_routes() -> BTreeSet<String> {
    leptos_axum::generate_route_list(app::App)
        .iter()
        .map(|route| route.path().to_owned())
        .collect()
}

/// Every page, and the other things a browser loads: feeds, CSV, files, health.
pub(super) fn everything_a_browser_loads() -> Vec<String> {
    let mut paths: Vec<String> = page_routes().iter().map(|route| page_for(route)).collect();
    paths.extend(
        [
            "/calendar/public.ics",
            "/sessions/1/event.ics",
            "/sessions/1/registrants.csv",
            "/cohorts/1/dashboard.csv",
            "/programs/1/export.zip",
            "/profile/data/copies/1/kring-data.zip",
            "/favicon.svg",
            "/no/such/page",
            "/search?q=family",
            "/sessions?view=month",
            "/healthz",
        ]
        .map(str::to_owned),
    );
    paths
}

#[tokio::test]
async fn every_page_route_is_covered_by_these_tests() {
    for route in page_routes() {
        page_for(&route);
    }
}

#[tokio::test]
async fn no_page_load_changes_anything() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let readers = [
            client(),
            kring.logged_in("wanjiru@demo.kring").await,
            kring.logged_in("facilitator@demo.kring").await,
            kring.logged_in("admin@demo.kring").await,
        ];
        // Wanjiru has an unread notification, and unread threads, to lose.
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let (status, _) = kring
            .call(
                &lucia,
                "forum/reply",
                &[
                    ("thread", WELCOME_THREAD),
                    ("body", "What do you think, @wanjiru?"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let unread = super::support::unread_notifications(&test.db, "wanjiru@demo.kring").await;
        assert!(unread > 0);
        let before = test.contents().await;
        let mut pages = everything_a_browser_loads();
        pages.extend([
            format!("/forum/threads/{CIRCLE_THREAD}"),
            format!("/forum/threads/{WELCOME_THREAD}?quote=20"),
            "/sessions/confirm?token=anything".to_owned(),
            "/join?token=anything".to_owned(),
            "/verify-email?token=anything".to_owned(),
        ]);
        for reader in &readers {
            for path in &pages {
                let (status, _, _) = kring.page(reader, path).await;
                assert!(status.as_u16() < 500, "{path}: {status}");
            }
        }
        // The one write a page load makes on purpose: staff who read a consultation
        // circle without being members leave a trace its members see.
        let after: Vec<String> = test
            .contents()
            .await
            .into_iter()
            .filter(|row| !(row.starts_with("audit_log:") && row.contains("circle_read")))
            .collect();
        let changed: Vec<_> = before
            .iter()
            .filter(|row| !after.contains(row))
            .map(|row| format!("- {row}"))
            .chain(
                after
                    .iter()
                    .filter(|row| !before.contains(row))
                    .map(|row| format!("+ {row}")),
            )
            .collect();
        assert!(
            changed.is_empty(),
            "a page load wrote:\n{}",
            changed.join("\n")
        );
    });
}

#[tokio::test]
async fn every_response_carries_the_browser_protections() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let member = kring.logged_in("lucia@demo.kring").await;
        for reader in [&client(), &member] {
            for path in everything_a_browser_loads() {
                let (_, headers, body) = kring.page(reader, &path).await;
                let header = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|value| value.to_str().ok())
                        .unwrap_or_else(|| panic!("{path}: no {name}"))
                        .to_owned()
                };
                assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
                assert_eq!(header("referrer-policy"), "same-origin", "{path}");
                assert!(header("permissions-policy").contains("camera=()"), "{path}");
                if path == "/healthz" {
                    continue;
                }
                let policy = header("content-security-policy");
                for part in [
                    "object-src 'none'",
                    "base-uri 'none'",
                    "frame-ancestors 'none'",
                    "'wasm-unsafe-eval'",
                ] {
                    assert!(policy.contains(part), "{path}: {policy}");
                }
                assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
                // Every script of a page carries this response's nonce.
                let nonce = policy_nonce(&headers).expect("a nonce");
                if headers["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/html")
                {
                    super::assert_inert(&body, Some(&nonce), &path);
                }
            }
        }
        // Plain http: no HSTS, plain cookie names.
        let response = client()
            .post(format!("{}/api/login", kring.base))
            .form(&[
                ("email", "lucia@demo.kring"),
                ("password", kring_db::demo::DEMO_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert!(response
            .headers()
            .get("strict-transport-security")
            .is_none());
        let cookies: Vec<_> = response.headers().get_all("set-cookie").iter().collect();
        assert!(
            cookies
                .iter()
                .any(|c| c.to_str().unwrap().starts_with("kring_session=")),
            "{cookies:?}"
        );
        // Logging out asks the browser to forget what Kring stored in it.
        let response = member
            .post(format!("{}/api/logout", kring.base))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.headers()["clear-site-data"],
            "\"cache\", \"storage\""
        );
    });
}

#[tokio::test]
async fn over_https_cookies_are_host_only_and_hsts_is_sent() {
    on_both_engines!(async |test: &TestDatabase| {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut config = Config::local(listener.local_addr().unwrap(), &test.url);
        config.public_url = "https://kring.example.org".to_owned();
        let kring = start_with(test, listener, config).await;
        let response = client()
            .post(format!("{}/api/login", kring.base))
            .form(&[
                ("email", "lucia@demo.kring"),
                ("password", kring_db::demo::DEMO_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert!(went_through(response.status()));
        assert!(response.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .contains("max-age="));
        let cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|c| c.to_str().unwrap().to_owned())
            .collect();
        for name in ["__Host-kring_session=", "__Host-kring_device="] {
            let cookie = cookies
                .iter()
                .find(|c| c.starts_with(name))
                .unwrap_or_else(|| panic!("{name} in {cookies:?}"));
            assert!(
                cookie.contains("; Secure")
                    && cookie.contains("Path=/")
                    && cookie.contains("HttpOnly"),
                "{cookie}"
            );
            assert!(!cookie.contains("Domain"), "{cookie}");
        }
    });
}

#[tokio::test]
async fn redirects_stay_on_the_site_and_never_fail() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        for back in [
            "/\\evil.example",
            "//evil.example",
            "https://evil.example/",
            "/sessions\u{1}x",
            "/sessions\r\nSet-Cookie: kring_session=planted",
            "\\\\evil.example",
        ] {
            let response = client()
                .post(format!("{}/api/calendar/time-zone", kring.base))
                .header("Accept", "text/html")
                .form(&[("zone", "Africa/Nairobi"), ("back", back)])
                .send()
                .await
                .unwrap_or_else(|error| panic!("{back:?}: the connection dropped: {error}"));
            assert_eq!(response.status(), StatusCode::FOUND, "{back:?}");
            assert_eq!(response.headers()["location"], "/sessions", "{back:?}");
            assert!(!response
                .headers()
                .get_all("set-cookie")
                .iter()
                .any(|c| c.to_str().unwrap().contains("planted")));
        }
        let response = client()
            .post(format!("{}/api/calendar/time-zone", kring.base))
            .header("Accept", "text/html")
            .form(&[("zone", "Africa/Nairobi"), ("back", "/sessions?view=month")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["location"], "/sessions?view=month");
        // The form itself never carries a foreign target back.
        let (_, _, page) = kring
            .page(&client(), "/time-zone?back=/%5Cevil.example")
            .await;
        assert_eq!(
            super::field_value(&page, "back").as_deref(),
            Some("/sessions")
        );
    });
}

/// Base64 with the URL-safe alphabet and padding, as forms' error links use it.
fn url_safe_base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut text = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                text.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                text.push('=');
            }
        }
    }
    text
}

#[tokio::test]
async fn a_link_cannot_put_words_in_a_pages_mouth() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let forged = serde_json::json!({
            "code": {"throttled": {"minutes": 9999}},
            "status": 429,
            "message": "Account locked: call +31 6 1234 5678 to unlock",
        });
        let err = url_safe_base64(forged.to_string().as_bytes());
        let (status, _, page) = kring
            .page(&client(), &format!("/login?__path=/api/login&__err={err}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(!page.contains("+31"), "{page}");
        assert!(
            page.contains("Too many failed attempts. Please wait 60 minutes"),
            "{page}"
        );
        let forged = serde_json::json!({
            "code": {"time_in_gap": {"date": "Call +31 6 1234 5678", "zone": "now"}},
            "status": 422,
            "message": "Call +31 6 1234 5678",
        });
        let err = url_safe_base64(forged.to_string().as_bytes());
        let (_, _, page) = kring
            .page(
                &client(),
                &format!("/register?__path=/api/register&__err={err}"),
            )
            .await;
        assert!(!page.contains("+31"), "{page}");
        let (status, _, page) = kring.page(&client(), "/login?__err=%3Cscript%3E").await;
        assert_eq!(status, StatusCode::OK);
        assert!(!page.contains("<script>alert"), "{page}");
        // A notice's number comes from the link only as a number.
        let (_, _, page) = kring
            .page(&client(), "/sessions/1?planned=Call%20%2B31")
            .await;
        assert!(!page.contains("+31"), "{page}");
    });
}

#[tokio::test]
async fn a_trickled_upload_holds_no_place_and_health_answers() {
    on_both_engines!(async |test: &TestDatabase| {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut config = Config::local(listener.local_addr().unwrap(), &test.url);
        config.max_requests = 2;
        // Long enough for a page under a loaded test machine, short enough to wait for.
        config.request_timeout_secs = 5;
        let kring = start_with(test, listener, config).await;
        // Three uploads that never finish, where two requests may run at once.
        let mut slow = Vec::new();
        for _ in 0..3 {
            let (sender, receiver) =
                tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(1);
            sender
                .send(Ok(b"email=a%40b.org&password=".to_vec()))
                .await
                .unwrap();
            let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
                receiver.recv().await.map(|chunk| (chunk, receiver))
            });
            let url = format!("{}/api/login", kring.base);
            slow.push((
                sender,
                tokio::spawn(async move {
                    client()
                        .post(url)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Accept-Language", "nl")
                        .body(reqwest::Body::wrap_stream(stream))
                        .send()
                        .await
                        .unwrap()
                }),
            ));
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        // Everyone else is served meanwhile, and the health check answers.
        let response = client()
            .get(format!("{}/sessions", kring.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let started = std::time::Instant::now();
        let health = client()
            .get(format!("{}/healthz", kring.base))
            .send()
            .await
            .unwrap();
        assert_eq!(health.status(), StatusCode::OK);
        eprintln!("/healthz beside stalled uploads: {:?}", started.elapsed());
        // The stalled uploads end at the time limit, told why in their language.
        for (sender, upload) in slow {
            let response = upload.await.unwrap();
            assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
            let error: serde_json::Value = response.json().await.unwrap();
            assert_eq!(error["code"], "too_slow");
            assert!(
                error["message"].as_str().unwrap().contains("traag"),
                "{error}"
            );
            drop(sender);
        }
    });
}
