//! Running the program over HTTP, on both engines: every member expected at a
//! cohort's live session is reminded once, also with two instances on one
//! database; moves are told with both local times; "I can't come", attendance,
//! notes and the cohort dashboard, with every refusal a client can cause.

use crate::support::{client, start, went_through};
use kring_db::testing::TestDatabase;
use kring_db::{on_both_engines, Db, NewMeeting};
use kring_domain::{
    CohortId, Email, Language, LanguageGroupId, SessionId, SessionKind, SessionMinutes,
    SessionTitle, TimeZone, UserId, VideoLink,
};
use reqwest::StatusCode;

const ORIGIN: &str = "https://kring.example.org";

async fn user_id(test: &TestDatabase, email: &str) -> UserId {
    test.db
        .user_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .id
}

/// The demo cohort's group reading `language`.
async fn demo_group(test: &TestDatabase, language: Language) -> LanguageGroupId {
    let cohort = test.db.cohort(CohortId(1)).await.unwrap();
    cohort
        .language_groups
        .iter()
        .find(|group| group.2 == language)
        .unwrap()
        .0
}

/// A live session of the demo cohort's `group`, planned in Lima time.
async fn live_session(test: &TestDatabase, group: LanguageGroupId, starts_at: i64) -> SessionId {
    let meeting = NewMeeting {
        kind: SessionKind::Live,
        cohort_id: Some(CohortId(1)),
        language_group_id: Some(group),
        host_zone: TimeZone::parse("America/Lima").unwrap(),
        minutes: SessionMinutes::parse("120").unwrap(),
        video_link: VideoLink::parse("https://meet.example.org/live").unwrap(),
        capacity: None,
        unit_id: None,
        texts: vec![
            (
                Language::En,
                SessionTitle::parse("Reminder check").unwrap(),
                String::new(),
            ),
            (
                Language::Es,
                SessionTitle::parse("Prueba de recordatorio").unwrap(),
                String::new(),
            ),
        ],
        created_by: None,
    };
    let (_, ids) = test
        .db
        .create_series(&meeting, "10:00", 0, &[starts_at])
        .await
        .unwrap();
    ids[0]
}

/// What one instance's jobs do each round: make due reminders, queue their mail.
async fn job_round(db: &Db) {
    db.create_due_reminders(kring_db::now()).await.unwrap();
    kring_server::mail::queue_notice_mail(db, ORIGIN)
        .await
        .unwrap();
}

/// The mails about `session` waiting in the outbox: (recipient, subject, body), by recipient.
async fn mails_about(test: &TestDatabase, session: SessionId) -> Vec<(String, String, String)> {
    let link = format!("{ORIGIN}/sessions/{}", session.0);
    let mut mails: Vec<_> = test
        .db
        .claim_mail(1_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|mail| mail.body.contains(&link))
        .map(|mail| (mail.recipient, mail.subject, mail.body))
        .collect();
    mails.sort();
    mails
}

#[tokio::test]
async fn every_expected_member_is_reminded_once_by_two_instances() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let english = demo_group(test, Language::En).await;
        let session = live_session(test, english, kring_db::now() + 30 * 60).await;
        // Rami turned reminders off in his profile; Wanjiru said she cannot come.
        let rami = kring.logged_in("rami@demo.kring").await;
        let (status, _) = kring.call(&rami, "calendar/reminders/set", &[]).await;
        assert!(went_through(status), "{status}");
        let wanjiru = kring.logged_in("wanjiru@demo.kring").await;
        let id = session.0.to_string();
        let (status, _) = kring
            .call(
                &wanjiru,
                "calendar/coming",
                &[("id", &id), ("coming", "false")],
            )
            .await;
        assert!(went_through(status), "{status}");

        // Two instances on one database run their jobs at the same time, again and again.
        let second = Db::connect(&test.url).await.unwrap();
        for _ in 0..3 {
            tokio::join!(job_round(&test.db), job_round(&second));
        }
        let recipients: Vec<String> = mails_about(test, session)
            .await
            .into_iter()
            .map(|(recipient, subject, body)| {
                assert!(subject.contains("Reminder check"), "{subject}");
                assert!(!body.contains("Prueba"), "{body}");
                recipient
            })
            .collect();
        assert_eq!(
            recipients,
            [
                "amara@demo.kring",
                "anush@demo.kring",
                "facilitator@demo.kring",
                "jana@demo.kring",
                "priya@demo.kring",
                "sanne@demo.kring",
            ],
            "each expected member once; nobody who opted out; not the Spanish group"
        );
        // In the app too, in each member's zone.
        let amara = kring.logged_in("amara@demo.kring").await;
        let (_, page) = kring.get(&amara, "/sessions").await;
        assert!(page.contains("Reminder: Reminder check"), "{page}");
        assert!(
            page.contains("Accra time") || page.contains("GMT"),
            "{page}"
        );
        let (_, page) = kring.get(&rami, "/sessions").await;
        assert!(!page.contains("Reminder: Reminder check"));
    });
}

#[tokio::test]
async fn a_moved_session_is_told_at_once_with_both_local_times() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let spanish = demo_group(test, Language::Es).await;
        // Ten days ahead at 10:00 in Lima (15:00 UTC).
        let day = (kring_db::now() / 86_400 + 10) * 86_400;
        let session = live_session(test, spanish, day + 15 * 3_600).await;
        let date = jiff::Timestamp::from_second(day + 2 * 86_400)
            .unwrap()
            .strftime("%Y-%m-%d")
            .to_string();
        let facilitator = kring.logged_in("facilitator@demo.kring").await;
        let id = session.0.to_string();
        let lucia = kring.logged_in("lucia@demo.kring").await;
        // Only those who run the cohort move it.
        let change = [
            ("change[id]", id.as_str()),
            ("change[action]", "move"),
            ("change[date]", date.as_str()),
            ("change[clock]", "11:00"),
            ("change[choice]", "ask"),
        ];
        let (status, _) = kring.call(&lucia, "calendar/change", &change).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = kring.call(&facilitator, "calendar/change", &change).await;
        assert!(went_through(status), "{status} {body}");

        let (_, page) = kring.get(&lucia, "/sessions").await;
        let notice = page
            .split("Cambio de horario: Prueba de recordatorio")
            .nth(1)
            .expect("Lucía is told in Spanish")
            .split("</li>")
            .next()
            .unwrap()
            .to_owned();
        let (now, before) = notice.split_once("antes").unwrap();
        assert!(now.contains("11:00"), "the new time in Lima: {notice}");
        assert!(before.contains("10:00"), "the old time in Lima: {notice}");

        job_round(&test.db).await;
        let mails = mails_about(test, session).await;
        assert_eq!(mails.len(), 1, "{mails:?}");
        let (recipient, subject, body) = &mails[0];
        assert_eq!(recipient, "lucia@demo.kring");
        assert_eq!(subject, "Cambio de horario: Prueba de recordatorio");
        assert!(body.contains("11:00") && body.contains("10:00"), "{body}");
        // Told once, however often the job runs.
        job_round(&test.db).await;
        assert!(mails_about(test, session).await.is_empty());
        // The calendar feed's event carries the raised sequence.
        let (_, ics) = kring
            .get(&lucia, &format!("/sessions/{id}/event.ics"))
            .await;
        assert!(ics.contains("SEQUENCE:1"), "{ics}");
    });
}

#[tokio::test]
async fn attendance_notes_and_the_dashboard_refuse_what_they_must() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let english = demo_group(test, Language::En).await;
        let started = live_session(test, english, kring_db::now() - 10 * 60).await;
        let ahead = live_session(test, english, kring_db::now() + 5 * 86_400).await;
        let (started_id, ahead_id) = (started.0.to_string(), ahead.0.to_string());
        let facilitator = kring.logged_in("facilitator@demo.kring").await;
        let amara = kring.logged_in("amara@demo.kring").await;
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let amara_id = user_id(test, "amara@demo.kring").await.0;
        let lucia_id = user_id(test, "lucia@demo.kring").await.0;
        let rami_id = user_id(test, "rami@demo.kring").await.0;
        let amara_mark = format!("marks[{amara_id}]");
        let rami_mark = format!("marks[{rami_id}]");

        // "I can't come": only for those expected, only before the start.
        let (status, _) = kring
            .call(
                &lucia,
                "calendar/coming",
                &[("id", &ahead_id), ("coming", "false")],
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "Lucía cannot even see it");
        let (status, _) = kring
            .call(
                &amara,
                "calendar/coming",
                &[("id", &started_id), ("coming", "false")],
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, _) = kring
            .call(
                &amara,
                "calendar/coming",
                &[("id", &ahead_id), ("coming", "maybe")],
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _) = kring
            .call(
                &amara,
                "calendar/coming",
                &[("id", &ahead_id), ("coming", "false")],
            )
            .await;
        assert!(went_through(status), "{status}");
        assert!(test.db.is_absent(ahead, UserId(amara_id)).await.unwrap());

        // Attendance: by those who run the cohort, from shortly before the start.
        let marks = [
            ("id", started_id.as_str()),
            (amara_mark.as_str(), "present"),
            (rami_mark.as_str(), "excused"),
        ];
        let (status, _) = kring.call(&amara, "calendar/attendance", &marks).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = kring
            .call(
                &facilitator,
                "calendar/attendance",
                &[("id", &ahead_id), (&amara_mark, "present")],
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        for (field, value, expected) in [
            (amara_mark.clone(), "late", StatusCode::UNPROCESSABLE_ENTITY),
            (
                "marks[amara]".to_owned(),
                "present",
                StatusCode::BAD_REQUEST,
            ),
            (
                format!("marks[{lucia_id}]"),
                "present",
                StatusCode::NOT_FOUND,
            ),
        ] {
            let (status, body) = kring
                .call(
                    &facilitator,
                    "calendar/attendance",
                    &[
                        ("id", &started_id),
                        (&rami_mark, "present"),
                        (&field, value),
                    ],
                )
                .await;
            assert_eq!(status, expected, "{field}={value}: {body}");
        }
        assert!(
            test.db
                .attendance_sheet(started)
                .await
                .unwrap()
                .iter()
                .all(|entry| entry.mark.is_none()),
            "a refused sheet stores nothing"
        );
        let (status, body) = kring
            .call(&facilitator, "calendar/attendance", &marks)
            .await;
        assert!(went_through(status), "{status} {body}");
        let (_, page) = kring
            .get(&facilitator, &format!("/sessions/{started_id}"))
            .await;
        assert!(page.contains("1 of 8 present"), "{page}");

        // Notes and a recording: https only, seen by the group's members.
        let (status, _) = kring
            .call(
                &facilitator,
                "calendar/follow-up/save",
                &[
                    ("id", &started_id),
                    (
                        "notes",
                        "We spoke about <script>alert(1)</script> *listening*.",
                    ),
                    ("recording", "http://video.example.org/rec"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let kept = test
            .db
            .meeting(started, kring_db::Audience::All, Language::En)
            .await
            .unwrap();
        assert!(
            kept.notes.contains("*listening*"),
            "the notes typed are not lost"
        );
        assert_eq!(kept.recording_link, "");
        let (status, _) = kring
            .call(
                &amara,
                "calendar/follow-up/save",
                &[("id", &started_id), ("notes", "mine"), ("recording", "")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = kring
            .call(
                &facilitator,
                "calendar/follow-up/save",
                &[
                    ("id", &started_id),
                    (
                        "notes",
                        "We spoke about <script>alert(1)</script> *listening*.",
                    ),
                    ("recording", "https://video.example.org/rec"),
                ],
            )
            .await;
        assert!(went_through(status), "{status}");
        let (_, page) = kring.get(&amara, &format!("/sessions/{started_id}")).await;
        assert!(page.contains("<em>listening</em>"), "{page}");
        assert!(page.contains("https://video.example.org/rec"));
        assert!(!page.contains("<script>alert(1)"));
        let (_, ics) = kring
            .get(&amara, &format!("/sessions/{started_id}/event.ics"))
            .await;
        assert!(
            ics.contains("#notes"),
            "the event links to the notes: {ics}"
        );

        // The dashboard: for those who run the cohort, as a page and as CSV.
        let (status, page) = kring.get(&facilitator, "/cohorts/1/dashboard").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Amara Owusu"), "{page}");
        let (status, _) = kring.get(&amara, "/cohorts/1/dashboard").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = kring.get(&client(), "/cohorts/1/dashboard.csv").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _) = kring.get(&amara, "/cohorts/1/dashboard.csv").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, csv) = kring.get(&facilitator, "/cohorts/1/dashboard.csv").await;
        assert_eq!(status, StatusCode::OK);
        let amara_line = csv
            .lines()
            .find(|line| line.contains("amara@demo.kring"))
            .unwrap();
        let cells: Vec<&str> = amara_line.trim_matches('"').split("\",\"").collect();
        assert_eq!(
            cells[..3],
            ["Amara Owusu", "amara@demo.kring", "English group"]
        );
        assert_eq!(
            (cells[3], cells[5]),
            ("1", "0"),
            "present once, never excused: {amara_line}"
        );
        let held: i64 = cells[4].parse().unwrap();
        assert!(held >= 1, "{amara_line}");
        assert!(csv.contains("\"Sessions attended\""), "{csv}");
        let (status, _) = kring.get(&facilitator, "/cohorts/999/dashboard.csv").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    });
}
