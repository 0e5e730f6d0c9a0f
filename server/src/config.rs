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
}

pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_DATABASE_URL: &str = "sqlite:data/kring.sqlite";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("KRING_ADDR must be host:port, e.g. 127.0.0.1:3000 (got {0:?})")]
    Addr(String),
}

impl Config {
    /// The defaults, listening on `addr` with `database_url`: what tests start.
    pub fn local(addr: SocketAddr, database_url: &str) -> Config {
        Config::from_lookup(|name| match name {
            "KRING_ADDR" => Some(addr.to_string()),
            "DATABASE_URL" => Some(database_url.to_owned()),
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
        Ok(Config {
            addr,
            database_url: lookup("DATABASE_URL")
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            load_demo: flag("KRING_DEMO"),
            trust_proxy: flag("KRING_TRUST_PROXY"),
            public_url: lookup("KRING_PUBLIC_URL")
                .filter(|v| !v.is_empty())
                .map(|url| url.trim_end_matches('/').to_owned())
                .unwrap_or_else(|| format!("http://{addr}")),
            smtp_url: lookup("SMTP_URL").filter(|v| !v.is_empty()),
            smtp_from: lookup("SMTP_FROM")
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| "Kring <kring@localhost>".to_owned()),
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
    fn refuses_a_bad_address_with_a_clear_message() {
        let error = config(&[("KRING_ADDR", "localhost")]).unwrap_err();
        assert!(error.to_string().contains("host:port"));
        assert!(!config(&[("KRING_DEMO", "0")]).unwrap().load_demo);
    }
}
