//! Live forum updates over HTTP on SQLite and PostgreSQL: posts arrive, a
//! reconnect catches up exactly after a dropped connection, and two app
//! instances share one PostgreSQL database. (Demo forum: category 5 is
//! General, thread 7 its welcome thread.)

use crate::support::{open_stream, read_posts, start, Running};
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
        let (_, thread) = kring
            .call(&jana, "forum/thread", &[("id", WELCOME_THREAD)])
            .await;
        let start_at = thread["latest_event"].as_i64().unwrap();
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
    let (_, thread) = instance_b
        .call(&on_b, "forum/thread", &[("id", WELCOME_THREAD)])
        .await;
    let after = thread["latest_event"].as_i64().unwrap();
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
