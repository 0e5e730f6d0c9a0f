//! Findings 4, 5, 7 and 14: anonymous sign-ups are counted per network and
//! checked before any hashing; parallel password guesses get no more through
//! than the limit and never lock the owner's own browser out; behind a proxy
//! the client is the address the proxy added; tries at the current password
//! are counted; links in e-mail come from `KRING_PUBLIC_URL`, and visitors
//! confirm their address before a seat is held; common passwords are refused.

use super::support::{client, start, start_with, went_through};
use kring_db::on_both_engines;
use kring_db::testing::TestDatabase;
use kring_server::config::Config;
use reqwest::StatusCode;

fn sign_up(email: &str, password: &str) -> Vec<(&'static str, String)> {
    vec![
        ("display_name", "Amani Otieno".to_owned()),
        ("email", email.to_owned()),
        ("password", password.to_owned()),
        ("organisation", String::new()),
        ("country", "KE".to_owned()),
        ("language", "en".to_owned()),
        ("time_zone", "Africa/Nairobi".to_owned()),
    ]
}

fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn sign_ups_are_counted_per_network_and_common_passwords_refused() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        for common in ["password1", "iloveyou", "Qwerty123"] {
            let (status, body) = kring
                .call(
                    &client(),
                    "register",
                    &pairs(&sign_up("new@example.org", common)),
                )
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{common}: {body}");
            assert_eq!(body["code"]["invalid"], "PasswordTooCommon", "{body}");
        }
        // An address that has an account is refused before its password is hashed.
        let (status, body) = kring
            .call(
                &client(),
                "register",
                &pairs(&sign_up("amara@demo.kring", "a long enough phrase")),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        // Thirty new accounts an hour from one network; the next is told to wait.
        let mut refused = None;
        for n in 0..40 {
            let email = format!("person{n}@example.org");
            let (status, body) = kring
                .call(
                    &client(),
                    "register",
                    &pairs(&sign_up(&email, "a long enough phrase")),
                )
                .await;
            if status == StatusCode::TOO_MANY_REQUESTS {
                refused = Some((n, body));
                break;
            }
            assert!(went_through(status), "{n}: {status} {body}");
        }
        let (n, body) = refused.expect("sign-ups from one network are limited");
        assert!(n <= 30, "{n} accounts went through");
        assert!(
            body["message"].as_str().unwrap().contains("minutes"),
            "{body}"
        );
        assert_eq!(test.db.user_count().await.unwrap(), 10 + n as i64);
    });
}

#[tokio::test]
async fn sixty_parallel_guesses_get_five_through_and_the_owner_still_logs_in() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        // Lucía has logged in from her own browser before.
        let owners_browser = kring.logged_in("lucia@demo.kring").await;
        kring.call(&owners_browser, "logout", &[]).await;
        let guesses: Vec<_> = (0..60)
            .map(|n| {
                let url = format!("{}/api/login", kring.base);
                tokio::spawn(async move {
                    let password = format!("guess number {n}");
                    client()
                        .post(url)
                        .form(&[
                            ("email", "lucia@demo.kring"),
                            ("password", password.as_str()),
                        ])
                        .send()
                        .await
                        .unwrap()
                        .status()
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for guess in guesses {
            statuses.push(guess.await.unwrap());
        }
        let checked = statuses
            .iter()
            .filter(|s| **s == StatusCode::UNAUTHORIZED)
            .count();
        let throttled = statuses
            .iter()
            .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
            .count();
        assert_eq!((checked, throttled), (5, 55), "{statuses:?}");
        // A stranger's browser is locked out, even with the right password…
        let (status, _) = kring
            .call(
                &client(),
                "login",
                &[
                    ("email", "lucia@demo.kring"),
                    ("password", kring_db::demo::DEMO_PASSWORD),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        // …but hers is not.
        let (status, body) = kring
            .call(
                &owners_browser,
                "login",
                &[
                    ("email", "lucia@demo.kring"),
                    ("password", kring_db::demo::DEMO_PASSWORD),
                ],
            )
            .await;
        assert!(went_through(status), "{status} {body}");
    });
}

#[tokio::test]
async fn behind_a_proxy_the_client_is_the_address_the_proxy_added() {
    on_both_engines!(async |test: &TestDatabase| {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut config = Config::local(listener.local_addr().unwrap(), &test.url);
        config.trust_proxy = true;
        let kring = start_with(test, listener, config).await;
        // Each guess claims another address on the left; the proxy's own
        // addition on the right is the same one: twenty, then a wait.
        let mut statuses = Vec::new();
        for n in 0..24 {
            let response = client()
                .post(format!("{}/api/login", kring.base))
                .header("X-Forwarded-For", format!("198.51.100.{n}, 203.0.113.50"))
                .form(&[
                    ("email", format!("nobody{n}@example.org")),
                    ("password", "guess".to_owned()),
                ])
                .send()
                .await
                .unwrap();
            statuses.push(response.status());
        }
        assert!(
            statuses[..20]
                .iter()
                .all(|s| *s == StatusCode::UNAUTHORIZED),
            "{statuses:?}"
        );
        assert!(
            statuses[20..]
                .iter()
                .all(|s| *s == StatusCode::TOO_MANY_REQUESTS),
            "{statuses:?}"
        );
        // A proxy that adds a line of its own: the client's forged line comes first, and counts for nothing.
        let response = client()
            .post(format!("{}/api/login", kring.base))
            .header("X-Forwarded-For", "198.51.100.99")
            .header("X-Forwarded-For", "203.0.113.50")
            .form(&[("email", "nobody@example.org"), ("password", "guess")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        // Another client behind the same proxy is not held up.
        let response = client()
            .post(format!("{}/api/login", kring.base))
            .header("X-Forwarded-For", "203.0.113.51")
            .form(&[("email", "nobody@example.org"), ("password", "guess")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    });
}

#[tokio::test]
async fn tries_at_the_current_password_are_counted() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let stolen = kring.logged_in("priya@demo.kring").await;
        let mut statuses = Vec::new();
        for n in 0..7 {
            let current = format!("guess {n}");
            let (status, _) = kring
                .call(
                    &stolen,
                    "change-password",
                    &[
                        ("current_password", current.as_str()),
                        ("new_password", "taken over for good"),
                    ],
                )
                .await;
            statuses.push(status);
        }
        assert!(
            statuses[..5].iter().all(|s| *s == StatusCode::UNAUTHORIZED),
            "{statuses:?}"
        );
        assert!(
            statuses[5..]
                .iter()
                .all(|s| *s == StatusCode::TOO_MANY_REQUESTS),
            "{statuses:?}"
        );
        // Even the right one waits now.
        let (status, _) = kring
            .call(
                &stolen,
                "change-password",
                &[
                    ("current_password", kring_db::demo::DEMO_PASSWORD),
                    ("new_password", "taken over for good"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    });
}

#[tokio::test]
async fn visitors_confirm_by_mail_with_links_to_the_public_address_only() {
    on_both_engines!(async |test: &TestDatabase| {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut config = Config::local(listener.local_addr().unwrap(), &test.url);
        config.trust_proxy = true;
        config.public_url = "https://kring.example.org".to_owned();
        // Mail is on; nothing sends it, so it waits in the outbox to be read here.
        config.smtp_url = Some("smtp://127.0.0.1:9".to_owned());
        let kring = start_with(test, listener, config).await;
        let meeting = test
            .db
            .meetings(
                kring_db::Audience::Visitor,
                kring_domain::Language::En,
                kring_db::Span::ALWAYS,
            )
            .await
            .unwrap()
            .into_iter()
            .find(|s| s.kind.is_public())
            .unwrap();
        let register = |email: &'static str, address: &'static str| {
            let url = format!("{}/api/calendar/register-guest", kring.base);
            let id = meeting.id.0.to_string();
            async move {
                client()
                    .post(url)
                    .header("Host", "evil.example")
                    .header("X-Forwarded-Host", "evil.example")
                    .header("X-Forwarded-For", address)
                    .form(&[
                        ("guest[session]", id.as_str()),
                        ("guest[name]", "Rosa Mamani"),
                        ("guest[email]", email),
                        ("guest[organisation]", "Casa Abierta Cusco"),
                        ("guest[language_group]", "es"),
                        ("guest[time_zone]", "America/Lima"),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        assert!(went_through(
            register("rosa@example.org", "198.51.100.1").await
        ));
        // No seat is held until the address's owner confirms.
        assert!(test.db.registrants(meeting.id).await.unwrap().is_empty());
        let mail = test.db.claim_mail(10).await.unwrap();
        assert_eq!(mail.len(), 1);
        assert!(
            mail[0]
                .body
                .contains("https://kring.example.org/sessions/confirm?token="),
            "{}",
            mail[0].body
        );
        assert!(!mail[0].body.contains("evil.example"), "{}", mail[0].body);
        // One address is mailed three times a day at most, from any network.
        for (n, address) in ["198.51.100.2", "198.51.100.3"].into_iter().enumerate() {
            assert!(
                went_through(register("rosa@example.org", address).await),
                "{n}"
            );
        }
        assert_eq!(
            register("rosa@example.org", "198.51.100.4").await,
            StatusCode::TOO_MANY_REQUESTS
        );
        // One network registers ten visitors an hour.
        let mut statuses = Vec::new();
        for email in [
            "a@example.org",
            "b@example.org",
            "c@example.org",
            "d@example.org",
            "e@example.org",
            "f@example.org",
            "g@example.org",
            "h@example.org",
            "i@example.org",
            "j@example.org",
            "k@example.org",
        ] {
            statuses.push(register(email, "192.0.2.7").await);
        }
        assert!(
            statuses[..10].iter().all(|s| went_through(*s)),
            "{statuses:?}"
        );
        assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS);
    });
}

/// A real deployment is by invitation unless `KRING_OPEN_REGISTRATION` says otherwise:
/// `/register` explains, the register call is refused, and nobody is created.
#[tokio::test]
async fn registration_is_closed_unless_opened() {
    on_both_engines!(async |test: &TestDatabase| {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut config = Config::local(listener.local_addr().unwrap(), &test.url);
        config.open_registration = false;
        let kring = start_with(test, listener, config).await;
        let users = test.db.user_count().await.unwrap();
        let (status, body) = kring
            .call(
                &client(),
                "register",
                &[
                    ("display_name", "Uninvited Guest"),
                    ("email", "guest@example.org"),
                    ("password", "a long enough phrase"),
                    ("organisation", ""),
                    ("country", "KE"),
                    ("language", "en"),
                    ("time_zone", "Africa/Nairobi"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(
            body["message"].as_str().unwrap().contains("by invitation"),
            "{body}"
        );
        assert_eq!(test.db.user_count().await.unwrap(), users);

        let (status, page) = kring.get(&client(), "/register").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("by invitation") && !page.contains("name=\"password\""));
        let (_, login) = kring.get(&client(), "/login").await;
        assert!(
            !login.contains("href=\"/register\""),
            "no way to a closed door"
        );
        assert!(login.contains("href=\"/forgot-password\""));
    });
}
