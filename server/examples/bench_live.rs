//! `make bench-live`: how fast posts reach live subscribers, and what each open
//! connection costs the server. A benchmark that prints figures, not a test.
//!
//! Starts the release `kring` binary (`KRING_BIN`) on a fresh SQLite file with
//! the demo data (or on `BENCH_DATABASE_URL`, an empty PostgreSQL database),
//! opens N live subscriptions to one thread, posts M replies through the HTTP
//! API and measures, for every (subscriber, post), the time from sending the
//! post to its arrival. Memory per connection is the growth of the server's
//! resident memory while the N connections are open, divided by N.
//!
//! With `BENCH_INSTANCES=2` (and `BENCH_DATABASE_URL`, the instances' shared
//! PostgreSQL database) two instances run, the subscribers split between them,
//! and every post goes to the first: the second hears of it through the database.

mod released;

use released::ReleasedKring;
use reqwest::Client;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

const THREAD: &str = "7";
const POSTS: usize = 10;
/// Posting a little apart, as people do; also keeps each author under the posting rate limit.
const BETWEEN_POSTS: Duration = Duration::from_millis(300);
const AUTHORS: [&str; 10] = [
    "amara",
    "lucia",
    "anush",
    "priya",
    "jana",
    "sanne",
    "wanjiru",
    "rami",
    "facilitator",
    "admin",
];

async fn logged_in(base: &str, handle: &str) -> Client {
    let client = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let response = client
        .post(format!("{base}/api/login"))
        .form(&[
            ("email", format!("{handle}@demo.kring")),
            ("password", "kring-demo-2026".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "login {handle}: {}",
        response.status()
    );
    client
}

/// The text that tells post `post` of round `round` in a stream.
fn marker(round: usize, post: usize) -> String {
    format!("bench-{round}-{post}.")
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank]
}

/// One subscriber: reads its stream and records when each of `markers` (one
/// per post) arrives. Kept cheap: its work shares the server's two cores.
async fn subscribe(
    client: Client,
    url: String,
    markers: Arc<[String; POSTS]>,
    arrivals: Arc<Mutex<Vec<(usize, Instant)>>>,
    ready: Arc<tokio::sync::Barrier>,
    stop: Arc<tokio::sync::Notify>,
) {
    let mut response = client.get(&url).send().await.expect("subscribe");
    assert!(
        response.status().is_success(),
        "subscribe: {}",
        response.status()
    );
    ready.wait().await;
    let mut seen = [false; POSTS];
    let mut text = String::new();
    loop {
        tokio::select! {
            chunk = response.chunk() => {
                let Ok(Some(chunk)) = chunk else { return };
                let at = Instant::now();
                text.push_str(&String::from_utf8_lossy(&chunk));
                for (post, seen) in seen.iter_mut().enumerate() {
                    if !*seen && text.contains(markers[post].as_str()) {
                        *seen = true;
                        arrivals.lock().await.push((post, at));
                    }
                }
                // Keep only the unfinished tail of the stream.
                if let Some(end) = text.rfind("\n\n") {
                    text.drain(..end + 2);
                }
            }
            () = stop.notified() => return,
        }
    }
}

const ROUNDS: [usize; 5] = [100, 500, 2_000, 5_000, 10_000];

#[tokio::main]
async fn main() {
    let database = std::env::var("BENCH_DATABASE_URL").ok();
    let instances: usize = std::env::var("BENCH_INSTANCES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    assert!(
        instances == 1 || database.is_some(),
        "two instances share a PostgreSQL database: set BENCH_DATABASE_URL"
    );
    let settings = [
        // One reader holds every subscription here; real people are capped at a dozen.
        ("KRING_LIVE_PER_PERSON", "100000"),
        ("KRING_LIVE_CONNECTIONS", "20000"),
        ("RUST_LOG", "warn"),
    ];
    let mut servers = Vec::new();
    for _ in 0..instances {
        servers.push(ReleasedKring::start(database.clone(), &settings).await);
    }
    let resident = || servers.iter().map(ReleasedKring::resident_kib).sum::<u64>();
    let server = &servers[0];
    let base = server.base.clone();
    let authors: Vec<Client> = {
        let mut clients = Vec::new();
        for handle in AUTHORS {
            clients.push(logged_in(&base, handle).await);
        }
        clients
    };
    let reader = logged_in(&base, "jana").await;
    println!(
        "live updates: {POSTS} posts to one thread, delivered to N subscribers ({instances} instance(s), posts to {base})"
    );
    println!(
        "{:>12} {:>11} {:>9} {:>9} {:>9} {:>9} {:>18}",
        "subscribers", "deliveries", "p50 ms", "p95 ms", "p99 ms", "max ms", "memory/connection"
    );
    for (round, subscribers) in ROUNDS.into_iter().enumerate() {
        let latest: serde_json::Value = reader
            .post(format!("{base}/api/forum/thread"))
            .form(&[("id", THREAD)])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let after = latest["latest_event"].as_i64().unwrap();
        let urls: Vec<String> = servers
            .iter()
            .map(|server| format!("{}/live/threads/{THREAD}?after={after}", server.base))
            .collect();
        tokio::time::sleep(Duration::from_millis(500)).await;
        let memory_before = resident();
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let ready = Arc::new(tokio::sync::Barrier::new(subscribers + 1));
        let stop = Arc::new(tokio::sync::Notify::new());
        let markers: Arc<[String; POSTS]> =
            Arc::new(std::array::from_fn(|post| marker(round, post)));
        let mut tasks = Vec::new();
        for subscriber in 0..subscribers {
            tasks.push(tokio::spawn(subscribe(
                reader.clone(),
                urls[subscriber % urls.len()].clone(),
                markers.clone(),
                arrivals.clone(),
                ready.clone(),
                stop.clone(),
            )));
        }
        ready.wait().await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let memory_open = resident();
        let mut sent = Vec::new();
        for post in 0..POSTS {
            let author = &authors[post % authors.len()];
            let at = Instant::now();
            let response = author
                .post(format!("{base}/api/forum/reply"))
                .header("Accept", "application/json")
                .form(&[
                    ("thread", THREAD),
                    ("body", &format!("Benchmark post {}", marker(round, post))),
                ])
                .send()
                .await
                .unwrap();
            assert!(
                response.status().is_success(),
                "post: {}",
                response.status()
            );
            sent.push(at);
            tokio::time::sleep(BETWEEN_POSTS).await;
        }
        let expected = subscribers * POSTS;
        let deadline = Instant::now() + Duration::from_secs(30);
        while arrivals.lock().await.len() < expected && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        stop.notify_waiters();
        for task in tasks {
            task.abort();
        }
        let arrivals = arrivals.lock().await;
        let mut latencies: Vec<f64> = arrivals
            .iter()
            .map(|(post, at)| at.duration_since(sent[*post]).as_secs_f64() * 1000.0)
            .collect();
        latencies.sort_by(f64::total_cmp);
        let per_connection = memory_open.saturating_sub(memory_before) as f64 / subscribers as f64;
        println!(
            "{:>12} {:>5}/{:<5} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>14.1} KiB",
            subscribers,
            latencies.len(),
            expected,
            percentile(&latencies, 50.0),
            percentile(&latencies, 95.0),
            percentile(&latencies, 99.0),
            latencies.last().copied().unwrap_or(f64::NAN),
            per_connection,
        );
        drop(arrivals);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
