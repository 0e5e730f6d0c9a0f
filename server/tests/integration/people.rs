//! People: facilitation follows the cohort; invitations bring people in.

mod import;
mod invitations;

use crate::support::{client, start, start_with, went_through, Running};
use kring_db::testing::TestDatabase;
use kring_db::{on_both_engines, NewMeeting, Registrant};
use kring_domain::forum::{PostBody, ThreadTitle};
use kring_domain::{
    CohortId, CohortPeriod, Email, GroupName, Language, SessionKind, SessionMinutes, SessionTitle,
    TimeZone, UserId, VideoLink,
};
use kring_server::config::Config;
use reqwest::StatusCode;

/// A second cohort of the demo program, with its own circle, a thread in it, and a
/// meeting one of its members registered for: what its facilitators alone run.
pub struct OtherCohort {
    pub id: CohortId,
    pub circle: i64,
    pub circle_category: i64,
    pub circle_thread: i64,
    pub meeting: i64,
    pub member: UserId,
}

pub async fn other_cohort(test: &TestDatabase) -> OtherCohort {
    let db = &test.db;
    kring_db::demo::load_if_empty(db).await.unwrap();
    let program = db.programs().await.unwrap()[0].0;
    let (id, groups) = db
        .create_cohort(
            program,
            &GroupName::parse("Mutual Learning Program 2027-28").unwrap(),
            &CohortPeriod::parse("2027-10-01", "2028-03-31").unwrap(),
            &[("English group".to_owned(), Language::En)],
        )
        .await
        .unwrap();
    db.create_forum(id).await.unwrap();
    let member = db
        .user_by_email(&Email::parse("priya@demo.kring").unwrap())
        .await
        .unwrap()
        .id;
    db.add_cohort_member(id, member, Some(groups[0]))
        .await
        .unwrap();
    let (circle, category) = db
        .open_circle(
            id,
            &ThreadTitle::parse("A grandmother raising three children alone").unwrap(),
            5,
            member,
        )
        .await
        .unwrap();
    db.join_circle(circle, member).await.unwrap();
    let (thread, _) = db
        .start_thread(
            category,
            member,
            &ThreadTitle::parse("What we tried so far").unwrap(),
            &PostBody::parse("Only for this circle.").unwrap(),
            false,
        )
        .await
        .unwrap();
    let meeting = NewMeeting {
        kind: SessionKind::Live,
        cohort_id: Some(id),
        language_group_id: None,
        host_zone: TimeZone::parse("Europe/Amsterdam").unwrap(),
        minutes: SessionMinutes::parse("120").unwrap(),
        video_link: VideoLink::parse("").unwrap(),
        capacity: None,
        unit_id: None,
        texts: vec![(
            Language::En,
            SessionTitle::parse("Opening session").unwrap(),
            String::new(),
        )],
        created_by: None,
    };
    let (_, meetings) = db
        .create_series(&meeting, "15:00", 0, &[kring_db::now() + 7 * 86_400])
        .await
        .unwrap();
    db.register(meetings[0], &Registrant::Member(member))
        .await
        .unwrap();
    OtherCohort {
        id,
        circle: circle.0,
        circle_category: category.0,
        circle_thread: thread.0,
        meeting: meetings[0].0,
        member,
    }
}

/// What a facilitator may do in `other`, asked by id: (what, status) for each.
async fn reach(
    kring: &Running,
    client: &reqwest::Client,
    other: &OtherCohort,
) -> Vec<(String, StatusCode)> {
    let (cohort, circle) = (other.id.0.to_string(), other.circle.to_string());
    let mut seen = Vec::new();
    let calls: [(&str, Vec<(&str, String)>); 5] = [
        (
            "forum/thread",
            vec![("id", other.circle_thread.to_string())],
        ),
        (
            "forum/category",
            vec![("id", other.circle_category.to_string())],
        ),
        ("forum/cohort", vec![("cohort", cohort.clone())]),
        (
            "forum/circles/leave",
            vec![
                ("circle", circle.clone()),
                ("member", other.member.0.to_string()),
            ],
        ),
        (
            "calendar/change",
            vec![
                ("change[id]", other.meeting.to_string()),
                ("change[action]", "cancel".to_owned()),
                ("change[date]", String::new()),
                ("change[clock]", String::new()),
                ("change[choice]", "ask".to_owned()),
            ],
        ),
    ];
    for (endpoint, fields) in calls {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, _) = kring.call(client, endpoint, &fields).await;
        seen.push((endpoint.to_owned(), status));
    }
    let (status, _) = kring
        .get(
            client,
            &format!("/sessions/{}/registrants.csv", other.meeting),
        )
        .await;
    seen.push(("registrants.csv".to_owned(), status));
    seen
}

#[tokio::test]
async fn a_facilitator_runs_only_the_cohorts_assigned_to_them() {
    on_both_engines!(async |test: &TestDatabase| {
        let other = other_cohort(test).await;
        let kring = start(test).await;
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        // The demo cohort's circle is Joseph's to read.
        let (status, _) = kring
            .call(
                &joseph,
                "forum/thread",
                &[("id", super::security::CIRCLE_THREAD)],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        // The other cohort's circle, forum, meeting and registrants are not, by id.
        for (what, status) in reach(&kring, &joseph, &other).await {
            assert_eq!(status, StatusCode::FORBIDDEN, "{what}");
        }
        let (status, _) = kring
            .call(
                &joseph,
                "forum/circles/open",
                &[
                    ("cohort", &other.id.0.to_string()),
                    ("question", "Mine now?"),
                    ("capacity", "5"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = kring.call(&joseph, "forum/cohorts", &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            body.as_array().unwrap().len(),
            1,
            "only his own cohort: {body}"
        );

        // Once an admin assigns him, he runs it; taken off again, he does not.
        let admin = kring.logged_in("admin@demo.kring").await;
        let (status, body) = kring
            .call(
                &admin,
                "admin/facilitators/assign",
                &[
                    ("cohort", &other.id.0.to_string()),
                    ("email", "facilitator@demo.kring"),
                ],
            )
            .await;
        assert!(went_through(status), "{status} {body}");
        let (status, _) = kring
            .call(
                &joseph,
                "forum/thread",
                &[("id", &other.circle_thread.to_string())],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = kring
            .get(
                &joseph,
                &format!("/sessions/{}/registrants.csv", other.meeting),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let joseph_id = test
            .db
            .user_by_email(&Email::parse("facilitator@demo.kring").unwrap())
            .await
            .unwrap()
            .id;
        let (status, _) = kring
            .call(
                &admin,
                "admin/facilitators/remove",
                &[
                    ("cohort", &other.id.0.to_string()),
                    ("user", &joseph_id.0.to_string()),
                ],
            )
            .await;
        assert!(went_through(status));
        let (status, _) = kring
            .call(
                &joseph,
                "forum/thread",
                &[("id", &other.circle_thread.to_string())],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // Admins run every cohort without being assigned.
        for (what, status) in reach(&kring, &admin, &other).await {
            assert!(went_through(status), "{what}: {status}");
        }
    });
}

/// Kring as a real deployment runs it: registration closed, mail printed to the log
/// (by a job these tests do not start, so mails wait in the outbox to be read here).
async fn start_closed(test: &TestDatabase) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut config = Config::local(listener.local_addr().unwrap(), &test.url);
    config.load_demo = true;
    config.open_registration = false;
    start_with(test, listener, config).await
}

const DEMO_COHORT: &str = "1";

/// The demo cohort's group speaking `language`.
async fn group_of(test: &TestDatabase, language: Language) -> i64 {
    let cohorts = test.db.cohorts(None).await.unwrap();
    cohorts[cohorts.len() - 1]
        .language_groups
        .iter()
        .find(|(_, _, spoken)| *spoken == language)
        .unwrap()
        .0
         .0
}

fn sign_up<'a>(name: &'a str, email: &'a str, token: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("display_name", name),
        ("email", email),
        ("password", "a long enough phrase"),
        ("organisation", ""),
        ("country", "PE"),
        ("language", "es"),
        ("time_zone", "America/Lima"),
        ("invitation", token),
    ]
}

/// Where `email` stands in the demo cohort: their language group's id, if a member.
async fn membership(test: &TestDatabase, email: &str) -> Option<Option<String>> {
    let user = test
        .db
        .user_by_email(&Email::parse(email).unwrap())
        .await
        .ok()?;
    test.db
        .cohort_members(None)
        .await
        .unwrap()
        .into_iter()
        .find(|member| member.user_id == user.id)
        .map(|member| member.language_group)
}

/// The link a new invitation link's page shows its creator.
async fn new_link(kring: &Running, facilitator: &reqwest::Client) -> String {
    let (status, page) = kring
        .get(facilitator, &format!("/cohorts/{DEMO_COHORT}/people"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let start = page.find("/join?token=").expect("the new link is shown");
    page[start + "/join?token=".len()..][..64].to_owned()
}

#[tokio::test]
async fn a_facilitator_manages_only_the_people_of_their_own_cohorts() {
    on_both_engines!(async |test: &TestDatabase| {
        let other = other_cohort(test).await;
        let kring = start_closed(test).await;
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let admin = kring.logged_in("admin@demo.kring").await;
        // An invitation of the other cohort, by the admin.
        let other_id = other.id.0.to_string();
        let (status, _) = kring
            .call(
                &admin,
                "people/links/create",
                &[
                    ("link[cohort]", &other_id),
                    ("link[group]", ""),
                    ("link[days]", "3"),
                    ("link[uses]", ""),
                ],
            )
            .await;
        assert!(went_through(status));
        let invitation = test.db.invitations(other.id).await.unwrap()[0]
            .id
            .to_string();
        let member = other.member.0.to_string();
        let calls: [(&str, Vec<(&str, &str)>); 7] = [
            ("people/cohort", vec![("cohort", &other_id)]),
            (
                "people/members/reset",
                vec![("cohort", &other_id), ("user", &member)],
            ),
            (
                "people/members/remove",
                vec![("cohort", &other_id), ("user", &member)],
            ),
            (
                "people/members/move",
                vec![("cohort", &other_id), ("user", &member), ("group", "1")],
            ),
            ("people/invitations/cancel", vec![("id", &invitation)]),
            ("people/invitations/resend", vec![("id", &invitation)]),
            (
                "people/links/create",
                vec![
                    ("link[cohort]", &other_id),
                    ("link[group]", ""),
                    ("link[days]", "3"),
                    ("link[uses]", ""),
                ],
            ),
        ];
        for (endpoint, fields) in calls {
            let (status, body) = kring.call(&joseph, endpoint, &fields).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{endpoint}: {body}");
        }
        let (status, page) = kring
            .get(&joseph, &format!("/cohorts/{other_id}/people"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(page.contains("role=\"alert\""), "the page says why: {page}");
        assert!(test
            .db
            .is_cohort_member(other.member, other.id)
            .await
            .unwrap());
        assert!(
            test.db.claim_mail(50).await.unwrap().is_empty(),
            "no link was sent"
        );
        // In his own cohort he sends a member a password link (never seeing it), moves
        // and removes members; someone outside it is not his to send links to.
        let maartje = test
            .db
            .user_by_email(&Email::parse("admin@demo.kring").unwrap())
            .await
            .unwrap()
            .id
            .0
            .to_string();
        let (status, _) = kring
            .call(
                &joseph,
                "people/members/reset",
                &[("cohort", DEMO_COHORT), ("user", &maartje)],
            )
            .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "the admin is no member of it"
        );
        let amara_id = test
            .db
            .user_by_email(&Email::parse("amara@demo.kring").unwrap())
            .await
            .unwrap()
            .id
            .0
            .to_string();
        let (status, body) = kring
            .call(
                &joseph,
                "people/members/reset",
                &[("cohort", DEMO_COHORT), ("user", &amara_id)],
            )
            .await;
        assert!(went_through(status), "{status} {body}");
        assert!(
            !body.to_string().contains("reset-password"),
            "the link is not shown: {body}"
        );
        let mails = test.db.claim_mail(50).await.unwrap();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].recipient, "amara@demo.kring");
        assert!(mails[0].body.contains("/reset-password?token="));
        let (status, _) = kring
            .call(&admin, "admin/send-reset", &[("user", &member)])
            .await;
        assert!(went_through(status));
        let (status, _) = kring
            .call(&joseph, "admin/send-reset", &[("user", &member)])
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // In his own cohort he moves and removes members.
        let amara = test
            .db
            .user_by_email(&Email::parse("amara@demo.kring").unwrap())
            .await
            .unwrap()
            .id;
        let spanish = group_of(test, Language::Es).await.to_string();
        let (status, _) = kring
            .call(
                &joseph,
                "people/members/move",
                &[
                    ("cohort", DEMO_COHORT),
                    ("user", &amara.0.to_string()),
                    ("group", &spanish),
                ],
            )
            .await;
        assert!(went_through(status));
        assert_eq!(
            membership(test, "amara@demo.kring").await,
            Some(Some("Spanish group".to_owned()))
        );
        // A group of another cohort is no place to move anyone.
        let (status, _) = kring
            .call(
                &joseph,
                "people/members/move",
                &[
                    ("cohort", DEMO_COHORT),
                    ("user", &amara.0.to_string()),
                    ("group", &other_group(test, other.id).await),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = kring
            .call(
                &joseph,
                "people/members/remove",
                &[("cohort", DEMO_COHORT), ("user", &amara.0.to_string())],
            )
            .await;
        assert!(went_through(status));
        assert_eq!(membership(test, "amara@demo.kring").await, None);
    });
}

async fn other_group(test: &TestDatabase, cohort: CohortId) -> String {
    test.db
        .cohorts(None)
        .await
        .unwrap()
        .into_iter()
        .find(|summary| summary.id == cohort)
        .unwrap()
        .language_groups[0]
        .0
         .0
        .to_string()
}
