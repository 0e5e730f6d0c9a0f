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
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

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

/// A session cookie of `handle`'s (`kring_session=…`), for the subscribers' own requests.
async fn session_cookie(base: &str, handle: &str) -> String {
    let response = Client::new()
        .post(format!("{base}/api/login"))
        .form(&[
            ("email", format!("{handle}@demo.kring")),
            ("password", "kring-demo-2026".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|cookie| cookie.to_str().ok())
        .find(|cookie| cookie.starts_with("kring_session="))
        .and_then(|cookie| cookie.split(';').next())
        .expect("a session cookie")
        .to_owned()
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

/// The processor time process `pid` (or `self`) has used so far, user and system.
fn cpu_time(pid: &str) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // After the command name in parentheses: state is field 3, utime 14 and stime 15.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&field| fields.get(field)?.parse::<u64>().ok())
        .sum();
    // Linux counts in ticks of 1/100 s (USER_HZ).
    Duration::from_millis(ticks * 10)
}

/// Where a subscriber connects, and the request it sends there.
struct Subscription {
    address: String,
    request: Vec<u8>,
}

impl Subscription {
    fn new(base: &str, path: &str, cookie: &str) -> Arc<Self> {
        let address = base.trim_start_matches("http://").to_owned();
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {address}\r\nCookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n"
        );
        Arc::new(Subscription {
            address,
            request: request.into_bytes(),
        })
    }
}

/// One subscriber: reads its stream and notes when each post's marker
/// arrives. Kept cheap, since its work shares the server's two cores and
/// whatever it spends delays the subscribers read after it: a bare HTTP/1.1
/// request on its own connection, whose bytes (chunked, one chunk per event,
/// so no marker is split by the chunks' framing) are searched once for the
/// round's marker, and arrivals kept by the subscriber until the round ends.
async fn subscribe(
    subscription: Arc<Subscription>,
    round: usize,
    arrived: Arc<AtomicUsize>,
    ready: Arc<tokio::sync::Barrier>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> Vec<(usize, Instant)> {
    let mut stream = TcpStream::connect(&subscription.address)
        .await
        .expect("subscribe");
    stream.set_nodelay(true).expect("no delay");
    stream
        .write_all(&subscription.request)
        .await
        .expect("subscribe");
    let mut buffer = vec![0; 4096];
    let mut unread: Vec<u8> = Vec::new();
    let head_ends = loop {
        let read = stream.read(&mut buffer).await.expect("the response");
        assert!(read > 0, "the server closed the subscription");
        unread.extend_from_slice(&buffer[..read]);
        if let Some(end) = memchr::memmem::find(&unread, b"\r\n\r\n") {
            break end + 4;
        }
    };
    assert!(
        unread.starts_with(b"HTTP/1.1 200"),
        "subscribe: {}",
        String::from_utf8_lossy(&unread[..head_ends])
    );
    unread.drain(..head_ends);
    ready.wait().await;
    let prefix = format!("bench-{round}-");
    let finder = memchr::memmem::Finder::new(prefix.as_bytes());
    let mut arrivals = Vec::with_capacity(POSTS);
    let mut seen = [false; POSTS];
    loop {
        tokio::select! {
            read = stream.read(&mut buffer) => {
                let Ok(read @ 1..) = read else { break };
                let at = Instant::now();
                unread.extend_from_slice(&buffer[..read]);
                for start in finder.find_iter(&unread) {
                    // A marker is whole once its number is followed by its full stop.
                    let number = &unread[start + prefix.len()..];
                    let digits = number.iter().take_while(|byte| byte.is_ascii_digit()).count();
                    if number.get(digits) != Some(&b'.') {
                        continue;
                    }
                    let post: usize = std::str::from_utf8(&number[..digits])
                        .ok()
                        .and_then(|digits| digits.parse().ok())
                        .expect("a marker's number");
                    if !seen[post] {
                        seen[post] = true;
                        arrivals.push((post, at));
                        arrived.fetch_add(1, Ordering::Relaxed);
                    }
                }
                // Keep only the unfinished event at the end of the stream.
                if let Some(end) = memchr::memmem::rfind(&unread, b"\n\n") {
                    unread.drain(..end + 2);
                }
            }
            _ = stop.changed() => break,
        }
    }
    arrivals
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
    let cookie = session_cookie(&base, "jana").await;
    println!(
        "live updates: {POSTS} posts to one thread, delivered to N subscribers ({instances} instance(s), posts to {base})"
    );
    println!(
        "{:>12} {:>11} {:>9} {:>9} {:>9} {:>9} {:>18} {:>9} {:>9}",
        "subscribers",
        "deliveries",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "memory/connection",
        "server ms",
        "bench ms"
    );
    println!("(server ms, bench ms: processor time the server(s) and this benchmark used while the posts went out)");
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
        let subscriptions: Vec<Arc<Subscription>> = servers
            .iter()
            .map(|server| {
                let path = format!("/live/threads/{THREAD}?after={after}");
                Subscription::new(&server.base, &path, &cookie)
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(500)).await;
        let memory_before = resident();
        let arrived = Arc::new(AtomicUsize::new(0));
        let ready = Arc::new(tokio::sync::Barrier::new(subscribers + 1));
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let mut tasks = Vec::new();
        for subscriber in 0..subscribers {
            tasks.push(tokio::spawn(subscribe(
                subscriptions[subscriber % subscriptions.len()].clone(),
                round,
                arrived.clone(),
                ready.clone(),
                stopped.clone(),
            )));
        }
        ready.wait().await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let memory_open = resident();
        let server_cpu = || {
            servers
                .iter()
                .map(|server| cpu_time(&server.pid().to_string()))
                .sum::<Duration>()
        };
        let cpu_before = (server_cpu(), cpu_time("self"));
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
        while arrived.load(Ordering::Relaxed) < expected && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let cpu_used = (server_cpu() - cpu_before.0, cpu_time("self") - cpu_before.1);
        stop.send(true).expect("the subscribers listen");
        let mut latencies: Vec<f64> = Vec::with_capacity(expected);
        for task in tasks {
            for (post, at) in task.await.expect("a subscriber") {
                latencies.push(at.duration_since(sent[post]).as_secs_f64() * 1000.0);
            }
        }
        latencies.sort_by(f64::total_cmp);
        let per_connection = memory_open.saturating_sub(memory_before) as f64 / subscribers as f64;
        println!(
            "{:>12} {:>5}/{:<5} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>14.1} KiB {:>9} {:>9}",
            subscribers,
            latencies.len(),
            expected,
            percentile(&latencies, 50.0),
            percentile(&latencies, 95.0),
            percentile(&latencies, 99.0),
            latencies.last().copied().unwrap_or(f64::NAN),
            per_connection,
            cpu_used.0.as_millis(),
            cpu_used.1.as_millis(),
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
