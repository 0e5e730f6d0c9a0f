//! The real server on a random port, against a fresh SQLite file and a fresh
//! PostgreSQL database, called over HTTP as browsers and scripts call it.

use crate::support;
use support::{client, start, went_through};

use kring_db::testing::TestDatabase;
use kring_db::{demo, on_both_engines};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn health_names_the_engine_and_fails_when_the_database_is_gone() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let response = client()
            .get(format!("{}/healthz", kring.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["database"], test.engine().name());
        assert_eq!(body["migration"], 16);
        assert_eq!(body["tzdb"], kring_domain::series::TZDB_VERSION);

        test.db.close().await;
        let response = client()
            .get(format!("{}/healthz", kring.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    });
}

#[tokio::test]
async fn admin_functions_check_the_caller() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let (status, body) = kring.call(&client(), "admin/overview", &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(body["code"], "unauthenticated");

        let participant = kring.logged_in("priya@demo.kring").await;
        let (status, body) = kring.call(&participant, "admin/overview", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["message"], "You do not have permission to do this.");
        let (status, _) = kring
            .call(
                &participant,
                "admin/set-role",
                &[("user", "1"), ("role", "admin")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "no one promotes themselves");

        let facilitator = kring.logged_in("facilitator@demo.kring").await;
        let (status, _) = kring.call(&facilitator, "admin/overview", &[]).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "facilitators run cohorts, not the platform"
        );

        let admin = kring.logged_in("admin@demo.kring").await;
        let (status, body) = kring.call(&admin, "admin/overview", &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["organisations"].as_array().unwrap().len(), 11);
    });
}

#[tokio::test]
async fn errors_are_translated_for_the_requester() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let response = client()
            .post(format!("{}/api/login", kring.base))
            .header("accept-language", "de-DE,de;q=0.9")
            .form(&[("email", "jana@demo.kring"), ("password", "falsch-falsch")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body["message"],
            "E-Mail-Adresse oder Passwort stimmen nicht. Bitte versuchen Sie es noch einmal."
        );
    });
}

#[tokio::test]
async fn repeated_failures_are_throttled_with_a_clear_message() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let client = client();
        for _ in 0..5 {
            let (status, _) = kring
                .call(
                    &client,
                    "login",
                    &[("email", "sanne@demo.kring"), ("password", "gokje-1234")],
                )
                .await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
        let (status, body) = kring
            .call(
                &client,
                "login",
                &[
                    ("email", "sanne@demo.kring"),
                    ("password", demo::DEMO_PASSWORD),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            body["message"],
            "Too many failed attempts. Please wait 15 minutes and try again."
        );
    });
}

#[tokio::test]
async fn registration_validates_every_field() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let form = |email: &'static str, password: &'static str, zone: &'static str| {
            [
                ("display_name", "Kofi Boateng"),
                ("email", email),
                ("password", password),
                ("organisation", ""),
                ("country", "GH"),
                ("language", "en"),
                ("time_zone", zone),
            ]
        };
        let cases = [
            (
                form("kofi@example.org", "password1", "Africa/Accra"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "most common",
            ),
            (
                form("kofi@example.org", "short", "Africa/Accra"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "at least 8",
            ),
            (
                form("not-an-email", "a fine long phrase", "Africa/Accra"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "valid e-mail",
            ),
            (
                form("kofi@example.org", "a fine long phrase", "Africa/Kumasi"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "time zone",
            ),
            (
                form("amara@demo.kring", "a fine long phrase", "Africa/Accra"),
                StatusCode::CONFLICT,
                "already exists",
            ),
        ];
        for (fields, status, message) in cases {
            let (got, body) = kring.call(&client(), "register", &fields).await;
            assert_eq!(got, status, "{body}");
            assert!(
                body["message"].as_str().unwrap().contains(message),
                "{body}"
            );
        }
        let (status, _) = kring
            .call(
                &client(),
                "register",
                &form("kofi@example.org", "a fine long phrase", "africa/accra"),
            )
            .await;
        assert!(went_through(status), "{status}");
    });
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let phone = kring.logged_in("wanjiru@demo.kring").await;
        let laptop = kring.logged_in("wanjiru@demo.kring").await;
        let (status, _) = kring
            .call(
                &laptop,
                "change-password",
                &[
                    ("current_password", demo::DEMO_PASSWORD),
                    ("new_password", "harambee pulls together"),
                ],
            )
            .await;
        assert!(went_through(status), "{status}");
        let (status, _) = kring.call(&laptop, "profile", &[]).await;
        assert_eq!(status, StatusCode::OK, "this session lives on");
        let (status, _) = kring.call(&phone, "profile", &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "the other session ended");
    });
}

#[tokio::test]
async fn foreign_origin_writes_are_refused() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let admin = kring.logged_in("admin@demo.kring").await;
        let response = admin
            .post(format!("{}/api/admin/create-organisation", kring.base))
            .header("origin", "https://elsewhere.example")
            .form(&[("name", "Planted"), ("country", "NL")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(test.db.organisations().await.unwrap().len(), 11);
    });
}

#[tokio::test]
async fn admins_create_programs_and_cohorts_with_checked_input() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let cohort = |name: &'static str, starts: &'static str, ends: &'static str| {
            [
                ("cohort[program]", "1"),
                ("cohort[name]", name),
                ("cohort[starts_on]", starts),
                ("cohort[ends_on]", ends),
                ("cohort[group_es]", "on"),
                ("cohort[group_nl]", "on"),
            ]
        };
        let participant = kring.logged_in("rami@demo.kring").await;
        let (status, body) = kring
            .call(
                &participant,
                "admin/create-cohort",
                &cohort("Autumn", "2027-10-01", "2028-03-31"),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

        let admin = kring.logged_in("admin@demo.kring").await;
        let (status, body) = kring
            .call(
                &admin,
                "admin/create-cohort",
                &cohort("Autumn", "2027-10-01", "2027-09-01"),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            body["message"],
            "The last day cannot come before the first day."
        );
        let (status, _) = kring
            .call(
                &admin,
                "admin/create-cohort",
                &cohort("Autumn", "2027-02-30", "2027-09-01"),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, body) = kring
            .call(
                &admin,
                "admin/create-cohort",
                &cohort(
                    "Mutual Learning Program 2026-27",
                    "2027-10-01",
                    "2028-03-31",
                ),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");

        let (status, body) = kring
            .call(
                &admin,
                "admin/create-cohort",
                &cohort("Autumn", "2027-10-01", "2028-03-31"),
            )
            .await;
        assert!(went_through(status), "{status} {body}");
        let (status, _) = kring
            .call(
                &admin,
                "admin/create-program",
                &[("name", "Gatekeeping Lab"), ("description", "")],
            )
            .await;
        assert!(went_through(status), "{status}");

        let (_, overview) = kring.call(&admin, "admin/overview", &[]).await;
        assert_eq!(overview["programs"].as_array().unwrap().len(), 2);
        let autumn = overview["cohorts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "Autumn")
            .unwrap();
        let groups: Vec<&str> = autumn["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g[1].as_str().unwrap())
            .collect();
        assert_eq!(groups, ["Español", "Nederlands"]);
    });
}
