//! Verified addresses over HTTP on both engines: a new account's address counts once its
//! mailed link is followed (by a button, never by loading the page), reminders and digests
//! wait for it, and a changed address replaces the old one only once verified.

use crate::support::{client, start_with, went_through, Running};
use kring_db::testing::TestDatabase;
use kring_db::{on_both_engines, NewMeeting, Registrant};
use kring_domain::{
    Email, Language, SessionKind, SessionMinutes, SessionTitle, TimeZone, UserId, VideoLink,
};
use kring_server::config::Config;
use reqwest::StatusCode;

/// The demo without SMTP: mails wait in the outbox (the job printing them is not started).
async fn start_demo(test: &TestDatabase) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut config = Config::local(listener.local_addr().unwrap(), &test.url);
    config.load_demo = true;
    start_with(test, listener, config).await
}

/// The verification link mailed to `address`, if one waits in the outbox.
async fn verification_token(test: &TestDatabase, address: &str) -> Option<String> {
    let mails = test.db.claim_mail(50).await.unwrap();
    mails
        .into_iter()
        .filter(|mail| mail.recipient == address)
        .find_map(|mail| {
            let start = mail.body.find("/verify-email?token=")? + "/verify-email?token=".len();
            Some(mail.body[start..start + 64].to_owned())
        })
}

async fn user(test: &TestDatabase, address: &str) -> kring_db::UserRecord {
    test.db
        .user_by_email(&Email::parse(address).unwrap())
        .await
        .unwrap()
}

/// Whether `user` is among those a reminder and a digest would be mailed to now.
async fn mailed_to(test: &TestDatabase, user: UserId, address: &str) -> (bool, bool) {
    let reminders = test.db.notices_to_email().await.unwrap();
    let digests = test.db.digests_due(kring_db::now() + 3600).await.unwrap();
    (
        reminders
            .iter()
            .any(|reminder| reminder.recipient == address),
        digests.iter().any(|digest| digest.user == user),
    )
}

#[tokio::test]
async fn reminders_and_digests_wait_until_the_address_is_verified() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start_demo(test).await;
        let rosa = client();
        let (status, body) = kring
            .call(
                &rosa,
                "register",
                &[
                    ("display_name", "Rosa Mamani"),
                    ("email", "rosa@example.pe"),
                    ("password", "a long enough phrase"),
                    ("organisation", ""),
                    ("country", "PE"),
                    ("language", "es"),
                    ("time_zone", "America/Lima"),
                ],
            )
            .await;
        assert!(went_through(status), "{status} {body}");
        let record = user(test, "rosa@example.pe").await;
        assert!(!record.email_verified);
        // A member of the demo cohort, so that its forum's replies are hers to read.
        test.db
            .add_cohort_member(kring_domain::CohortId(1), record.id, None)
            .await
            .unwrap();
        let token = verification_token(test, "rosa@example.pe")
            .await
            .expect("a link is mailed at registration");

        // A session an hour ahead she registered for, and a reply she has not read.
        let meeting = NewMeeting {
            kind: SessionKind::Information,
            cohort_id: None,
            language_group_id: None,
            host_zone: TimeZone::parse("America/Lima").unwrap(),
            minutes: SessionMinutes::parse("60").unwrap(),
            video_link: VideoLink::parse("").unwrap(),
            capacity: None,
            unit_id: None,
            texts: vec![(
                Language::Es,
                SessionTitle::parse("Sesión informativa").unwrap(),
                String::new(),
            )],
            created_by: None,
        };
        let (_, ids) = test
            .db
            .create_series(&meeting, "10:00", 0, &[kring_db::now() + 1800])
            .await
            .unwrap();
        test.db
            .register(ids[0], &Registrant::Member(record.id))
            .await
            .unwrap();
        test.db.create_due_reminders(kring_db::now()).await.unwrap();
        test.execute(&format!(
            "INSERT INTO notifications (user_id, kind, post_id, actor_id, created_at) \
             SELECT {}, 'reply', MIN(id), NULL, 0 FROM forum_posts",
            record.id.0
        ))
        .await;
        assert_eq!(
            mailed_to(test, record.id, "rosa@example.pe").await,
            (false, false),
            "nothing goes to an unverified address"
        );

        // Loading the link's page confirms nothing; its button does, once.
        let (status, page) = kring
            .get(&client(), &format!("/verify-email?token={token}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("rosa@example.pe"), "{page}");
        assert!(!user(test, "rosa@example.pe").await.email_verified);
        let (status, _) = kring
            .call(&client(), "verify-email", &[("token", &token)])
            .await;
        assert!(went_through(status));
        assert!(user(test, "rosa@example.pe").await.email_verified);
        assert_eq!(
            mailed_to(test, record.id, "rosa@example.pe").await,
            (true, true)
        );
        let (status, body) = kring
            .call(&client(), "verify-email", &[("token", &token)])
            .await;
        assert_eq!(status, StatusCode::GONE, "a link works once: {body}");
    });
}

#[tokio::test]
async fn a_changed_address_counts_only_once_verified() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start_demo(test).await;
        let jana = kring.logged_in("jana@demo.kring").await;
        let change = |password: &'static str, email: &'static str| {
            let (jana, kring) = (jana.clone(), &kring);
            async move {
                kring
                    .call(
                        &jana,
                        "change-email",
                        &[("email", email), ("current_password", password)],
                    )
                    .await
            }
        };
        let (status, _) = change("not her password", "jana@example.de").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, body) = change(kring_db::demo::DEMO_PASSWORD, "lucia@demo.kring").await;
        assert_eq!(status, StatusCode::CONFLICT, "another account's: {body}");
        // A reset link asked for the old address before the change.
        let (status, _) = kring
            .call(
                &client(),
                "forgot-password",
                &[("email", "jana@demo.kring")],
            )
            .await;
        assert!(went_through(status));
        let (status, body) = change(kring_db::demo::DEMO_PASSWORD, "jana@example.de").await;
        assert!(went_through(status), "{status} {body}");
        let mails = test.db.claim_mail(50).await.unwrap();
        let reset = mails
            .iter()
            .find(|mail| mail.recipient == "jana@demo.kring")
            .unwrap();
        let start = reset.body.find("token=").unwrap() + "token=".len();
        let reset_token = reset.body[start..start + 64].to_owned();
        let link = mails
            .iter()
            .find(|mail| mail.recipient == "jana@example.de")
            .expect("the link goes to the new address");
        let start = link.body.find("/verify-email?token=").unwrap() + "/verify-email?token=".len();
        let token = link.body[start..start + 64].to_owned();

        // Until then the old address is the account's, for logins too.
        assert!(test
            .db
            .user_by_email(&Email::parse("jana@example.de").unwrap())
            .await
            .is_err());
        let (_, profile) = kring.call(&jana, "profile", &[]).await;
        assert_eq!(profile["pending_email"], "jana@example.de", "{profile}");
        let (status, _) = kring
            .call(&jana, "verify-email", &[("token", &token)])
            .await;
        assert!(went_through(status));
        let record = user(test, "jana@example.de").await;
        assert!(record.email_verified);
        assert!(test
            .db
            .user_by_email(&Email::parse("jana@demo.kring").unwrap())
            .await
            .is_err());
        // The reset link mailed to the old address no longer works.
        let (status, _) = kring
            .call(
                &client(),
                "reset-password",
                &[
                    ("token", &reset_token),
                    ("new_password", "another long phrase"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::GONE);
        let _ = kring.logged_in("jana@example.de").await;
    });
}
