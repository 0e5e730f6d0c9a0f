//! The forum over HTTP on SQLite and PostgreSQL: who may read and do what, by
//! role and membership, and limits. Live updates are in `live`.
//!
//! The demo cohort's forum: categories 1–3 (modules), 4 (cases), 5 (general),
//! 6 (the consultation circle, members Amara, Lucía, Wanjiru, Rami and Anush).
//! Threads 1–4 are in the modules, 5–6 are cases, 7 is the welcome thread in
//! General and 8 is in the circle.

use crate::support;
use support::{client, start, went_through, Running};

use kring_db::on_both_engines;
use kring_db::testing::TestDatabase;
use reqwest::{Client, StatusCode};

const CIRCLE_CATEGORY: &str = "6";
const GENERAL: &str = "5";
const WELCOME_THREAD: &str = "7";
const CIRCLE_THREAD: &str = "8";

/// The id of the newest post in a thread, read from its page.
async fn newest_post(kring: &Running, client: &Client, thread: &str) -> String {
    let (status, thread) = kring.call(client, "forum/thread", &[("id", thread)]).await;
    assert_eq!(status, StatusCode::OK, "{thread}");
    thread["posts"].as_array().unwrap().last().unwrap()["id"].to_string()
}

#[tokio::test]
async fn every_forum_function_checks_role_and_membership() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let anonymous = client();
        let outsider = kring.outsider().await;
        let priya = kring.logged_in("priya@demo.kring").await; // cohort member, not in the circle
        let amara = kring.logged_in("amara@demo.kring").await; // cohort and circle member
        let joseph = kring.logged_in("facilitator@demo.kring").await;

        let reads: [(&str, &str, &str); 5] = [
            ("forum/cohort", "cohort", "1"),
            ("forum/category", "id", GENERAL),
            ("forum/thread", "id", WELCOME_THREAD),
            ("forum/category", "id", CIRCLE_CATEGORY),
            ("forum/thread", "id", CIRCLE_THREAD),
        ];
        for (function, field, value) in reads {
            let form = [(field, value)];
            let circle =
                value == CIRCLE_CATEGORY && function == "forum/category" || value == CIRCLE_THREAD;
            let (status, _) = kring.call(&anonymous, function, &form).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{function} {value}: visitor"
            );
            let (status, _) = kring.call(&outsider, function, &form).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "{function} {value}: outsider"
            );
            let (status, _) = kring.call(&priya, function, &form).await;
            let expected = if circle {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::OK
            };
            assert_eq!(
                status, expected,
                "{function} {value}: member outside the circle"
            );
            for (who, reader) in [("circle member", &amara), ("facilitator", &joseph)] {
                let (status, body) = kring.call(reader, function, &form).await;
                assert_eq!(status, StatusCode::OK, "{function} {value}: {who}: {body}");
            }
        }
        // The circle's thread is refused even by id, as a page and as a live stream.
        let (status, page) = kring
            .get(&priya, &format!("/forum/threads/{CIRCLE_THREAD}"))
            .await;
        assert!(
            page.contains("You do not have permission") || status == StatusCode::FORBIDDEN,
            "{status}"
        );
        assert!(!page.contains("Preparing the first weekend at home"));
        let (status, _) = kring
            .get(&priya, &format!("/live/threads/{CIRCLE_THREAD}"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = kring
            .get(&anonymous, &format!("/live/categories/{CIRCLE_CATEGORY}"))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _) = kring
            .call(
                &priya,
                "forum/mentions",
                &[("category", CIRCLE_CATEGORY), ("prefix", "a")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Writing in the circle: members yes, others no.
        let reply = |thread: &'static str, body: &'static str| [("thread", thread), ("body", body)];
        let (status, _) = kring
            .call(&priya, "forum/reply", &reply(CIRCLE_THREAD, "May I?"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = kring
            .call(
                &priya,
                "forum/threads/start",
                &[
                    ("category", CIRCLE_CATEGORY),
                    ("title", "Hi"),
                    ("body", "Hello"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = kring
            .call(
                &amara,
                "forum/reply",
                &reply(CIRCLE_THREAD, "Thank you all."),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let amaras_post = newest_post(&kring, &amara, CIRCLE_THREAD).await;

        // Only the author edits or deletes a post; only facilitators hide one.
        let edit = [
            ("post", amaras_post.as_str()),
            ("body", "Thank you, all of you."),
        ];
        let (status, _) = kring.call(&joseph, "forum/posts/edit", &edit).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "not even a facilitator edits someone's post"
        );
        let (status, _) = kring.call(&amara, "forum/posts/edit", &edit).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = kring
            .call(
                &priya,
                "forum/posts/delete",
                &[("post", amaras_post.as_str())],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let hide = [("post", amaras_post.as_str()), ("reason", "Names a school")];
        let (status, _) = kring.call(&amara, "forum/posts/hide", &hide).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = kring
            .call(
                &joseph,
                "forum/posts/hide",
                &[("post", amaras_post.as_str()), ("reason", " ")],
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a reason is needed"
        );
        let (status, _) = kring.call(&joseph, "forum/posts/hide", &hide).await;
        assert_eq!(status, StatusCode::OK);
        // The author sees why; other members see only that it was hidden.
        let (_, mine) = kring
            .call(&amara, "forum/thread", &[("id", CIRCLE_THREAD)])
            .await;
        let hidden = mine["posts"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(
            hidden["state"]["Hidden"]["reason"], "Names a school",
            "{hidden}"
        );
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let (_, theirs) = kring
            .call(&lucia, "forum/thread", &[("id", CIRCLE_THREAD)])
            .await;
        let hidden = theirs["posts"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(hidden["state"]["Hidden"]["reason"], serde_json::Value::Null);
        assert_eq!(hidden["html"], serde_json::Value::Null);
        let (_, history) = kring
            .call(
                &amara,
                "forum/posts/history",
                &[("post", amaras_post.as_str())],
            )
            .await;
        assert_eq!(history["earlier"][0][0], "Thank you all.", "{history}");

        // Moderation is for facilitators.
        for (function, form) in [
            (
                "forum/threads/pin",
                vec![("thread", WELCOME_THREAD), ("pinned", "true")],
            ),
            (
                "forum/threads/lock",
                vec![("thread", WELCOME_THREAD), ("locked", "true")],
            ),
            (
                "forum/threads/move",
                vec![("thread", WELCOME_THREAD), ("category", "1")],
            ),
            (
                "forum/circles/open",
                vec![
                    ("cohort", "1"),
                    ("question", "A second circle"),
                    ("capacity", "4"),
                ],
            ),
            (
                "forum/circles/status",
                vec![("circle", "1"), ("status", "closed")],
            ),
        ] {
            let (status, _) = kring.call(&amara, function, &form).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{function}: participant");
        }
        let (status, _) = kring
            .call(
                &joseph,
                "forum/threads/move",
                &[("thread", WELCOME_THREAD), ("category", "999")],
            )
            .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "only to a category of the same cohort"
        );
        let (status, _) = kring
            .call(
                &joseph,
                "forum/threads/lock",
                &[("thread", WELCOME_THREAD), ("locked", "true")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = kring
            .call(&priya, "forum/reply", &reply(WELCOME_THREAD, "Hello!"))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "locked: {body}");
        let (status, _) = kring
            .call(
                &joseph,
                "forum/threads/pin",
                &[("thread", WELCOME_THREAD), ("pinned", "true")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, general) = kring
            .call(&priya, "forum/category", &[("id", GENERAL)])
            .await;
        assert_eq!(general["threads"][0]["pinned"], true);

        // Joining: cohort members only; a closed circle takes nobody and no posts.
        let (status, _) = kring
            .call(&outsider, "forum/circles/join", &[("circle", "1")])
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = kring
            .call(&amara, "forum/circles/join", &[("circle", "1")])
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "already a member");
        let (status, _) = kring
            .call(&priya, "forum/circles/join", &[("circle", "1")])
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = kring
            .call(&priya, "forum/thread", &[("id", CIRCLE_THREAD)])
            .await;
        assert_eq!(status, StatusCode::OK, "a new member reads the circle");
        let (status, _) = kring
            .call(
                &joseph,
                "forum/circles/status",
                &[("circle", "1"), ("status", "closed")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = kring
            .call(
                &amara,
                "forum/reply",
                &reply(CIRCLE_THREAD, "One more thing"),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "closed circles are read-only"
        );
        let jana = kring.logged_in("jana@demo.kring").await;
        let (status, _) = kring
            .call(&jana, "forum/circles/join", &[("circle", "1")])
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, _) = kring.call(&anonymous, "notifications", &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    });
}

#[tokio::test]
async fn limits_cases_mentions_and_the_posting_rate() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let wanjiru = kring.logged_in("wanjiru@demo.kring").await;
        let long_title = "t".repeat(201);
        let (status, error) = kring
            .call(
                &wanjiru,
                "forum/threads/start",
                &[("category", GENERAL), ("title", &long_title), ("body", "x")],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            error["message"].as_str().unwrap().contains("200"),
            "{error}"
        );
        let long_post = "p".repeat(50_001);
        let (status, _) = kring
            .call(
                &wanjiru,
                "forum/reply",
                &[("thread", WELCOME_THREAD), ("body", &long_post)],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let case = [
            ("category", "4"),
            ("title", "A father who works nights"),
            ("context_text", "A father of two works nights."),
            ("question", "How can he take part?"),
            ("tried", "Evening meetings."),
        ];
        let (status, error) = kring.call(&wanjiru, "forum/cases/start", &case).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "not confirmed anonymous"
        );
        assert!(
            error["message"].as_str().unwrap().contains("child"),
            "{error}"
        );
        let mut confirmed = case.to_vec();
        confirmed.push(("anonymous", "yes"));
        let mut elsewhere = confirmed.clone();
        elsewhere[0] = ("category", GENERAL);
        let (status, _) = kring.call(&wanjiru, "forum/cases/start", &elsewhere).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "cases belong in the cases category"
        );
        let (status, _) = kring
            .call(
                &wanjiru,
                "forum/threads/start",
                &[("category", "4"), ("title", "Chat"), ("body", "Hi")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "and only cases do");
        let (status, _) = kring.call(&wanjiru, "forum/cases/start", &confirmed).await;
        assert_eq!(status, StatusCode::OK);
        let (_, cases) = kring.call(&wanjiru, "forum/category", &[("id", "4")]).await;
        let case_thread = cases["threads"][0]["id"].to_string();
        assert_eq!(cases["threads"][0]["is_case"], true);

        // Tagged replies are summarised for the case owner; a mention notifies.
        let rami = kring.logged_in("rami@demo.kring").await;
        let (status, _) = kring
            .call(
                &rami,
                "forum/reply",
                &[
                    ("thread", &case_thread),
                    ("body", "Could a neighbour help, @wanjiru?"),
                    ("tag", "suggestion"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, thread) = kring
            .call(&wanjiru, "forum/thread", &[("id", &case_thread)])
            .await;
        assert_eq!(thread["case_summary"][0][0], "suggestion", "{thread}");
        assert_eq!(thread["case_summary"][0][1][0][1], "Rami Haddad");
        let unread = support::unread_notifications(&test.db, "wanjiru@demo.kring").await;
        assert_eq!(unread, 2, "a reply to her case and a mention");
        // Browsers ask for HTML; the header's count is made for them.
        let page = wanjiru
            .get(format!("{}/forum", kring.base))
            .header("Accept", "text/html")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Notifications: 2 unread"),
            "the header shows the count"
        );
        let (_, notifications) = kring.call(&wanjiru, "notifications", &[]).await;
        let reasons: Vec<_> = notifications
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["reason"].as_str().unwrap().to_owned())
            .collect();
        assert!(
            reasons.contains(&"Mention".to_owned()) && reasons.contains(&"Reply".to_owned()),
            "{reasons:?}"
        );
        let unread = support::unread_notifications(&test.db, "wanjiru@demo.kring").await;
        assert_eq!(unread, 2, "reading the list marks nothing");
        let newest = notifications[0]["id"].to_string();
        let (status, _) = kring
            .call(&wanjiru, "notifications/read", &[("up_to", &newest)])
            .await;
        assert_eq!(status, StatusCode::OK);
        let unread = support::unread_notifications(&test.db, "wanjiru@demo.kring").await;
        assert_eq!(unread, 0, "marked read by the page's post");

        // Six posts a minute, then a translated wait.
        for n in 0..5 {
            let body = format!("Quick note {n}");
            let (status, _) = kring
                .call(
                    &rami,
                    "forum/reply",
                    &[("thread", WELCOME_THREAD), ("body", &body)],
                )
                .await;
            assert_eq!(status, StatusCode::OK, "post {n}");
        }
        let (status, error) = kring
            .call(
                &rami,
                "forum/reply",
                &[("thread", WELCOME_THREAD), ("body", "One too many")],
            )
            .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert!(
            error["message"].as_str().unwrap().contains("seconds"),
            "{error}"
        );
    });
}

#[tokio::test]
async fn twenty_members_joining_a_circle_at_once_fill_exactly_its_ten_places() {
    use kring_db::NewUser;
    use kring_domain::{
        CohortId, Country, DisplayName, Email, Language, NewPassword, Role, TimeZone,
    };
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let (status, _) = kring
            .call(
                &joseph,
                "forum/circles/open",
                &[
                    ("cohort", "1"),
                    ("question", "Talking with teenagers about going home"),
                    ("capacity", "10"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let mut members = Vec::new();
        for n in 0..20 {
            let email = format!("member{n}@example.org");
            let user = test
                .db
                .create_user(NewUser {
                    email: Email::parse(&email).unwrap(),
                    display_name: DisplayName::parse(&format!("Member {n}")).unwrap(),
                    password: NewPassword::parse("a long enough phrase").unwrap(),
                    role: Role::Participant,
                    organisation_id: None,
                    country: Country::parse("KE").unwrap(),
                    language: Language::En,
                    time_zone: TimeZone::parse("Africa/Nairobi").unwrap(),
                })
                .await
                .unwrap();
            test.db
                .add_cohort_member(CohortId(1), user.id, None)
                .await
                .unwrap();
            let member = client();
            let (status, _) = kring
                .call(
                    &member,
                    "login",
                    &[("email", &email), ("password", "a long enough phrase")],
                )
                .await;
            assert!(went_through(status));
            members.push(member);
        }
        let joins = members.into_iter().map(|member| {
            let base = kring.base.clone();
            tokio::spawn(async move {
                member
                    .post(format!("{base}/api/forum/circles/join"))
                    .form(&[("circle", "2")])
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
        });
        let mut statuses = Vec::new();
        for join in joins.collect::<Vec<_>>() {
            statuses.push(join.await.unwrap());
        }
        let joined = statuses
            .iter()
            .filter(|status| **status == StatusCode::OK)
            .count();
        let full = statuses
            .iter()
            .filter(|status| **status == StatusCode::CONFLICT)
            .count();
        assert_eq!((joined, full), (10, 10), "{statuses:?}");
        let (_, forum) = kring
            .call(&joseph, "forum/cohort", &[("cohort", "1")])
            .await;
        let circle = forum["circles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|circle| circle["id"] == 2)
            .unwrap()
            .clone();
        assert_eq!(
            (
                circle["member_count"].as_i64(),
                circle["members"].as_array().unwrap().len()
            ),
            (Some(10), 10)
        );
    });
}
