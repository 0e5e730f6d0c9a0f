//! `make bench-memory`: how much memory a small server needs. A benchmark that
//! prints figures, not a test.
//!
//! Starts the release `kring` binary (`KRING_BIN`) on a fresh SQLite file with
//! the demo data, signs up 100 people one after another (each from their own
//! address, behind a pretend proxy, so no limit per network turns them away),
//! lets it settle, then has the 100 log in at once (each a password hash) and
//! samples the server's resident memory throughout. It
//! prints resident memory at rest with the demo loaded, the peak during the
//! burst, and the figure one minute after it, against the goals: at most 50 MB
//! at rest, and back within 50 MB of that a minute after the burst.

mod released;

use released::ReleasedKring;
use reqwest::Client;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const LOGINS: usize = 100;
const SETTLE: Duration = Duration::from_secs(5);
const AFTER_THE_BURST: Duration = Duration::from_secs(60);
const IDLE_GOAL_MB: f64 = 50.0;
const RETURN_GOAL_MB: f64 = 50.0;

fn megabytes(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn email(n: usize) -> String {
    format!("burst{n}@example.org")
}

fn password(n: usize) -> String {
    format!("a long enough phrase {n}")
}

/// The `n`th person's own address.
fn address(n: usize) -> String {
    format!("10.9.{}.{}", n / 256, n % 256)
}

/// Signs up the people who will log in, one at a time.
async fn sign_up_everyone(base: &str) {
    let client = Client::new();
    for n in 0..LOGINS {
        let form = [
            ("display_name", format!("Burst {n}")),
            ("email", email(n)),
            ("password", password(n)),
            ("organisation", String::new()),
            ("country", "KE".to_owned()),
            ("language", "en".to_owned()),
            ("time_zone", "Africa/Nairobi".to_owned()),
        ];
        let response = client
            .post(format!("{base}/api/register"))
            .header("X-Forwarded-For", address(n))
            .header("Accept", "application/json")
            .form(&form)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "sign-up {n}: {}",
            response.status()
        );
    }
}

#[tokio::main]
async fn main() {
    let server =
        ReleasedKring::start(None, &[("KRING_TRUST_PROXY", "1"), ("RUST_LOG", "error")]).await;
    tokio::time::sleep(SETTLE).await;
    let demo_only = server.resident_kib();
    sign_up_everyone(&server.base).await;
    tokio::time::sleep(SETTLE).await;
    let idle = server.resident_kib();

    let peak = Arc::new(AtomicU64::new(idle));
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (peak, sampling, pid) = (peak.clone(), sampling.clone(), server.pid());
        tokio::spawn(async move {
            while sampling.load(Ordering::Relaxed) {
                peak.fetch_max(released::resident_kib(pid), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
    };
    let started = Instant::now();
    let logins = (0..LOGINS).map(|n| {
        let url = format!("{}/api/login", server.base);
        tokio::spawn(async move {
            let client = Client::builder()
                .timeout(Duration::from_secs(120))
                .build()
                .unwrap();
            let form = [("email", email(n)), ("password", password(n))];
            client
                .post(url)
                .header("X-Forwarded-For", address(n))
                .header("Accept", "application/json")
                .form(&form)
                .send()
                .await
                .is_ok_and(|response| response.status().is_success())
        })
    });
    let mut logged_in = 0;
    for login in logins.collect::<Vec<_>>() {
        logged_in += usize::from(login.await.unwrap());
    }
    let took = started.elapsed();
    sampling.store(false, Ordering::Relaxed);
    sampler.await.unwrap();
    let peak = peak.load(Ordering::Relaxed);
    tokio::time::sleep(AFTER_THE_BURST).await;
    let after = server.resident_kib();

    let (idle_mb, peak_mb, after_mb) = (megabytes(idle), megabytes(peak), megabytes(after));
    let verdict = |met: bool| if met { "met" } else { "MISSED" };
    println!(
        "server memory (resident), release build, SQLite with the demo data, {LOGINS} logins at once"
    );
    println!("{:<44} {:>9}   goal", "", "MB");
    let demo_mb = megabytes(demo_only);
    println!(
        "{:<44} {demo_mb:>9.1}   ≤ {IDLE_GOAL_MB:.0} MB: {}",
        "at rest with the demo loaded",
        verdict(demo_mb <= IDLE_GOAL_MB)
    );
    println!(
        "{:<44} {idle_mb:>9.1}   ≤ {IDLE_GOAL_MB:.0} MB: {}",
        format!("at rest after {LOGINS} sign-ups, one at a time"),
        verdict(idle_mb <= IDLE_GOAL_MB)
    );
    println!(
        "{:<44} {peak_mb:>9.1}",
        format!(
            "peak during the burst ({logged_in} of {LOGINS} in, {:.1} s)",
            took.as_secs_f64()
        )
    );
    println!(
        "{:<44} {after_mb:>9.1}   ≤ at rest + {RETURN_GOAL_MB:.0} MB: {}",
        format!("{} s after the burst", AFTER_THE_BURST.as_secs()),
        verdict(after_mb <= idle_mb + RETURN_GOAL_MB)
    );
}
