//! Live forum updates over HTTP on SQLite and PostgreSQL: posts arrive, a
//! reconnect catches up exactly after a dropped connection, and two app
//! instances share one PostgreSQL database. (Demo forum: category 5 is
//! General, thread 7 its welcome thread.)

use crate::support::{open_stream, read_posts, start, went_through, Running};
use kring_db::testing::TestDatabase;
use kring_db::{on_both_engines, Db};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

const GENERAL: &str = "5";
const WELCOME_THREAD: &str = "7";

#[tokio::test]
async fn live_posts_arrive_and_a_reconnect_catches_up_exactly() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let jana = kring.logged_in("jana@demo.kring").await;
        let start_at = latest_event(&kring, &jana).await;
        let path = format!("/live/threads/{WELCOME_THREAD}?after={start_at}");
        let mut stream = open_stream(&kring, &jana, &path, None).await;
        let mut bar = open_stream(
            &kring,
            &jana,
            &format!("/live/categories/{GENERAL}?after={start_at}"),
            None,
        )
        .await;
        let sent = Instant::now();
        let (status, _) = kring
            .call(
                &lucia,
                "forum/reply",
                &[("thread", WELCOME_THREAD), ("body", "¡Hola a **todos**!")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let first = read_posts(&mut stream, 1, Duration::from_secs(2)).await;
        assert!(sent.elapsed() < Duration::from_secs(2));
        assert!(first[0].1.contains("<strong>todos</strong>"), "{first:?}");
        assert!(first[0].1.contains("Lucía Quispe"));
        let bar_events = read_posts(&mut bar, 1, Duration::from_secs(2)).await;
        assert_eq!(bar_events[0].1, WELCOME_THREAD);
        drop(stream);

        // While Jana is away: two posts, and an edit of the first.
        for body in ["Second while away", "Third while away"] {
            let (status, _) = kring
                .call(
                    &lucia,
                    "forum/reply",
                    &[("thread", WELCOME_THREAD), ("body", body)],
                )
                .await;
            assert_eq!(status, StatusCode::OK);
        }
        // Reconnecting after the last event seen: exactly the two later posts, in order.
        let mut again = open_stream(
            &kring,
            &jana,
            &format!("/live/threads/{WELCOME_THREAD}"),
            Some(first[0].0),
        )
        .await;
        let caught_up = read_posts(&mut again, 2, Duration::from_secs(2)).await;
        assert_eq!(caught_up.len(), 2, "{caught_up:?}");
        assert!(caught_up[0].0 > first[0].0 && caught_up[1].0 > caught_up[0].0);
        assert!(caught_up[0].1.contains("Second while away"));
        assert!(caught_up[1].1.contains("Third while away"));
        // A deletion arrives as the same post, now shown as removed.
        let (_, thread) = kring
            .call(&lucia, "forum/thread", &[("id", WELCOME_THREAD)])
            .await;
        let third = thread["posts"].as_array().unwrap().last().unwrap()["id"].to_string();
        let (status, _) = kring
            .call(&lucia, "forum/posts/delete", &[("post", &third)])
            .await;
        assert_eq!(status, StatusCode::OK);
        let removed = read_posts(&mut again, 1, Duration::from_secs(2)).await;
        assert!(removed[0].1.contains(&format!("id=\"post-{third}\"")));
        assert!(
            removed[0].1.contains("class=\"post removed\""),
            "{removed:?}"
        );
    });
}

#[tokio::test]
async fn a_post_through_one_instance_reaches_a_live_client_of_another() {
    let Some(test) = TestDatabase::postgres().await else {
        eprintln!("PostgreSQL unavailable: skipped");
        return;
    };
    let instance_a = start(&test).await;
    // Instance B: its own pool and live hub on the same database, as a second process would have.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config = kring_server::config::Config::local(listener.local_addr().unwrap(), &test.url);
    let db_b = Db::connect(&test.url).await.unwrap();
    tokio::spawn(kring_server::serve(
        listener,
        kring_server::router(&config, db_b),
    ));
    let instance_b = Running {
        base: format!("http://{}", config.addr),
    };

    let on_a = instance_a.logged_in("lucia@demo.kring").await;
    let on_b = instance_b.logged_in("jana@demo.kring").await;
    let after = latest_event(&instance_b, &on_b).await;
    let mut stream = open_stream(
        &instance_b,
        &on_b,
        &format!("/live/threads/{WELCOME_THREAD}?after={after}"),
        None,
    )
    .await;
    let sent = Instant::now();
    let (status, _) = instance_a
        .call(
            &on_a,
            "forum/reply",
            &[
                ("thread", WELCOME_THREAD),
                ("body", "Posted through instance A"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let events = read_posts(&mut stream, 1, Duration::from_secs(2)).await;
    let latency = sent.elapsed();
    assert!(events[0].1.contains("Posted through instance A"));
    assert!(latency < Duration::from_secs(2), "{latency:?}");
    eprintln!("instance A → client on instance B: {latency:?}");
    test.finish().await;
}

#[tokio::test]
async fn each_reader_gets_a_live_post_as_they_may_see_it_and_readers_alike_the_same() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        // The author (Spanish, Lima), members in Accra and Yerevan (English, four
        // hours apart), in Berlin (German), the cohort's facilitator and an
        // admin (both staff, English, Amsterdam: one look).
        let names = ["lucia", "amara", "anush", "jana", "facilitator", "admin"];
        let mut clients = Vec::new();
        for name in names {
            clients.push(kring.logged_in(&format!("{name}@demo.kring")).await);
        }
        let start_at = latest_event(&kring, &clients[0]).await;
        let path = format!("/live/threads/{WELCOME_THREAD}?after={start_at}");
        let mut streams = Vec::new();
        for client in &clients {
            streams.push(open_stream(&kring, client, &path, None).await);
        }
        let (status, _) = kring
            .call(
                &clients[0],
                "forum/reply",
                &[("thread", WELCOME_THREAD), ("body", "Our family map")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let arrived = next_post_on_each(&mut streams).await;
        let [lucia, amara, anush, jana, facilitator, admin] = &arrived[..] else {
            unreachable!()
        };
        let post = newest_post_id(lucia);
        let edit_link = format!("/forum/posts/{post}/edit");
        assert!(
            lucia.contains(&edit_link) && lucia.contains(">Eliminar<"),
            "{lucia}"
        );
        for other in [amara, anush, jana, facilitator] {
            assert!(
                !other.contains(&edit_link),
                "only the author may edit: {other}"
            );
            assert!(other.contains("Our family map"));
        }
        assert!(facilitator.contains("hide-post"), "{facilitator}");
        assert_eq!(admin, facilitator, "readers alike get the same HTML");
        for member in [lucia, amara, anush, jana] {
            assert!(!member.contains("hide-post"), "only staff hide: {member}");
        }
        assert!(jana.contains(">Zitieren<"), "in her language: {jana}");
        assert_ne!(when(amara), when(anush), "each in their own zone");

        // Hidden: the text and the reason reach the author and staff only.
        let (status, _) = kring
            .call(
                &clients[4],
                "forum/posts/hide",
                &[("post", &post.to_string()), ("reason", "Names a school")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let hidden = next_post_on_each(&mut streams).await;
        for (name, html) in names.iter().zip(&hidden) {
            let may_see = matches!(*name, "lucia" | "facilitator" | "admin");
            assert_eq!(html.contains("Names a school"), may_see, "{name}: {html}");
            assert_eq!(html.contains("Our family map"), may_see, "{name}: {html}");
        }
    });
}

#[tokio::test]
async fn a_renamed_or_erased_author_is_never_replayed_under_the_old_name() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let jana = kring.logged_in("jana@demo.kring").await;
        let start_at = latest_event(&kring, &jana).await;
        let path = format!("/live/threads/{WELCOME_THREAD}");
        let mut stream = open_stream(&kring, &jana, &path, Some(start_at)).await;
        let (status, _) = kring
            .call(
                &lucia,
                "forum/reply",
                &[("thread", WELCOME_THREAD), ("body", "Our family map")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        // Delivered live, so this instance keeps the post loaded.
        let first = read_posts(&mut stream, 1, Duration::from_secs(2)).await;
        assert!(first[0].1.contains("Lucía Quispe"), "{first:?}");

        let (status, _) = kring
            .call(
                &lucia,
                "update-profile",
                &[
                    ("display_name", "Lucía Mamani"),
                    ("organisation", ""),
                    ("country", "PE"),
                    ("language", "es"),
                    ("time_zone", "America/Lima"),
                ],
            )
            .await;
        assert!(went_through(status), "{status}");
        let renamed = |html: &str| html.contains("Lucía Mamani") && !html.contains("Quispe");
        let replayed = replay_after(&kring, &jana, &path, start_at, renamed).await;
        assert!(renamed(&replayed), "{replayed}");

        let (status, _) = kring
            .call(
                &lucia,
                "privacy/erase",
                &[("password", kring_db::demo::DEMO_PASSWORD)],
            )
            .await;
        assert!(went_through(status), "{status}");
        let erased = |html: &str| html.contains("Our family map") && !html.contains("Lucía");
        let replayed = replay_after(&kring, &jana, &path, start_at, erased).await;
        assert!(erased(&replayed), "{replayed}");
    });
}

/// The first post a stream opened after `event` replays, once it is as
/// `expected` (a change reaches the live layer through the event pump, as it
/// reaches another instance), or as it still is after five seconds.
async fn replay_after(
    kring: &Running,
    client: &reqwest::Client,
    path: &str,
    event: i64,
    expected: impl Fn(&str) -> bool,
) -> String {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let mut stream = open_stream(kring, client, path, Some(event)).await;
        let html = read_posts(&mut stream, 1, Duration::from_secs(2))
            .await
            .remove(0)
            .1;
        if expected(&html) || Instant::now() > deadline {
            return html;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Pages come compressed; a live stream never is (each event must go out whole
/// at once), so it passes no compression layer at all.
#[tokio::test]
async fn pages_come_compressed_and_live_events_as_they_are() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let jana = kring.logged_in("jana@demo.kring").await;
        let page = jana
            .get(format!("{}/forum/threads/{WELCOME_THREAD}", kring.base))
            .header("Accept-Encoding", "br, gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(page.headers()["content-encoding"], "br");

        let start_at = latest_event(&kring, &jana).await;
        let mut stream = jana
            .get(format!(
                "{}/live/threads/{WELCOME_THREAD}?after={start_at}",
                kring.base
            ))
            .header("Accept-Encoding", "br, gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(stream.status(), StatusCode::OK);
        assert_eq!(stream.headers()["content-type"], "text/event-stream");
        assert!(stream.headers().get("content-encoding").is_none());
        let (status, _) = kring
            .call(
                &lucia,
                "forum/reply",
                &[("thread", WELCOME_THREAD), ("body", "As it is")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let posts = read_posts(&mut stream, 1, Duration::from_secs(2)).await;
        assert!(posts[0].1.contains("As it is"), "{posts:?}");
    });
}

/// The newest event of the welcome thread, as `client` asks for it: streams
/// opened after it bring only what follows.
async fn latest_event(kring: &Running, client: &reqwest::Client) -> i64 {
    let (_, thread) = kring
        .call(client, "forum/thread", &[("id", WELCOME_THREAD)])
        .await;
    thread["latest_event"].as_i64().unwrap()
}

/// The HTML of the next post each stream brings.
async fn next_post_on_each(streams: &mut [reqwest::Response]) -> Vec<String> {
    let mut posts = Vec::new();
    for stream in streams {
        let mut next = read_posts(stream, 1, Duration::from_secs(2)).await;
        posts.push(next.remove(0).1);
    }
    posts
}

/// The id of the post in a live event's HTML.
fn newest_post_id(html: &str) -> i64 {
    let (_, rest) = html.split_once("id=\"post-").expect("a post");
    rest.split('"').next().unwrap().parse().unwrap()
}

/// The time a post's HTML shows.
fn when(html: &str) -> &str {
    let (_, rest) = html.split_once("class=\"when\"").expect("a time");
    let (_, rest) = rest.split_once('>').unwrap();
    rest.split('<').next().unwrap()
}

/// Reads a stream until its text holds `needle`, or fails after `limit`.
async fn read_until(response: &mut reqwest::Response, needle: &str, limit: Duration) -> String {
    let deadline = Instant::now() + limit;
    let mut text = String::new();
    while !text.contains(needle) {
        let left = deadline.saturating_duration_since(Instant::now());
        let chunk = tokio::time::timeout(left, response.chunk())
            .await
            .unwrap_or_else(|_| panic!("{needle:?} within {limit:?}; got {text:?}"))
            .unwrap()
            .expect("the stream stays open");
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    text
}

#[tokio::test]
async fn one_connection_carries_the_topics_of_every_tab_and_refuses_those_not_to_be_read() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let jana = kring.logged_in("jana@demo.kring").await;
        let start_at = latest_event(&kring, &jana).await;
        // Jana is no member of the consultation circle (thread 8): that topic is
        // refused, the others go on.
        let path = format!("/live?topics=t{WELCOME_THREAD}:{start_at},c{GENERAL}:{start_at},t8:0");
        let mut shared = open_stream(&kring, &jana, &path, None).await;
        read_until(
            &mut shared,
            "event: refused\ndata: t8\n",
            Duration::from_secs(2),
        )
        .await;

        // Lucía writes in the circle, then in the welcome thread: Jana's
        // connection brings the welcome thread's post and the category's news,
        // each named by its topic, and nothing of the circle.
        for (thread, body) in [
            ("8", "Only for the circle"),
            (WELCOME_THREAD, "Hello, all tabs"),
        ] {
            let (status, _) = kring
                .call(&lucia, "forum/reply", &[("thread", thread), ("body", body)])
                .await;
            assert_eq!(status, StatusCode::OK);
        }
        let mut events = read_posts(&mut shared, 2, Duration::from_secs(2)).await;
        // The topics' streams interleave: in either order.
        events.sort_by_key(|(_, data)| data.starts_with('c'));
        let (post_id, post) = &events[0];
        assert!(
            post.starts_with(&format!("t{WELCOME_THREAD}\n<")),
            "{events:?}"
        );
        assert!(post.contains("Hello, all tabs") && !post.contains("Only for the circle"));
        assert_eq!(
            events[1],
            (*post_id, format!("c{GENERAL}\n{WELCOME_THREAD}"))
        );

        // A reconnect from where it stopped replays nothing.
        drop(shared);
        let path = format!("/live?topics=t{WELCOME_THREAD}:{post_id},c{GENERAL}:{post_id}");
        let mut again = open_stream(&kring, &jana, &path, None).await;
        let (status, _) = kring
            .call(
                &lucia,
                "forum/reply",
                &[("thread", WELCOME_THREAD), ("body", "Once more")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let events = read_posts(&mut again, 2, Duration::from_secs(2)).await;
        let post = events
            .iter()
            .find(|(_, data)| data.starts_with('t'))
            .unwrap();
        assert!(
            post.0 > *post_id && post.1.contains("Once more"),
            "{events:?}"
        );

        // Nothing to follow, a list that is no list, or only what she may not
        // read: refused as a single stream would be, in her language.
        for (topics, status) in [
            ("", StatusCode::BAD_REQUEST),
            ("t7:0,t7:0", StatusCode::BAD_REQUEST),
            ("t7:-1", StatusCode::BAD_REQUEST),
            ("t8:0", StatusCode::FORBIDDEN),
            ("t99999:0", StatusCode::NOT_FOUND),
        ] {
            let (got, body) = kring.get(&jana, &format!("/live?topics={topics}")).await;
            assert_eq!(got, status, "{topics}: {body}");
        }
        let (got, _) = kring
            .get(
                &crate::support::client(),
                &format!("/live?topics=t{WELCOME_THREAD}:0"),
            )
            .await;
        assert_eq!(got, StatusCode::UNAUTHORIZED);
    });
}
