//! `make flood`: what an anonymous flood does to a running Kring. A benchmark
//! that prints figures, not a test.
//!
//! Starts the release `kring` binary (`KRING_BIN`) on a fresh SQLite file with
//! the demo data, behind a pretend proxy (`KRING_TRUST_PROXY=1`, so each request
//! may claim its own client address, as a flood from many machines would), and
//! sends, each as 500 requests at once: sign-ups from one network, sign-ups
//! from 500 networks, and wrong passwords from 500 networks. Throughout it
//! samples the server's resident memory and how long `/healthz` takes to answer,
//! and prints the peak memory, the `/healthz` percentiles and what the flood got
//! back, per wave.

mod released;

use released::{resident_kib, ReleasedKring};
use reqwest::{Client, StatusCode};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const AT_ONCE: usize = 500;
const SAMPLE_EVERY: Duration = Duration::from_millis(20);

/// Memory and `/healthz` answer times, sampled while a wave runs.
struct Samples {
    peak_kib: AtomicU64,
    health_ms: Mutex<Vec<f64>>,
    failed_health: AtomicU64,
    running: AtomicBool,
}

fn sample(pid: u32, base: String, samples: Arc<Samples>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let health = Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        while samples.running.load(Ordering::Relaxed) {
            samples
                .peak_kib
                .fetch_max(resident_kib(pid), Ordering::Relaxed);
            let asked = Instant::now();
            match health.get(format!("{base}/healthz")).send().await {
                Ok(response) if response.status().is_success() => samples
                    .health_ms
                    .lock()
                    .unwrap()
                    .push(asked.elapsed().as_secs_f64() * 1000.0),
                _ => {
                    samples.failed_health.fetch_add(1, Ordering::Relaxed);
                }
            }
            tokio::time::sleep(SAMPLE_EVERY).await;
        }
    })
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// One request of a wave: (path, form, claimed client address).
type Request = (&'static str, Vec<(&'static str, String)>, Option<String>);

async fn wave(server: &ReleasedKring, name: &str, requests: Vec<Request>) {
    let samples = Arc::new(Samples {
        peak_kib: AtomicU64::new(server.resident_kib()),
        health_ms: Mutex::new(Vec::new()),
        failed_health: AtomicU64::new(0),
        running: AtomicBool::new(true),
    });
    let sampler = sample(server.pid(), server.base.clone(), samples.clone());
    let started = Instant::now();
    let flood = requests.into_iter().map(|(path, form, address)| {
        let url = format!("{}{path}", server.base);
        tokio::spawn(async move {
            let client = Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap();
            let mut request = client.post(url).form(&form);
            if let Some(address) = address {
                request = request.header("X-Forwarded-For", address);
            }
            match request.send().await {
                Ok(response) => response.status().as_u16().to_string(),
                Err(_) => "no answer".to_owned(),
            }
        })
    });
    let mut answers: BTreeMap<String, usize> = BTreeMap::new();
    for answer in flood.collect::<Vec<_>>() {
        *answers.entry(answer.await.unwrap()).or_default() += 1;
    }
    let took = started.elapsed();
    samples.running.store(false, Ordering::Relaxed);
    sampler.await.unwrap();
    let mut health = samples.health_ms.lock().unwrap().clone();
    health.sort_by(f64::total_cmp);
    let answers: Vec<String> = answers
        .iter()
        .map(|(status, count)| {
            let reason = status
                .parse::<u16>()
                .ok()
                .and_then(|code| StatusCode::from_u16(code).ok())
                .and_then(|code| code.canonical_reason())
                .unwrap_or("");
            format!("{count}× {status} {reason}")
        })
        .collect();
    println!(
        "{name:<38} {:>7.1} s {:>9.0} MB {:>7.1} {:>7.1} {:>7.1} {:>6}   {}",
        took.as_secs_f64(),
        samples.peak_kib.load(Ordering::Relaxed) as f64 / 1024.0,
        percentile(&health, 0.5),
        percentile(&health, 0.95),
        health.last().copied().unwrap_or(f64::NAN),
        samples.failed_health.load(Ordering::Relaxed),
        answers.join(", ")
    );
}

fn sign_up(n: usize) -> Vec<(&'static str, String)> {
    vec![
        ("display_name", format!("Flood {n}")),
        ("email", format!("flood{n}@example.org")),
        ("password", format!("a long enough phrase {n}")),
        ("organisation", String::new()),
        ("country", "KE".to_owned()),
        ("language", "en".to_owned()),
        ("time_zone", "Africa/Nairobi".to_owned()),
    ]
}

/// A client address of the `n`th machine of a flood.
fn machine(n: usize) -> Option<String> {
    Some(format!(
        "10.{}.{}.{}",
        n / 65536 % 256,
        n / 256 % 256,
        n % 256
    ))
}

#[tokio::main]
async fn main() {
    let server =
        ReleasedKring::start(None, &[("KRING_TRUST_PROXY", "1"), ("RUST_LOG", "error")]).await;
    let idle = server.resident_kib();
    println!(
        "anonymous flood: {AT_ONCE} requests at once per wave against {} (resident at rest: {:.0} MB)",
        server.base,
        idle as f64 / 1024.0
    );
    println!(
        "{:<38} {:>9} {:>12} {:>7} {:>7} {:>7} {:>6}   answers",
        "wave", "took", "peak memory", "p50 ms", "p95 ms", "max ms", "missed"
    );
    println!(
        "{:<38} {:>9} {:>12} {:>31}",
        "", "", "", "(/healthz while flooded)"
    );
    wave(
        &server,
        "sign-ups from one network",
        (0..AT_ONCE)
            .map(|n| ("/api/register", sign_up(n), machine(1)))
            .collect(),
    )
    .await;
    wave(
        &server,
        "sign-ups from 500 networks",
        (0..AT_ONCE)
            .map(|n| ("/api/register", sign_up(AT_ONCE + n), machine(1000 + n)))
            .collect(),
    )
    .await;
    wave(
        &server,
        "wrong passwords from 500 networks",
        (0..AT_ONCE)
            .map(|n| {
                let form = vec![
                    ("email", format!("member{}@demo.kring", n % 50)),
                    ("password", format!("guess {n}")),
                ];
                ("/api/login", form, machine(2000 + n))
            })
            .collect(),
    )
    .await;
    wave(
        &server,
        "wrong passwords for one account",
        (0..AT_ONCE)
            .map(|n| {
                let form = vec![
                    ("email", "lucia@demo.kring".to_owned()),
                    ("password", format!("guess {n}")),
                ];
                ("/api/login", form, machine(3000 + n))
            })
            .collect(),
    )
    .await;
    println!(
        "resident after the flood: {:.0} MB",
        server.resident_kib() as f64 / 1024.0
    );
}
