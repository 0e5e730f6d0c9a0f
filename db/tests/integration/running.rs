//! Running a cohort's sessions against real databases: every member expected at a
//! live session is reminded once (unless they turned reminders off or cannot come),
//! everyone concerned is told of a move or cancellation, and facilitators' attendance
//! feeds the cohort dashboard.

use super::meetings::{cohort, person, plan};
use kring_db::testing::TestDatabase;
use kring_db::{on_both_engines, Db, DbError, NoticeKind, Registrant};
use kring_domain::{
    AttendanceMark, RecordingLink, Role, SessionId, SessionKind, SessionNotes, UserId,
};

/// The kinds of notice `user` sees at `at`, newest first.
async fn notices(db: &Db, user: UserId, at: i64) -> Vec<NoticeKind> {
    db.session_notices(user, at)
        .await
        .unwrap()
        .iter()
        .map(|notice| notice.kind)
        .collect()
}

/// A live session of the English group 30 hours from now, and the people around it.
struct Group {
    session: SessionId,
    start: i64,
    /// English group members.
    ana: UserId,
    ben: UserId,
    carla: UserId,
    /// In the Spanish group: not expected at the English group's session.
    lucia: UserId,
}

async fn english_session(db: &Db) -> Group {
    let (cohort, groups) = cohort(db).await;
    let ana = person(db, "ana@example.org", Role::Participant).await;
    let ben = person(db, "ben@example.org", Role::Participant).await;
    let carla = person(db, "carla@example.org", Role::Participant).await;
    let lucia = person(db, "lucia@example.org", Role::Participant).await;
    for user in [ana, ben, carla] {
        db.add_cohort_member(cohort, user, Some(groups[0]))
            .await
            .unwrap();
    }
    db.add_cohort_member(cohort, lucia, Some(groups[1]))
        .await
        .unwrap();
    let start = kring_db::now() + 30 * 3_600;
    let (_, ids) = db
        .create_series(
            &plan(SessionKind::Live, Some(cohort), Some(groups[0]), None),
            "13:00",
            0,
            &[start],
        )
        .await
        .unwrap();
    Group {
        session: ids[0],
        start,
        ana,
        ben,
        carla,
        lucia,
    }
}

#[tokio::test]
async fn every_expected_member_is_reminded_once_unless_they_opted_out() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let group = english_session(db).await;
        assert!(db.expected_at(group.session, group.ana).await.unwrap());
        assert!(!db.expected_at(group.session, group.lucia).await.unwrap());
        // Ben turns reminders off; Carla cannot come.
        db.set_wants_session_reminders(group.ben, false)
            .await
            .unwrap();
        assert!(!db.wants_session_reminders(group.ben).await.unwrap());
        db.set_absence(group.session, group.carla, true)
            .await
            .unwrap();
        assert!(db.is_absent(group.session, group.carla).await.unwrap());

        let day_before = group.start - 23 * 3_600;
        assert_eq!(db.create_due_reminders(day_before).await.unwrap(), 1);
        assert_eq!(db.create_due_reminders(day_before + 60).await.unwrap(), 0);
        assert_eq!(notices(db, group.ana, day_before).await, [NoticeKind::Day]);
        for user in [group.ben, group.carla, group.lucia] {
            assert!(notices(db, user, day_before).await.is_empty());
        }

        // Someone who joins the group mid-way is reminded of what is still ahead;
        // Carla can come after all.
        let (cohort_id, groups) = {
            let row = db
                .meeting(
                    group.session,
                    kring_db::Audience::All,
                    kring_domain::Language::En,
                )
                .await
                .unwrap();
            (row.cohort_id.unwrap(), row.language_group_id.unwrap())
        };
        let dana = person(db, "dana@example.org", Role::Participant).await;
        db.add_cohort_member(cohort_id, dana, Some(groups))
            .await
            .unwrap();
        db.set_absence(group.session, group.carla, false)
            .await
            .unwrap();
        let hour_before = group.start - 50 * 60;
        // Dana and Carla: a day reminder (they were not reminded yet), then the hour.
        assert_eq!(
            db.create_due_reminders(group.start - 2 * 3_600)
                .await
                .unwrap(),
            2
        );
        assert_eq!(db.create_due_reminders(hour_before).await.unwrap(), 3);
        assert_eq!(
            notices(db, dana, hour_before).await,
            [NoticeKind::Hour, NoticeKind::Day]
        );
        assert!(notices(db, group.ben, hour_before).await.is_empty());
        // Once the session is over, reminders leave the app.
        assert!(notices(db, group.ana, group.start + 3 * 3_600)
            .await
            .is_empty());
    });
}

#[tokio::test]
async fn a_move_or_cancellation_tells_everyone_concerned_with_the_old_time() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let group = english_session(db).await;
        db.set_wants_session_reminders(group.ben, false)
            .await
            .unwrap();
        db.set_absence(group.session, group.carla, true)
            .await
            .unwrap();
        let day_before = group.start - 23 * 3_600;
        db.create_due_reminders(day_before).await.unwrap();

        // Moved two days later: everyone expected is told, also those without reminders.
        let new_start = group.start + 2 * 86_400;
        db.move_meeting(group.session, new_start).await.unwrap();
        let now = kring_db::now();
        for user in [group.ana, group.ben, group.carla] {
            let told = db.session_notices(user, now).await.unwrap();
            assert_eq!(told[0].kind, NoticeKind::Moved, "{user:?}");
            assert_eq!(told[0].previous_start, Some(group.start));
        }
        assert!(notices(db, group.lucia, now).await.is_empty());
        // The day reminder of the old time is no longer shown, and comes again for the new one.
        assert_eq!(notices(db, group.ana, now).await, [NoticeKind::Moved]);
        assert_eq!(
            db.create_due_reminders(new_start - 23 * 3_600)
                .await
                .unwrap(),
            1
        );
        let meeting = db
            .meeting(
                group.session,
                kring_db::Audience::All,
                kring_domain::Language::En,
            )
            .await
            .unwrap();
        assert_eq!(meeting.sequence, 1);

        // An information meeting's registrants are told of a cancellation.
        let (_, ids) = db
            .create_series(
                &plan(SessionKind::Information, None, None, Some(5)),
                "10:00",
                0,
                &[group.start],
            )
            .await
            .unwrap();
        db.register(ids[0], &Registrant::Member(group.lucia))
            .await
            .unwrap();
        db.cancel_meeting(ids[0]).await.unwrap();
        let told = db
            .session_notices(group.lucia, kring_db::now())
            .await
            .unwrap();
        assert_eq!(told.len(), 1);
        assert_eq!(told[0].kind, NoticeKind::Cancelled);
        assert_eq!(told[0].session_id, ids[0]);
        // No reminder of a cancelled session.
        assert_eq!(
            db.create_due_reminders(group.start - 23 * 3_600)
                .await
                .unwrap(),
            0
        );
        assert!(matches!(
            db.move_meeting(SessionId(999_999), new_start).await,
            Err(DbError::NotFound)
        ));
    });
}

#[tokio::test]
async fn attendance_is_taken_for_expected_members_and_counted_on_the_dashboard() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let group = english_session(db).await;
        let facilitator = person(db, "joseph@example.org", Role::Facilitator).await;
        let meeting = db
            .meeting(
                group.session,
                kring_db::Audience::All,
                kring_domain::Language::En,
            )
            .await
            .unwrap();
        let cohort_id = meeting.cohort_id.unwrap();
        // A second session of the group, already held (both end before `later`).
        let earlier = kring_db::now() - 10 * 86_400;
        let (_, held) = db
            .create_series(
                &plan(
                    SessionKind::Live,
                    Some(cohort_id),
                    meeting.language_group_id,
                    None,
                ),
                "13:00",
                1,
                &[earlier, earlier + 7 * 86_400],
            )
            .await
            .unwrap();
        db.record_attendance(
            held[0],
            &[
                (group.ana, AttendanceMark::Present),
                (group.ben, AttendanceMark::Excused),
                (group.carla, AttendanceMark::Absent),
            ],
            facilitator,
        )
        .await
        .unwrap();
        db.record_attendance(
            held[1],
            &[(group.ana, AttendanceMark::Present)],
            facilitator,
        )
        .await
        .unwrap();
        // Changing a mark replaces it.
        db.record_attendance(
            held[1],
            &[(group.carla, AttendanceMark::Absent)],
            facilitator,
        )
        .await
        .unwrap();
        db.record_attendance(
            held[1],
            &[(group.carla, AttendanceMark::Present)],
            facilitator,
        )
        .await
        .unwrap();
        // Lucía is not expected at the English group's session: nothing of the request is stored.
        assert!(matches!(
            db.record_attendance(
                held[1],
                &[
                    (group.ben, AttendanceMark::Present),
                    (group.lucia, AttendanceMark::Present)
                ],
                facilitator
            )
            .await,
            Err(DbError::NotFound)
        ));
        let sheet = db.attendance_sheet(held[1]).await.unwrap();
        let names: Vec<(&str, Option<AttendanceMark>)> = sheet
            .iter()
            .map(|entry| (entry.name.as_str(), entry.mark))
            .collect();
        assert_eq!(
            names,
            [
                ("ana", Some(AttendanceMark::Present)),
                ("ben", None),
                ("carla", Some(AttendanceMark::Present)),
            ]
        );

        db.set_session_follow_up(
            held[0],
            &SessionNotes::parse("We spoke about *listening*.").unwrap(),
            &RecordingLink::parse("https://video.example.org/rec/1").unwrap(),
        )
        .await
        .unwrap();
        let followed = db
            .meeting(held[0], kring_db::Audience::All, kring_domain::Language::En)
            .await
            .unwrap();
        assert_eq!(followed.notes, "We spoke about *listening*.");
        assert_eq!(followed.recording_link, "https://video.example.org/rec/1");

        let (_, members) = db
            .cohort_dashboard(cohort_id, kring_domain::Language::En, kring_db::now())
            .await
            .unwrap();
        let figures: Vec<(&str, i64, i64, i64)> = members
            .iter()
            .map(|m| (m.name.as_str(), m.present, m.held, m.excused))
            .collect();
        assert_eq!(
            figures,
            [
                ("ana", 2, 2, 0),
                ("ben", 0, 2, 1),
                ("carla", 1, 2, 0),
                ("lucia", 0, 0, 0),
            ]
        );
        assert!(members.iter().all(|m| m.last_post_at.is_none()));
    });
}
