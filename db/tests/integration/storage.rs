//! Storage against real databases: a fresh SQLite file and a fresh PostgreSQL database.

use kring_db::testing::TestDatabase;
use kring_db::{
    demo, on_both_engines, DbError, LoginAttempt, LoginOutcome, NewUser, PasswordChange,
    SessionPolicy,
};
use kring_domain::{Country, DisplayName, Email, Language, NewPassword, Role, TimeZone};

fn new_user(email: &str) -> NewUser {
    NewUser {
        email: Email::parse(email).unwrap(),
        display_name: DisplayName::parse("Test Person").unwrap(),
        password: NewPassword::parse("a long enough phrase").unwrap(),
        role: Role::Participant,
        organisation_id: None,
        country: Country::parse("GH").unwrap(),
        language: Language::En,
        time_zone: TimeZone::parse("Africa/Accra").unwrap(),
    }
}

/// A login attempt from `address` by a browser without a device cookie.
fn attempt<'a>(email: &'a str, password: &'a str, address: &'a str) -> LoginAttempt<'a> {
    LoginAttempt {
        email,
        password,
        address,
        device: None,
    }
}

#[tokio::test]
async fn migrations_report_their_version() {
    on_both_engines!(async |test: &TestDatabase| {
        let health = test.db.health().await.unwrap();
        assert_eq!(health.engine, test.engine());
        assert_eq!(health.migration_version, 16);
        // Applying again is a no-op.
        test.db.migrate().await.unwrap();
    });
}

#[tokio::test]
async fn emails_are_unique() {
    on_both_engines!(async |test: &TestDatabase| {
        test.db
            .create_user(new_user("same@example.org"))
            .await
            .unwrap();
        let again = test.db.create_user(new_user("same@example.org")).await;
        assert!(matches!(again, Err(DbError::EmailTaken)), "{again:?}");
    });
}

#[tokio::test]
async fn login_issues_sessions_and_counts_failures() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let user = db.create_user(new_user("login@example.org")).await.unwrap();
        let outcome = db
            .log_in(attempt(
                "Login@Example.org ",
                "a long enough phrase",
                "10.0.0.1",
            ))
            .await
            .unwrap();
        let LoginOutcome::LoggedIn {
            user: logged_in,
            token,
            ..
        } = outcome
        else {
            panic!("{outcome:?}")
        };
        assert_eq!(logged_in.id, user.id);
        let from_session = db
            .session_user(&token, SessionPolicy::DEFAULT)
            .await
            .unwrap();
        assert_eq!(from_session.map(|u| u.id), Some(user.id));

        for _ in 0..5 {
            let wrong = db
                .log_in(attempt("login@example.org", "not the password", "10.0.0.2"))
                .await
                .unwrap();
            assert!(matches!(wrong, LoginOutcome::WrongCredentials), "{wrong:?}");
        }
        // Even the right password waits now: the account is throttled.
        let throttled = db
            .log_in(attempt(
                "login@example.org",
                "a long enough phrase",
                "10.0.0.3",
            ))
            .await
            .unwrap();
        assert!(
            matches!(
                throttled,
                LoginOutcome::Throttled {
                    retry_after_minutes: 15
                }
            ),
            "{throttled:?}"
        );

        db.end_session(&token).await.unwrap();
        assert!(db
            .session_user(&token, SessionPolicy::DEFAULT)
            .await
            .unwrap()
            .is_none());
    });
}

#[tokio::test]
async fn expired_sessions_end() {
    on_both_engines!(async |test: &TestDatabase| {
        let user = test
            .db
            .create_user(new_user("idle@example.org"))
            .await
            .unwrap();
        let token = test.db.start_session(user.id).await.unwrap();
        let no_idle = SessionPolicy {
            idle_secs: -1,
            absolute_secs: 3600,
        };
        assert!(test
            .db
            .session_user(&token, no_idle)
            .await
            .unwrap()
            .is_none());
        assert_eq!(
            test.db.session_count(user.id).await.unwrap(),
            0,
            "an expired session is deleted"
        );
    });
}

#[tokio::test]
async fn password_change_ends_other_sessions() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let user = db
            .create_user(new_user("change@example.org"))
            .await
            .unwrap();
        let here = db.start_session(user.id).await.unwrap();
        let elsewhere = db.start_session(user.id).await.unwrap();
        let new = NewPassword::parse("another long phrase").unwrap();
        assert_eq!(
            db.change_password(user.id, "wrong current", &new, &here)
                .await
                .unwrap(),
            PasswordChange::WrongPassword
        );
        assert_eq!(
            db.change_password(user.id, "a long enough phrase", &new, &here)
                .await
                .unwrap(),
            PasswordChange::Changed
        );
        assert!(db
            .session_user(&here, SessionPolicy::DEFAULT)
            .await
            .unwrap()
            .is_some());
        assert!(db
            .session_user(&elsewhere, SessionPolicy::DEFAULT)
            .await
            .unwrap()
            .is_none());
        let outcome = db
            .log_in(attempt(
                "change@example.org",
                "another long phrase",
                "10.0.0.9",
            ))
            .await
            .unwrap();
        assert!(matches!(outcome, LoginOutcome::LoggedIn { .. }));
    });
}

#[tokio::test]
async fn a_browser_that_logged_in_before_is_not_locked_out_by_a_strangers_guessing() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        db.create_user(new_user("owner@example.org")).await.unwrap();
        let LoginOutcome::LoggedIn { device, .. } = db
            .log_in(attempt(
                "owner@example.org",
                "a long enough phrase",
                "10.0.0.1",
            ))
            .await
            .unwrap()
        else {
            panic!("the owner logs in")
        };
        // A stranger guesses until the account is locked for strangers.
        for _ in 0..8 {
            db.log_in(attempt("owner@example.org", "guess", "203.0.113.9"))
                .await
                .unwrap();
        }
        let stranger = db
            .log_in(attempt(
                "owner@example.org",
                "a long enough phrase",
                "203.0.113.9",
            ))
            .await
            .unwrap();
        assert!(
            matches!(stranger, LoginOutcome::Throttled { .. }),
            "{stranger:?}"
        );
        // The owner's own browser still gets in, and keeps its device token.
        let owner = db
            .log_in(LoginAttempt {
                device: Some(&device),
                ..attempt("owner@example.org", "a long enough phrase", "10.0.0.1")
            })
            .await
            .unwrap();
        let LoginOutcome::LoggedIn { device: kept, .. } = owner else {
            panic!("the owner's browser is not locked out: {owner:?}")
        };
        assert_eq!(kept, device);
        // A device token proves nothing for another account: that one stays locked.
        db.create_user(new_user("other@example.org")).await.unwrap();
        for _ in 0..6 {
            db.log_in(attempt("other@example.org", "guess", "192.0.2.1"))
                .await
                .unwrap();
        }
        let borrowed = db
            .log_in(LoginAttempt {
                device: Some(&device),
                ..attempt("other@example.org", "a long enough phrase", "10.0.0.1")
            })
            .await
            .unwrap();
        assert!(
            matches!(borrowed, LoginOutcome::Throttled { .. }),
            "{borrowed:?}"
        );
    });
}

#[tokio::test]
async fn sixty_parallel_guesses_get_exactly_five_through() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        db.create_user(new_user("target@example.org"))
            .await
            .unwrap();
        let guesses = (0..60).map(|n| {
            let db = db.clone();
            tokio::spawn(async move {
                let address = format!("198.51.100.{n}");
                db.log_in(attempt("target@example.org", "guess", &address))
                    .await
                    .unwrap()
            })
        });
        let mut checked = 0;
        for guess in guesses.collect::<Vec<_>>() {
            match guess.await.unwrap() {
                LoginOutcome::WrongCredentials => checked += 1,
                LoginOutcome::Throttled { .. } => {}
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(checked, 5, "only five guesses reached the password check");
    });
}

#[tokio::test]
async fn tries_at_the_current_password_are_counted_too() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let user = db.create_user(new_user("steal@example.org")).await.unwrap();
        let here = db.start_session(user.id).await.unwrap();
        let new = NewPassword::parse("another long phrase").unwrap();
        for _ in 0..5 {
            assert_eq!(
                db.change_password(user.id, "guess", &new, &here)
                    .await
                    .unwrap(),
                PasswordChange::WrongPassword
            );
        }
        let sixth = db
            .change_password(user.id, "a long enough phrase", &new, &here)
            .await
            .unwrap();
        assert!(
            matches!(sixth, PasswordChange::Throttled { .. }),
            "{sixth:?}"
        );
    });
}

#[tokio::test]
async fn demo_program_loads_once_with_fallback_titles() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        assert!(demo::load_if_empty(db).await.unwrap());
        assert!(
            !demo::load_if_empty(db).await.unwrap(),
            "a second start leaves the data alone"
        );
        assert_eq!(db.organisations().await.unwrap().len(), 11);
        let cohorts = db.cohorts(None).await.unwrap();
        assert_eq!(cohorts.len(), 1);
        assert_eq!(cohorts[0].language_groups.len(), 2);
        let lucia = db
            .user_by_email(&Email::parse("lucia@demo.kring").unwrap())
            .await
            .unwrap();
        assert_eq!(lucia.time_zone.as_str(), "America/Lima");
        assert_eq!(db.cohorts(Some(lucia.id)).await.unwrap().len(), 1);

        let reader = kring_db::Reader {
            user: lucia.id,
            language: Language::Nl,
            staff: false,
        };
        let dutch = db
            .program_outline(cohorts[0].program_id, None, reader)
            .await
            .unwrap();
        assert_eq!(dutch.len(), 3);
        assert_eq!(dutch[0].title, "Werken met gezinnen en gemeenschappen");
        assert_eq!(
            dutch[1].shown_language,
            Language::En,
            "module 2 has no Dutch title"
        );
        assert_eq!(dutch[0].units[2].shown_language, Language::Nl);
        assert_eq!(dutch[0].units[0].shown_language, Language::En);
    });
}

#[tokio::test]
async fn cohorts_are_created_with_their_groups_and_unique_names() {
    use kring_domain::{CohortPeriod, GroupName};
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let program = db
            .create_program(&GroupName::parse("Family Strengthening").unwrap(), "")
            .await
            .unwrap();
        let again = db
            .create_program(&GroupName::parse("Family Strengthening").unwrap(), "")
            .await;
        assert!(matches!(again, Err(DbError::ProgramNameTaken)), "{again:?}");

        let name = GroupName::parse("Spring 2027").unwrap();
        let period = CohortPeriod::parse("2027-04-01", "2027-09-30").unwrap();
        let groups = [
            ("Deutsch".to_owned(), Language::De),
            ("Nederlands".to_owned(), Language::Nl),
        ];
        let (cohort, group_ids) = db
            .create_cohort(program, &name, &period, &groups)
            .await
            .unwrap();
        assert_eq!(group_ids.len(), 2);
        let duplicate = db.create_cohort(program, &name, &period, &groups).await;
        assert!(
            matches!(duplicate, Err(DbError::CohortNameTaken)),
            "{duplicate:?}"
        );

        let cohorts = db.cohorts(None).await.unwrap();
        assert_eq!(
            cohorts.len(),
            1,
            "the refused duplicate left nothing behind"
        );
        assert_eq!(cohorts[0].id, cohort);
        assert_eq!(cohorts[0].language_groups.len(), 2);
    });
}
