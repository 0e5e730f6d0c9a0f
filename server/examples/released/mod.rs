//! The release `kring` binary (`KRING_BIN`) as the benchmarks run it: on a free
//! loopback port with the demo data, stopped and its data removed when dropped.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct ReleasedKring {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The SQLite folder made for this run, if it made one.
    data: Option<PathBuf>,
}

impl ReleasedKring {
    /// Starts the binary on `database_url`, or on a fresh SQLite file when
    /// `None`, with `settings` added to its environment, and waits for `/healthz`.
    pub async fn start(database_url: Option<String>, settings: &[(&str, &str)]) -> ReleasedKring {
        let binary =
            std::env::var("KRING_BIN").unwrap_or_else(|_| "target/release/kring".to_owned());
        let port = {
            let socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            socket.local_addr().unwrap().port()
        };
        let (url, data) = match database_url {
            Some(url) => (url, None),
            None => {
                let dir = std::env::temp_dir().join(format!("kring-bench-{}", std::process::id()));
                std::fs::create_dir_all(&dir).unwrap();
                (format!("sqlite:{}/kring.sqlite", dir.display()), Some(dir))
            }
        };
        let child = Command::new(&binary)
            .env("KRING_ADDR", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", &url)
            .env("KRING_DEMO", "1")
            .envs(settings.iter().copied())
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!("cannot start {binary}: {error} (run `make build` first)")
            });
        let mut kring = ReleasedKring {
            child,
            base: format!("http://127.0.0.1:{port}"),
            data,
        };
        for _ in 0..300 {
            if reqwest::get(format!("{}/healthz", kring.base))
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return kring;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = kring.child.kill();
        panic!("the server did not start");
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn resident_kib(&self) -> u64 {
        resident_kib(self.pid())
    }
}

impl Drop for ReleasedKring {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(dir) = &self.data {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Resident memory of process `pid`, in KiB.
pub fn resident_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
