//! Sessions, registrations and feeds against real databases: a fresh SQLite
//! file and a fresh PostgreSQL database.

use kring_db::testing::TestDatabase;
use kring_db::{
    on_both_engines, Audience, Db, DbError, Guest, NewMeeting, NewUser, NoticeKind, Registrant,
    RegistrationStatus, Span,
};
use kring_domain::{
    CohortId, CohortPeriod, Country, DisplayName, Email, GroupName, Language, LanguageGroupId,
    NewPassword, Role, SessionId, SessionKind, SessionMinutes, SessionStatus, SessionTitle,
    TimeZone, UserId, VideoLink,
};
use std::sync::Arc;

pub(crate) async fn person(db: &Db, email: &str, role: Role) -> UserId {
    db.create_user(NewUser {
        email: Email::parse(email).unwrap(),
        display_name: DisplayName::parse(email.split('@').next().unwrap()).unwrap(),
        password: NewPassword::parse("a long enough phrase").unwrap(),
        role,
        organisation_id: None,
        country: Country::parse("KE").unwrap(),
        language: Language::En,
        time_zone: TimeZone::parse("Africa/Nairobi").unwrap(),
    })
    .await
    .unwrap()
    .id
}

pub(crate) async fn cohort(db: &Db) -> (CohortId, Vec<LanguageGroupId>) {
    let program = db
        .create_program(&GroupName::parse("Program").unwrap(), "")
        .await
        .unwrap();
    db.create_cohort(
        program,
        &GroupName::parse("Cohort").unwrap(),
        &CohortPeriod::parse("2026-10-01", "2027-03-31").unwrap(),
        &[
            ("English group".to_owned(), Language::En),
            ("Spanish group".to_owned(), Language::Es),
        ],
    )
    .await
    .unwrap()
}

pub(crate) fn plan(
    kind: SessionKind,
    cohort: Option<CohortId>,
    group: Option<LanguageGroupId>,
    capacity: Option<i64>,
) -> NewMeeting {
    NewMeeting {
        kind,
        cohort_id: cohort,
        language_group_id: group,
        host_zone: TimeZone::parse("Etc/GMT").unwrap(),
        minutes: SessionMinutes::parse("120").unwrap(),
        video_link: VideoLink::parse("https://meet.example.org/x").unwrap(),
        capacity,
        unit_id: None,
        texts: vec![
            (
                Language::En,
                SessionTitle::parse("English title").unwrap(),
                "About".to_owned(),
            ),
            (
                Language::Es,
                SessionTitle::parse("Título").unwrap(),
                "Acerca".to_owned(),
            ),
        ],
        created_by: None,
    }
}

/// A session starting a week from now.
async fn one_session(db: &Db, session: &NewMeeting) -> SessionId {
    let start = kring_db::now() + 7 * 86_400;
    db.create_series(session, "13:00", 0, &[start])
        .await
        .unwrap()
        .1[0]
}

#[tokio::test]
async fn sessions_are_visible_to_their_audience_only() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let (cohort, groups) = cohort(db).await;
        let english = person(db, "en@example.org", Role::Participant).await;
        let spanish = person(db, "es@example.org", Role::Participant).await;
        let outsider = person(db, "out@example.org", Role::Participant).await;
        db.add_cohort_member(cohort, english, Some(groups[0]))
            .await
            .unwrap();
        db.add_cohort_member(cohort, spanish, Some(groups[1]))
            .await
            .unwrap();
        let public = one_session(db, &plan(SessionKind::Information, None, None, None)).await;
        let english_group = one_session(
            db,
            &plan(SessionKind::Live, Some(cohort), Some(groups[0]), None),
        )
        .await;
        let whole_cohort =
            one_session(db, &plan(SessionKind::Circle, Some(cohort), None, Some(10))).await;

        let ids = |sessions: Vec<kring_db::MeetingRecord>| {
            sessions.iter().map(|s| s.id).collect::<Vec<_>>()
        };
        assert_eq!(
            ids(db
                .meetings(Audience::Visitor, Language::En, Span::ALWAYS)
                .await
                .unwrap()),
            [public]
        );
        assert_eq!(
            ids(db
                .meetings(Audience::Member(outsider), Language::En, Span::ALWAYS)
                .await
                .unwrap()),
            [public]
        );
        assert_eq!(
            ids(db
                .meetings(Audience::Member(english), Language::En, Span::ALWAYS)
                .await
                .unwrap()),
            [public, english_group, whole_cohort]
        );
        assert_eq!(
            ids(db
                .meetings(Audience::Member(spanish), Language::En, Span::ALWAYS)
                .await
                .unwrap()),
            [public, whole_cohort]
        );
        assert_eq!(
            db.meetings(Audience::All, Language::En, Span::ALWAYS)
                .await
                .unwrap()
                .len(),
            3
        );
        // Several by id at once: only those the audience may see, in time order.
        let all = [whole_cohort, public, english_group];
        assert_eq!(
            ids(db
                .meetings_among(&all, Audience::Member(spanish), Language::En)
                .await
                .unwrap()),
            [public, whole_cohort]
        );
        assert_eq!(
            ids(db
                .meetings_among(&all, Audience::Visitor, Language::En)
                .await
                .unwrap()),
            [public]
        );
        assert!(db
            .meetings_among(&[], Audience::All, Language::En)
            .await
            .unwrap()
            .is_empty());
        // Even by id, a session is hidden from those it is not for.
        assert!(matches!(
            db.meeting(english_group, Audience::Member(spanish), Language::En)
                .await,
            Err(DbError::NotFound)
        ));
        assert!(matches!(
            db.meeting(whole_cohort, Audience::Visitor, Language::En)
                .await,
            Err(DbError::NotFound)
        ));
        // Texts in the reader's language, else English.
        let spanish_view = db
            .meeting(whole_cohort, Audience::Member(spanish), Language::Es)
            .await
            .unwrap();
        assert_eq!(
            (spanish_view.title.as_str(), spanish_view.shown_language),
            ("Título", Language::Es)
        );
        let dutch_view = db
            .meeting(whole_cohort, Audience::Member(spanish), Language::Nl)
            .await
            .unwrap();
        assert_eq!(
            (dutch_view.title.as_str(), dutch_view.shown_language),
            ("English title", Language::En)
        );
    });
}

#[tokio::test]
async fn twenty_concurrent_registrations_never_exceed_a_circles_ten_places() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let (cohort, _) = cohort(db).await;
        let circle =
            one_session(db, &plan(SessionKind::Circle, Some(cohort), None, Some(10))).await;
        let mut people = Vec::new();
        for n in 0..20 {
            let user = person(db, &format!("p{n}@example.org"), Role::Participant).await;
            db.add_cohort_member(cohort, user, None).await.unwrap();
            people.push(user);
        }
        let db = Arc::new(db.clone());
        let attempts: Vec<_> = people
            .into_iter()
            .map(|user| {
                let db = Arc::clone(&db);
                tokio::spawn(async move { db.register(circle, &Registrant::Member(user)).await })
            })
            .collect();
        let (mut confirmed, mut full) = (0, 0);
        for attempt in attempts {
            match attempt.await.unwrap() {
                Ok(RegistrationStatus::Confirmed) => confirmed += 1,
                Err(DbError::MeetingFull) => full += 1,
                other => panic!("unexpected outcome {other:?}"),
            }
        }
        assert_eq!((confirmed, full), (10, 10));
        let session = db
            .meeting(circle, Audience::All, Language::En)
            .await
            .unwrap();
        assert_eq!(session.confirmed_count, 10);
        assert_eq!(db.registrants(circle).await.unwrap().len(), 10);
    });
}

#[tokio::test]
async fn a_full_meeting_has_a_waitlist_that_moves_up_when_someone_cancels() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let meeting = one_session(db, &plan(SessionKind::Information, None, None, Some(2))).await;
        let first = person(db, "first@example.org", Role::Participant).await;
        let second = person(db, "second@example.org", Role::Participant).await;
        let guest = Registrant::Guest(Guest {
            name: "Visitor".to_owned(),
            email: "visitor@example.org".to_owned(),
            organisation: "Casa Abierta".to_owned(),
            language_group: "Español".to_owned(),
            language: Language::Es,
            time_zone: TimeZone::parse("America/Lima").unwrap(),
        });
        assert_eq!(
            db.register(meeting, &Registrant::Member(first))
                .await
                .unwrap(),
            RegistrationStatus::Confirmed
        );
        assert_eq!(
            db.register(meeting, &guest).await.unwrap(),
            RegistrationStatus::Confirmed
        );
        assert_eq!(
            db.register(meeting, &Registrant::Member(second))
                .await
                .unwrap(),
            RegistrationStatus::Waitlisted
        );
        assert!(matches!(
            db.register(meeting, &guest).await,
            Err(DbError::AlreadyRegistered)
        ));
        assert!(matches!(
            db.register(meeting, &Registrant::Member(second)).await,
            Err(DbError::AlreadyRegistered)
        ));

        let promoted = db.cancel_registration(meeting, first).await.unwrap();
        assert!(
            promoted.is_some(),
            "the waitlisted member takes the freed place"
        );
        let mine = db.registrations_of(second).await.unwrap();
        assert_eq!(mine.get(&meeting), Some(&RegistrationStatus::Confirmed));
        let own = db.own_calendar(second).await.unwrap();
        assert_eq!((own.registrations, own.feed_token), (mine, None));
        let token = db.regenerate_feed_token(first).await.unwrap();
        let own = db.own_calendar(first).await.unwrap();
        assert!(
            own.registrations.is_empty(),
            "a cancelled place is not hers"
        );
        assert_eq!(own.feed_token, Some(token));
        let session = db
            .meeting(meeting, Audience::All, Language::En)
            .await
            .unwrap();
        assert_eq!((session.confirmed_count, session.waitlisted_count), (2, 0));

        // With nobody waiting, a cancellation frees the place.
        assert_eq!(db.cancel_registration(meeting, second).await.unwrap(), None);
        let session = db
            .meeting(meeting, Audience::All, Language::En)
            .await
            .unwrap();
        assert_eq!(session.confirmed_count, 1);
        // Registering again after cancelling works.
        assert_eq!(
            db.register(meeting, &Registrant::Member(second))
                .await
                .unwrap(),
            RegistrationStatus::Confirmed
        );
        let names: Vec<String> = db
            .registrants(meeting)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(names, ["Visitor", "second"]);
    });
}

#[tokio::test]
async fn moving_and_cancelling_raise_the_sequence() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let meeting = one_session(db, &plan(SessionKind::Information, None, None, None)).await;
        let user = person(db, "member@example.org", Role::Participant).await;
        let before = db
            .meeting(meeting, Audience::Visitor, Language::En)
            .await
            .unwrap();
        assert_eq!(
            (before.sequence, before.status),
            (0, SessionStatus::Scheduled)
        );
        db.move_meeting(meeting, before.starts_at + 3_600)
            .await
            .unwrap();
        let moved = db
            .meeting(meeting, Audience::Visitor, Language::En)
            .await
            .unwrap();
        assert_eq!(
            (moved.sequence, moved.status, moved.starts_at),
            (1, SessionStatus::Moved, before.starts_at + 3_600)
        );
        assert_eq!(moved.uid, before.uid, "the calendar UID stays stable");
        db.cancel_meeting(meeting).await.unwrap();
        let cancelled = db
            .meeting(meeting, Audience::Visitor, Language::En)
            .await
            .unwrap();
        assert_eq!(
            (cancelled.sequence, cancelled.status),
            (2, SessionStatus::Cancelled)
        );
        // Nobody registers for a cancelled session.
        assert!(matches!(
            db.register(meeting, &Registrant::Member(user)).await,
            Err(DbError::NotFound)
        ));
        assert!(matches!(
            db.cancel_meeting(SessionId(999_999)).await,
            Err(DbError::NotFound)
        ));
    });
}

#[tokio::test]
async fn feed_tokens_can_be_regenerated_and_revoked() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let user = person(db, "feed@example.org", Role::Facilitator).await;
        assert_eq!(db.own_calendar(user).await.unwrap().feed_token, None);
        let first = db.regenerate_feed_token(user).await.unwrap();
        assert_eq!(
            db.own_calendar(user).await.unwrap().feed_token.as_ref(),
            Some(&first)
        );
        let owner = db.feed_owner(&first).await.unwrap();
        assert_eq!(
            (owner.user_id, owner.audience),
            (user, Audience::Member(user))
        );
        let second = db.regenerate_feed_token(user).await.unwrap();
        assert_ne!(first, second);
        assert!(
            matches!(db.feed_owner(&first).await, Err(DbError::NotFound)),
            "the old address stops working"
        );
        db.revoke_feed_token(user).await.unwrap();
        assert!(matches!(
            db.feed_owner(&second).await,
            Err(DbError::NotFound)
        ));
    });
}

#[tokio::test]
async fn reminders_are_created_once_a_day_and_an_hour_before() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let user = person(db, "remind@example.org", Role::Participant).await;
        let start = kring_db::now() + 30 * 3_600;
        let (_, ids) = db
            .create_series(
                &plan(SessionKind::Information, None, None, None),
                "13:00",
                0,
                &[start],
            )
            .await
            .unwrap();
        db.register(ids[0], &Registrant::Member(user))
            .await
            .unwrap();
        // 30 hours before: nothing due yet.
        assert_eq!(
            db.create_due_reminders(start - 30 * 3_600).await.unwrap(),
            0
        );
        // 23 hours before: the day reminder, once, however often the job runs.
        assert_eq!(
            db.create_due_reminders(start - 23 * 3_600).await.unwrap(),
            1
        );
        assert_eq!(
            db.create_due_reminders(start - 22 * 3_600).await.unwrap(),
            0
        );
        // 50 minutes before: the hour reminder.
        assert_eq!(db.create_due_reminders(start - 50 * 60).await.unwrap(), 1);
        let reminders = db.session_notices(user, start - 50 * 60).await.unwrap();
        let kinds: Vec<NoticeKind> = reminders.iter().map(|r| r.kind).collect();
        assert_eq!(kinds, [NoticeKind::Hour, NoticeKind::Day]);
        // After the session they are gone from view.
        assert!(db
            .session_notices(user, start + 3 * 3_600)
            .await
            .unwrap()
            .is_empty());
    });
}

#[tokio::test]
async fn the_agenda_pages_through_sessions_ahead_and_past() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let (cohort, groups) = cohort(db).await;
        let member = person(db, "member@example.org", Role::Participant).await;
        let outsider = person(db, "outsider@example.org", Role::Participant).await;
        db.add_cohort_member(cohort, member, Some(groups[0]))
            .await
            .unwrap();
        let now = kring_db::now();
        let day = 86_400;
        // Weekly for 45 weeks: 15 already over, one under way (two hours long), 29 ahead.
        let starts: Vec<i64> = (-15..30).map(|week| now - 3600 + week * 7 * day).collect();
        let (_, weekly) = db
            .create_series(
                &plan(SessionKind::Live, Some(cohort), Some(groups[0]), None),
                "13:00",
                1,
                &starts,
            )
            .await
            .unwrap();
        let public = one_session(db, &plan(SessionKind::Information, None, None, None)).await;
        let ids = |sessions: &[kring_db::MeetingRecord]| {
            sessions.iter().map(|s| s.id).collect::<Vec<_>>()
        };
        let page = |audience, span, page| async move {
            db.meetings_page(audience, Language::En, span, page, 20)
                .await
                .unwrap()
        };

        // Ahead: the one under way first, the public meeting in its place in time.
        let (first, count) = page(Audience::Member(member), Span::Ahead(now), 0).await;
        assert_eq!(count, 31);
        assert_eq!(first.len(), 20);
        assert_eq!(first[0].id, weekly[15]);
        assert!(first.windows(2).all(|w| w[0].starts_at <= w[1].starts_at));
        assert!(ids(&first).contains(&public));
        let (second, _) = page(Audience::Member(member), Span::Ahead(now), 1).await;
        assert_eq!(ids(&second), weekly[34..]);
        // A page past the end is the last one.
        let (beyond, _) = page(Audience::Member(member), Span::Ahead(now), 99).await;
        assert_eq!(ids(&beyond), ids(&second));
        let (far_beyond, count) = page(Audience::Member(member), Span::Ahead(now), i64::MAX).await;
        assert_eq!((ids(&far_beyond), count), (ids(&second), 31));
        let (negative, _) = page(Audience::Member(member), Span::Ahead(now), -3).await;
        assert_eq!(ids(&negative), ids(&first));

        // Past: latest first, nothing under way.
        let (past, count) = page(Audience::Member(member), Span::Past(now), 0).await;
        assert_eq!(count, 15);
        let mut expected = weekly[..15].to_vec();
        expected.reverse();
        assert_eq!(ids(&past), expected);

        // Someone outside the cohort sees the public meeting alone, both ways.
        let (theirs, count) = page(Audience::Member(outsider), Span::Ahead(now), 0).await;
        assert_eq!((ids(&theirs), count), (vec![public], 1));
        let (theirs, count) = page(Audience::Visitor, Span::Past(now), 0).await;
        assert_eq!((theirs.len(), count), (0, 0));
        let (everything, count) = page(Audience::All, Span::Ahead(now), 0).await;
        assert_eq!((everything.len(), count), (20, 31));

        // A stretch of time: the sessions starting within it, in time order.
        let between = db
            .meetings(
                Audience::Member(member),
                Language::En,
                Span::Between(starts[10], starts[13]),
            )
            .await
            .unwrap();
        assert_eq!(ids(&between), weekly[10..13]);

        // Each series' starts, for the shift notices of a page that begins mid-series.
        let series = first[0].series_id.unwrap();
        let starts_of = db.starts_of_series(&[series]).await.unwrap();
        assert_eq!(starts_of[&series], starts);
        assert!(db.starts_of_series(&[]).await.unwrap().is_empty());
    });
}
