//! Configuration from the environment, with defaults that work on a fresh machine.

use std::net::SocketAddr;

#[derive(Debug, Clone)]
pub struct Config {
    /// `KRING_ADDR`, default 127.0.0.1:3000.
    pub addr: SocketAddr,
    /// `DATABASE_URL`: `sqlite:…` or `postgres://…`; default a SQLite file under `data/`.
    pub database_url: String,
    /// `KRING_DEMO=1`: load the demo program into an empty database.
    pub load_demo: bool,
    /// `KRING_OPEN_REGISTRATION=1`: anyone may create an account at `/register`. Off by
    /// default, so that the public cannot fill a real deployment with accounts; on by
    /// default for the demo.
    pub open_registration: bool,
    /// `KRING_TRUST_PROXY=1`: take the client address from `X-Forwarded-For` and
    /// the scheme from `X-Forwarded-Proto` (only behind a proxy that sets them).
    pub trust_proxy: bool,
    /// `KRING_PUBLIC_URL`: the address people reach Kring at, for links in e-mail;
    /// default `http://` plus `addr`.
    pub public_url: String,
    /// `SMTP_URL`, e.g. `smtp://user:password@mail.example.org:587?tls=required`;
    /// without it Kring sends no e-mail (reminders stay in the app).
    pub smtp_url: Option<String>,
    /// `SMTP_FROM`, default `Kring <kring@localhost>`.
    pub smtp_from: String,
    /// `KRING_HASHING_MEMORY_MIB`, default 128: the memory password hashes
    /// running at once may take together (each takes 19 MiB).
    pub hashing_memory_mib: usize,
    /// `KRING_MAX_REQUESTS`, default 256: pages and calls served at once by
    /// this instance; more are refused at once as busy.
    pub max_requests: usize,
    /// `KRING_REQUEST_TIMEOUT_SECS`, default 30: the longest a page or call may take.
    pub request_timeout_secs: u64,
    /// `KRING_LIVE_PER_PERSON`, default 12: live connections (open tabs and
    /// devices) one person may have on one instance.
    pub live_connections_per_person: usize,
    /// `KRING_LIVE_CONNECTIONS`, default 10000: live connections one instance holds.
    pub live_connections: usize,
    /// `KRING_SITE_ROOT`, default `target/site`: the built WebAssembly, JS, CSS and assets.
    pub site_root: std::path::PathBuf,
}

pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_DATABASE_URL: &str = "sqlite:data/kring.sqlite";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("KRING_ADDR must be host:port, e.g. 127.0.0.1:3000 (got {0:?})")]
    Addr(String),
    #[error("{0} must be a whole number above 0 (got {1:?})")]
    Number(&'static str, String),
    #[error("KRING_PUBLIC_URL must start with http:// or https:// (got {0:?})")]
    PublicUrl(String),
}

impl Config {
    /// The defaults, listening on `addr` with `database_url`, and open registration
    /// (tests create accounts): what tests start.
    pub fn local(addr: SocketAddr, database_url: &str) -> Config {
        Config::from_lookup(|name| match name {
            "KRING_ADDR" => Some(addr.to_string()),
            "DATABASE_URL" => Some(database_url.to_owned()),
            "KRING_OPEN_REGISTRATION" => Some("1".to_owned()),
            _ => None,
        })
        .expect("a socket address is a valid KRING_ADDR")
    }

    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let addr_text = lookup("KRING_ADDR")
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| DEFAULT_ADDR.to_owned());
        let addr = addr_text
            .parse()
            .map_err(|_| ConfigError::Addr(addr_text))?;
        let flag = |name: &str| {
            lookup(name).is_some_and(|value| matches!(value.trim(), "1" | "true" | "yes"))
        };
        // A flag that is on unless set otherwise when `default` is.
        let flag_or = |name: &str, default: bool| match lookup(name) {
            Some(value) if !value.trim().is_empty() => {
                matches!(value.trim(), "1" | "true" | "yes")
            }
            _ => default,
        };
        let number = |name: &'static str, default: usize| match lookup(name)
            .filter(|v| !v.trim().is_empty())
        {
            None => Ok(default),
            Some(text) => match text.trim().parse::<usize>() {
                Ok(value) if value > 0 => Ok(value),
                _ => Err(ConfigError::Number(name, text)),
            },
        };
        let public_url = lookup("KRING_PUBLIC_URL")
            .filter(|v| !v.is_empty())
            .map(|url| url.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| format!("http://{addr}"));
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::PublicUrl(public_url));
        }
        Ok(Config {
            addr,
            database_url: lookup("DATABASE_URL")
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            load_demo: flag("KRING_DEMO"),
            open_registration: flag_or("KRING_OPEN_REGISTRATION", flag("KRING_DEMO")),
            trust_proxy: flag("KRING_TRUST_PROXY"),
            public_url,
            smtp_url: lookup("SMTP_URL").filter(|v| !v.is_empty()),
            smtp_from: lookup("SMTP_FROM")
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| "Kring <kring@localhost>".to_owned()),
            hashing_memory_mib: number(
                "KRING_HASHING_MEMORY_MIB",
                kring_db::DEFAULT_HASHING_MEMORY_MIB,
            )?,
            max_requests: number("KRING_MAX_REQUESTS", 256)?,
            request_timeout_secs: number("KRING_REQUEST_TIMEOUT_SECS", 30)? as u64,
            live_connections_per_person: number("KRING_LIVE_PER_PERSON", 12)?,
            live_connections: number("KRING_LIVE_CONNECTIONS", 10_000)?,
            site_root: lookup("KRING_SITE_ROOT")
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| "target/site".to_owned())
                .into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_suit_a_fresh_machine() {
        let config = config(&[]).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database_url, "sqlite:data/kring.sqlite");
        assert!(!config.load_demo);
        assert!(!config.trust_proxy);
        assert_eq!(config.public_url, "http://127.0.0.1:3000");
        assert_eq!(config.smtp_url, None);
    }

    #[test]
    fn reads_overrides() {
        let config = config(&[
            ("KRING_ADDR", "0.0.0.0:8080"),
            ("DATABASE_URL", "postgres://kring@db/kring"),
            ("KRING_DEMO", "1"),
            ("KRING_TRUST_PROXY", "true"),
        ])
        .unwrap();
        assert_eq!(config.addr.port(), 8080);
        assert_eq!(config.database_url, "postgres://kring@db/kring");
        assert!(config.load_demo && config.trust_proxy);
    }

    #[test]
    fn limits_have_defaults_and_refuse_nonsense() {
        let defaults = config(&[]).unwrap();
        assert_eq!(defaults.hashing_memory_mib, 128);
        assert_eq!(defaults.max_requests, 256);
        assert_eq!(defaults.live_connections_per_person, 12);
        let set = config(&[("KRING_LIVE_PER_PERSON", "4000")]).unwrap();
        assert_eq!(set.live_connections_per_person, 4000);
        for bad in ["0", "-1", "many"] {
            let error = config(&[("KRING_MAX_REQUESTS", bad)]).unwrap_err();
            assert!(error.to_string().contains("KRING_MAX_REQUESTS"), "{error}");
        }
        assert!(config(&[("KRING_PUBLIC_URL", "kring.example.org")]).is_err());
        assert_eq!(
            config(&[("KRING_PUBLIC_URL", "https://kring.example.org/")])
                .unwrap()
                .public_url,
            "https://kring.example.org"
        );
    }

    #[test]
    fn refuses_a_bad_address_with_a_clear_message() {
        let error = config(&[("KRING_ADDR", "localhost")]).unwrap_err();
        assert!(error.to_string().contains("host:port"));
        assert!(!config(&[("KRING_DEMO", "0")]).unwrap().load_demo);
        // Registration: closed unless asked for, open with the demo unless closed.
        assert!(!config(&[]).unwrap().open_registration);
        assert!(
            config(&[("KRING_OPEN_REGISTRATION", "1")])
                .unwrap()
                .open_registration
        );
        assert!(config(&[("KRING_DEMO", "1")]).unwrap().open_registration);
        assert!(
            !config(&[("KRING_DEMO", "1"), ("KRING_OPEN_REGISTRATION", "0")])
                .unwrap()
                .open_registration
        );
    }
}
