//! "Forgot your password?" over HTTP on both engines: the same answer for every address,
//! a link mailed only to accounts, used once, within 30 minutes, ending every other session.

use crate::support;
use support::{client, start, start_with, went_through, Running};

use kring_db::testing::TestDatabase;
use kring_db::{demo, on_both_engines};
use kring_server::config::Config;
use reqwest::StatusCode;
use serde_json::Value;

/// Kring as the demo runs without SMTP: the mails people ask for are printed to the log
/// by a job these tests do not start, so they wait in the outbox to be read here.
async fn start_demo(test: &TestDatabase) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut config = Config::local(listener.local_addr().unwrap(), &test.url);
    config.load_demo = true;
    start_with(test, listener, config).await
}

/// A plain form post of "Forgot your password?", as a browser without JavaScript sends it:
/// (status, where it leads, body).
async fn ask_as_a_form(kring: &Running, email: &str) -> (StatusCode, Option<String>, String) {
    let response = client()
        .post(format!("{}/api/forgot-password", kring.base))
        .header("Accept", "text/html")
        .header("Referer", format!("{}/forgot-password", kring.base))
        .form(&[("email", email)])
        .send()
        .await
        .unwrap();
    let location = response
        .headers()
        .get("location")
        .map(|value| value.to_str().unwrap().to_owned());
    (response.status(), location, response.text().await.unwrap())
}

/// The reset links waiting in the outbox, as (recipient, link).
async fn mailed_links(test: &TestDatabase) -> Vec<(String, String)> {
    let mails = test.db.claim_mail(50).await.unwrap();
    mails
        .into_iter()
        .filter_map(|mail| {
            let link = mail
                .body
                .split_whitespace()
                .find(|word| word.contains("/reset-password?token="))?
                .to_owned();
            Some((mail.recipient, link))
        })
        .collect()
}

fn token_of(link: &str) -> &str {
    link.split_once("token=").map(|(_, token)| token).unwrap()
}

#[tokio::test]
async fn a_reset_link_goes_only_to_accounts_and_the_answer_never_tells() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start_demo(test).await;
        let stranger = client();
        let mut answers = Vec::new();
        for email in ["lucia@demo.kring", "nobody@example.org"] {
            let (status, body) = kring
                .call(&stranger, "forgot-password", &[("email", email)])
                .await;
            assert!(went_through(status), "{email}: {status} {body}");
            answers.push((status, body));
        }
        assert_eq!(
            answers[0], answers[1],
            "the answer says nothing of the account"
        );
        // As forms without JavaScript: the same redirect, whoever asks.
        let known = ask_as_a_form(&kring, "jana@demo.kring").await;
        let unknown = ask_as_a_form(&kring, "no-one@example.org").await;
        assert_eq!(known, unknown);
        assert!(known.0.is_redirection(), "{known:?}");
        assert_eq!(known.1.as_deref(), Some("/forgot-password?sent=1"));
        let links = mailed_links(test).await;
        let recipients: Vec<&str> = links.iter().map(|(to, _)| to.as_str()).collect();
        assert_eq!(recipients, ["lucia@demo.kring", "jana@demo.kring"]);
        // The page it leads to names the account and asks for the new password.
        let (status, page) = kring
            .get(
                &stranger,
                &format!("/reset-password?token={}", token_of(&links[0].1)),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Lucía Quispe"), "{page}");
        assert!(page.contains("name=\"new_password\""));

        // Not an address at all: a clear 422.
        let (status, body) = kring
            .call(&stranger, "forgot-password", &[("email", "not an address")])
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    });
}

/// A Kring that sends no e-mail (and is not the demo) says so, and stores nothing.
#[tokio::test]
async fn without_e_mail_a_reset_is_refused_plainly() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let (status, body) = kring
            .call(
                &client(),
                "forgot-password",
                &[("email", "lucia@demo.kring")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("sends no e-mail"),
            "{body}"
        );
        assert!(test.db.claim_mail(50).await.unwrap().is_empty());
    });
}

#[tokio::test]
async fn a_link_works_once_and_ends_every_other_session() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start_demo(test).await;
        let on_her_laptop = kring.logged_in("amara@demo.kring").await;
        let (status, _) = kring.call(&on_her_laptop, "profile", &[]).await;
        assert_eq!(status, StatusCode::OK);

        let on_her_phone = client();
        let (status, _) = kring
            .call(
                &on_her_phone,
                "forgot-password",
                &[("email", "amara@demo.kring")],
            )
            .await;
        assert!(went_through(status));
        let links = mailed_links(test).await;
        let token = token_of(&links[0].1).to_owned();

        // A password the rules refuse changes nothing and keeps the link working.
        let (status, body) = kring
            .call(
                &on_her_phone,
                "reset-password",
                &[("token", &token), ("new_password", "password")],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

        let new_password = "a lantern over the river";
        let (status, body) = kring
            .call(
                &on_her_phone,
                "reset-password",
                &[("token", &token), ("new_password", new_password)],
            )
            .await;
        assert!(went_through(status), "{status} {body}");
        // The phone is logged in; the laptop's session ended with the old password.
        let (status, profile) = kring.call(&on_her_phone, "profile", &[]).await;
        assert_eq!(status, StatusCode::OK, "{profile}");
        assert_eq!(profile["email"], Value::from("amara@demo.kring"));
        let (status, _) = kring.call(&on_her_laptop, "profile", &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        // The old password is gone, the new one works.
        let (status, _) = kring
            .call(
                &client(),
                "login",
                &[
                    ("email", "amara@demo.kring"),
                    ("password", demo::DEMO_PASSWORD),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _) = kring
            .call(
                &client(),
                "login",
                &[("email", "amara@demo.kring"), ("password", new_password)],
            )
            .await;
        assert!(went_through(status));

        // Once: the same link again is refused, and its page says so.
        let (status, body) = kring
            .call(
                &client(),
                "reset-password",
                &[
                    ("token", &token),
                    ("new_password", "another lantern, later"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::GONE, "{body}");
        let (status, page) = kring
            .get(&client(), &format!("/reset-password?token={token}"))
            .await;
        assert_eq!(status, StatusCode::GONE);
        assert!(page.contains("/forgot-password"), "a way to ask again");
        assert!(!page.contains("name=\"new_password\""));
    });
}

#[tokio::test]
async fn a_link_runs_out_after_30_minutes_and_a_newer_one_replaces_it() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = &start_demo(test).await;
        let ask = move || async move {
            let (status, _) = kring
                .call(
                    &client(),
                    "forgot-password",
                    &[("email", "wanjiru@demo.kring")],
                )
                .await;
            assert!(went_through(status));
            token_of(&mailed_links(test).await[0].1).to_owned()
        };
        let first = ask().await;
        let second = ask().await;
        let try_link = move |token: String| async move {
            kring
                .call(
                    &client(),
                    "reset-password",
                    &[
                        ("token", &token),
                        ("new_password", "river stones in the sun"),
                    ],
                )
                .await
                .0
        };
        assert_eq!(
            try_link(first).await,
            StatusCode::GONE,
            "replaced by the newer link"
        );
        let page = |token: String| async move {
            kring
                .get(&client(), &format!("/reset-password?token={token}"))
                .await
                .0
        };
        test.execute("UPDATE password_resets SET created_at = created_at - 29 * 60")
            .await;
        assert_eq!(page(second.clone()).await, StatusCode::OK, "29 minutes old");
        test.execute("UPDATE password_resets SET created_at = created_at - 2 * 60")
            .await;
        assert_eq!(page(second.clone()).await, StatusCode::GONE);
        assert_eq!(try_link(second).await, StatusCode::GONE, "31 minutes old");

        // A password changed on the profile makes a pending link useless.
        let third = ask().await;
        let wanjiru = kring.logged_in("wanjiru@demo.kring").await;
        let (status, body) = kring
            .call(
                &wanjiru,
                "change-password",
                &[
                    ("current_password", demo::DEMO_PASSWORD),
                    ("new_password", "a quiet morning in Nakuru"),
                ],
            )
            .await;
        assert!(went_through(status), "{status} {body}");
        assert_eq!(try_link(third).await, StatusCode::GONE, "changed since");
    });
}

#[tokio::test]
async fn reset_requests_are_limited_per_address() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = &start_demo(test).await;
        let statuses = move |email: &'static str, times: usize| async move {
            let mut statuses = Vec::new();
            for _ in 0..times {
                let (status, _) = kring
                    .call(&client(), "forgot-password", &[("email", email)])
                    .await;
                statuses.push(status);
            }
            statuses
        };
        // Three links an hour for one address, whether or not it has an account.
        for email in ["rami@demo.kring", "someone@example.org"] {
            let answers = statuses(email, 4).await;
            assert!(
                answers[..3].iter().all(|status| went_through(*status)),
                "{answers:?}"
            );
            assert_eq!(answers[3], StatusCode::TOO_MANY_REQUESTS, "{email}");
        }
        assert_eq!(mailed_links(test).await.len(), 3, "only Rami's three");
    });
}

#[tokio::test]
async fn reset_requests_are_limited_per_network() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start_demo(test).await;
        // Ten requests an hour from one network, at any addresses; the eleventh waits.
        let mut answers = Vec::new();
        for n in 0..11 {
            let email = format!("person{n}@example.org");
            answers.push(
                kring
                    .call(&client(), "forgot-password", &[("email", &email)])
                    .await
                    .0,
            );
        }
        assert!(
            answers[..10].iter().all(|status| went_through(*status)),
            "{answers:?}"
        );
        assert_eq!(answers[10], StatusCode::TOO_MANY_REQUESTS);
    });
}
