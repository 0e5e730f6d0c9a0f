//! Findings 2 and 3, and the live resource limits: a stream replays each post
//! as it is now for its reader (a hidden or removed post never comes back with
//! its text); a stream ends within a second when its reader logs out, changes
//! their password, gets another role or leaves a circle or cohort, on every
//! instance, and its reconnect is refused; connections per person and replays
//! are capped.

use super::support::{open_stream, read_posts, start, stream_ends_within, Running};
use super::{CIRCLE_THREAD, WELCOME_THREAD};
use kring_db::testing::TestDatabase;
use kring_db::{on_both_engines, NewReply};
use kring_domain::forum::PostBody;
use kring_domain::{ThreadId, UserId};
use reqwest::{Client, StatusCode};
use std::time::Duration;

const WITHIN_A_SECOND: Duration = Duration::from_secs(1);

#[tokio::test]
async fn hidden_and_removed_posts_never_replay_their_text() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let jana = kring.logged_in("jana@demo.kring").await;
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let thread = format!("/live/threads/{WELCOME_THREAD}");
        // Jana has the thread open when two posts arrive: the posts reach the
        // server's post cache as first written.
        let (_, view) = kring
            .call(&jana, "forum/thread", &[("id", WELCOME_THREAD)])
            .await;
        let start_at = view["latest_event"].as_i64().unwrap();
        let mut open =
            open_stream(&kring, &jana, &format!("{thread}?after={start_at}"), None).await;
        let mut posts = Vec::new();
        for body in [
            "The child's school is St. Mary's in Nyeri",
            "I regret writing this",
        ] {
            let (status, post) = kring
                .call(
                    &lucia,
                    "forum/reply",
                    &[("thread", WELCOME_THREAD), ("body", body)],
                )
                .await;
            assert_eq!(status, StatusCode::OK);
            posts.push(post.to_string());
        }
        let first = read_posts(&mut open, 2, Duration::from_secs(2)).await;
        assert!(first[0].1.contains("St. Mary"));
        // A facilitator hides the first; its author removes the second.
        let (status, _) = kring
            .call(
                &joseph,
                "forum/posts/hide",
                &[("post", &posts[0]), ("reason", "Names a school")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = kring
            .call(&lucia, "forum/posts/delete", &[("post", &posts[1])])
            .await;
        assert_eq!(status, StatusCode::OK);
        let changes = read_posts(&mut open, 2, Duration::from_secs(2)).await;
        assert!(changes
            .iter()
            .all(|(_, html)| !html.contains("St. Mary") && !html.contains("regret")));
        drop(open);

        // Whoever replays the thread from the start, by `after=0` or an old
        // Last-Event-ID, gets both posts as they are now.
        let in_thread = test
            .db
            .thread_opening(ThreadId(7), UserId(1), None)
            .await
            .unwrap()
            .posts;
        for (after, last_event, changed) in [
            (Some(0), None, in_thread as usize),
            (None, Some(start_at), 2),
            (Some(start_at), Some(0), 2),
        ] {
            let path = match after {
                Some(after) => format!("{thread}?after={after}"),
                None => thread.clone(),
            };
            let mut replay = open_stream(&kring, &jana, &path, last_event).await;
            let replayed = read_posts(&mut replay, changed, Duration::from_secs(2)).await;
            let hidden = replayed
                .iter()
                .find(|(_, html)| html.contains(&format!("id=\"post-{}\"", posts[0])))
                .expect("the hidden post is replayed");
            assert!(hidden.1.contains("class=\"post hidden\""), "{hidden:?}");
            assert!(!hidden.1.contains("St. Mary"), "{hidden:?}");
            assert!(
                !hidden.1.contains("Names a school"),
                "only its author and staff see why"
            );
            let removed = replayed
                .iter()
                .find(|(_, html)| html.contains(&format!("id=\"post-{}\"", posts[1])))
                .expect("the removed post is replayed");
            assert!(removed.1.contains("class=\"post removed\""), "{removed:?}");
            assert!(!removed.1.contains("regret"), "{removed:?}");
        }
        // Its author still sees why, and their text.
        let mut own =
            open_stream(&kring, &lucia, &format!("{thread}?after={start_at}"), None).await;
        let replayed = read_posts(&mut own, 2, Duration::from_secs(2)).await;
        let hidden = replayed
            .iter()
            .find(|(_, html)| html.contains(&format!("id=\"post-{}\"", posts[0])))
            .unwrap();
        assert!(hidden.1.contains("Names a school") && hidden.1.contains("St. Mary"));
    });
}

/// Opens the circle's thread for `client`, from its newest event.
async fn circle_stream(kring: &Running, client: &Client) -> reqwest::Response {
    let (status, view) = kring
        .call(client, "forum/thread", &[("id", CIRCLE_THREAD)])
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let after = view["latest_event"].as_i64().unwrap();
    open_stream(
        kring,
        client,
        &format!("/live/threads/{CIRCLE_THREAD}?after={after}"),
        None,
    )
    .await
}

/// The reconnect of an ended stream: its status.
async fn reconnect(kring: &Running, client: &Client) -> StatusCode {
    client
        .get(format!(
            "{}/live/threads/{CIRCLE_THREAD}?after=0",
            kring.base
        ))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn streams_end_within_a_second_of_logout_password_role_or_membership_changes() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let maartje = kring.logged_in("admin@demo.kring").await;

        // Logout.
        let amara = kring.logged_in("amara@demo.kring").await;
        let mut stream = circle_stream(&kring, &amara).await;
        let (status, _) = kring.call(&amara, "logout", &[]).await;
        assert!(super::support::went_through(status));
        assert!(
            stream_ends_within(&mut stream, WITHIN_A_SECOND).await,
            "logout"
        );
        assert_eq!(reconnect(&kring, &amara).await, StatusCode::UNAUTHORIZED);

        // A password change on another device ends this device's stream.
        let here = kring.logged_in("wanjiru@demo.kring").await;
        let elsewhere = kring.logged_in("wanjiru@demo.kring").await;
        let mut stream = circle_stream(&kring, &here).await;
        let (status, body) = kring
            .call(
                &elsewhere,
                "change-password",
                &[
                    ("current_password", kring_db::demo::DEMO_PASSWORD),
                    ("new_password", "a fresh long phrase"),
                ],
            )
            .await;
        assert!(super::support::went_through(status), "{body}");
        assert!(
            stream_ends_within(&mut stream, WITHIN_A_SECOND).await,
            "password change"
        );
        assert_eq!(reconnect(&kring, &here).await, StatusCode::UNAUTHORIZED);

        // Removed from the circle by a facilitator.
        let rami = kring.logged_in("rami@demo.kring").await;
        let rami_id = existing(test, "rami@demo.kring").await;
        let mut stream = circle_stream(&kring, &rami).await;
        let (status, _) = kring
            .call(
                &joseph,
                "forum/circles/leave",
                &[("circle", "1"), ("member", &rami_id.0.to_string())],
            )
            .await;
        assert!(super::support::went_through(status));
        assert!(
            stream_ends_within(&mut stream, WITHIN_A_SECOND).await,
            "removed from the circle"
        );
        assert_eq!(reconnect(&kring, &rami).await, StatusCode::FORBIDDEN);

        // Removed from the cohort by an administrator (and with it from its circles).
        let anush = kring.logged_in("anush@demo.kring").await;
        let anush_id = existing(test, "anush@demo.kring").await;
        let mut stream = circle_stream(&kring, &anush).await;
        let (status, _) = kring
            .call(
                &maartje,
                "admin/remove-member",
                &[("cohort", "1"), ("user", &anush_id.0.to_string())],
            )
            .await;
        assert!(super::support::went_through(status));
        assert!(
            stream_ends_within(&mut stream, WITHIN_A_SECOND).await,
            "removed from the cohort"
        );
        assert_eq!(reconnect(&kring, &anush).await, StatusCode::FORBIDDEN);

        // A facilitator of the cohort taken off it, or made participant, no longer reads
        // a circle they are not in.
        let sanne = kring.logged_in("sanne@demo.kring").await;
        let sanne_id = existing(test, "sanne@demo.kring").await;
        let assign = [("cohort", "1"), ("email", "sanne@demo.kring")];
        let (status, _) = kring
            .call(&maartje, "admin/facilitators/assign", &assign)
            .await;
        assert!(super::support::went_through(status));
        let mut stream = circle_stream(&kring, &sanne).await;
        let (status, _) = kring
            .call(
                &maartje,
                "admin/facilitators/remove",
                &[("cohort", "1"), ("user", &sanne_id.0.to_string())],
            )
            .await;
        assert!(super::support::went_through(status));
        assert!(
            stream_ends_within(&mut stream, WITHIN_A_SECOND).await,
            "taken off the cohort"
        );
        assert_eq!(reconnect(&kring, &sanne).await, StatusCode::FORBIDDEN);
        let (status, _) = kring
            .call(&maartje, "admin/facilitators/assign", &assign)
            .await;
        assert!(super::support::went_through(status));
        let mut stream = circle_stream(&kring, &sanne).await;
        let (status, _) = kring
            .call(
                &maartje,
                "admin/set-role",
                &[("user", &sanne_id.0.to_string()), ("role", "participant")],
            )
            .await;
        assert!(super::support::went_through(status));
        assert!(
            stream_ends_within(&mut stream, WITHIN_A_SECOND).await,
            "role change"
        );
        assert_eq!(reconnect(&kring, &sanne).await, StatusCode::FORBIDDEN);

        // Someone else's logout leaves this stream alone.
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let mut stream = circle_stream(&kring, &lucia).await;
        let lucia_elsewhere = kring.logged_in("lucia@demo.kring").await;
        kring.call(&lucia_elsewhere, "logout", &[]).await;
        assert!(!stream_ends_within(&mut stream, Duration::from_millis(500)).await);
    });
}

/// What was said in the open forum is never brought into a circle, nor a
/// circle's words out of it: the move is refused (as an unknown target), and
/// the thread keeps reaching the readers it had.
#[tokio::test]
async fn a_thread_is_never_moved_into_or_out_of_a_circle() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let priya = kring.logged_in("priya@demo.kring").await; // not in the circle
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let (_, view) = kring
            .call(&priya, "forum/thread", &[("id", WELCOME_THREAD)])
            .await;
        let after = view["latest_event"].as_i64().unwrap();
        let stream = open_stream(
            &kring,
            &priya,
            &format!("/live/threads/{WELCOME_THREAD}?after={after}"),
            None,
        )
        .await;
        let (status, _) = kring
            .call(
                &joseph,
                "forum/threads/move",
                &[
                    ("thread", WELCOME_THREAD),
                    ("category", super::CIRCLE_CATEGORY),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = kring
            .call(
                &joseph,
                "forum/threads/move",
                &[("thread", CIRCLE_THREAD), ("category", "5")],
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = kring
            .call(
                &joseph,
                "forum/reply",
                &[("thread", WELCOME_THREAD), ("body", "Still for everyone")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let mut stream = stream;
        let arrived = read_posts(&mut stream, 1, Duration::from_secs(5)).await;
        assert_eq!(arrived.len(), 1, "the thread still reaches Priya");
        let (_, circle) = kring
            .call(&priya, "forum/thread", &[("id", CIRCLE_THREAD)])
            .await;
        assert!(!circle.to_string().contains("Still for everyone"));
    });
}

#[tokio::test]
async fn a_logout_through_one_instance_ends_the_stream_on_another() {
    let Some(test) = TestDatabase::postgres().await else {
        eprintln!("PostgreSQL unavailable: skipped");
        return;
    };
    let instance_a = start(&test).await;
    let instance_b = Running::second_instance(&test).await;
    let amara = instance_a.logged_in("amara@demo.kring").await;
    // The same browser (its cookie) reads through instance B.
    let mut stream = circle_stream(&instance_b, &amara).await;
    let (status, _) = instance_a.call(&amara, "logout", &[]).await;
    assert!(super::support::went_through(status));
    assert!(stream_ends_within(&mut stream, WITHIN_A_SECOND).await);
    assert_eq!(
        reconnect(&instance_b, &amara).await,
        StatusCode::UNAUTHORIZED
    );
    test.finish().await;
}

#[tokio::test]
async fn live_connections_per_person_and_replays_are_capped() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let jana = kring.logged_in("jana@demo.kring").await;
        let path = format!("/live/categories/{}", super::GENERAL);
        let mut open = Vec::new();
        for _ in 0..12 {
            open.push(open_stream(&kring, &jana, &path, None).await);
        }
        let (status, body) = kring.get(&jana, &path).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert!(body.contains("too_many_connections"), "{body}");
        // Streams that end give their places back: after a logout ends all
        // twelve, a new session opens twelve again.
        kring.call(&jana, "logout", &[]).await;
        for stream in &mut open {
            assert!(stream_ends_within(stream, WITHIN_A_SECOND).await);
        }
        let jana = kring.logged_in("jana@demo.kring").await;
        for _ in 0..12 {
            open.push(open_stream(&kring, &jana, &path, None).await);
        }
        drop(open);

        // A thread with more changes than a stream replays: told to reload instead.
        let amara = existing(test, "amara@demo.kring").await;
        let body = PostBody::parse("One of many").unwrap();
        for _ in 0..(kring_db::MAX_REPLAY + 1) {
            test.db
                .reply(&NewReply {
                    thread: ThreadId(7),
                    author: amara,
                    body: &body,
                    tag: None,
                    quote_of: None,
                })
                .await
                .unwrap();
        }
        let replay = open_stream(
            &kring,
            &jana,
            &format!("/live/threads/{WELCOME_THREAD}?after=0"),
            None,
        )
        .await;
        let text = tokio::time::timeout(Duration::from_secs(5), replay.text())
            .await
            .expect("the stream ends after telling the page to reload")
            .unwrap();
        assert!(text.contains("event: reload"), "{text}");
        assert!(!text.contains("event: post"), "nothing replayed one by one");
    });
}

async fn existing(test: &TestDatabase, email: &str) -> UserId {
    test.db
        .user_by_email(&kring_domain::Email::parse(email).unwrap())
        .await
        .unwrap()
        .id
}
