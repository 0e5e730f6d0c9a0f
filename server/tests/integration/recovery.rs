//! "Forgot your password?" over HTTP on both engines: the same answer for every address,
//! a link mailed only to accounts, used once, within 30 minutes, ending every other session.

use crate::support;
use support::{client, start, went_through};

use kring_db::testing::TestDatabase;
use kring_db::{demo, on_both_engines};
use reqwest::StatusCode;
use serde_json::Value;

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
        let kring = start(test).await;
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
        let links = mailed_links(test).await;
        assert_eq!(links.len(), 1, "{links:?}");
        assert_eq!(links[0].0, "lucia@demo.kring");
        // In Lucía's language, with the page it leads to.
        let (status, page) = kring
            .get(
                &stranger,
                &format!("/reset-password?token={}", token_of(&links[0].1)),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Lucía Quispe"), "{page}");
        assert!(page.contains("name=\"new_password\""));

        // Not an address at all: a clear 422, nothing mailed.
        let (status, body) = kring
            .call(&stranger, "forgot-password", &[("email", "not an address")])
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(mailed_links(test).await.is_empty());
    });
}

#[tokio::test]
async fn a_link_works_once_and_ends_every_other_session() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
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
        let kring = &start(test).await;
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
        test.execute("UPDATE password_resets SET created_at = created_at - 31 * 60")
            .await;
        assert_eq!(try_link(second).await, StatusCode::GONE, "too old");
    });
}

#[tokio::test]
async fn reset_requests_are_limited_per_address_and_per_network() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = &start(test).await;
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
        // Ten requests an hour from one network, at any addresses.
        let mut last = StatusCode::OK;
        for n in 0..10 {
            let email = format!("person{n}@example.org");
            last = kring
                .call(&client(), "forgot-password", &[("email", &email)])
                .await
                .0;
        }
        assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    });
}
