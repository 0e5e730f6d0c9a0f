//! Shared by the HTTP tests: the real server on a random port with the demo
//! program, and clients that call it as browsers and scripts do.
#![allow(dead_code)] // Each test file uses its own part.

use kring_db::demo;
use kring_db::testing::TestDatabase;
use kring_server::config::Config;
use reqwest::{Client, StatusCode};
use serde_json::Value;

pub struct Running {
    pub base: String,
}

/// Serves `config` (its database already holding the demo program) on `listener`.
pub async fn start_with(
    test: &TestDatabase,
    listener: tokio::net::TcpListener,
    config: Config,
) -> Running {
    demo::load_if_empty(&test.db).await.unwrap();
    let router = kring_server::router(&config, test.db.clone());
    tokio::spawn(kring_server::serve(listener, router));
    Running {
        base: format!("http://{}", config.addr),
    }
}

pub async fn start(test: &TestDatabase) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config = Config::local(listener.local_addr().unwrap(), &test.url);
    start_with(test, listener, config).await
}

/// A client that keeps cookies and shows redirects instead of following them.
pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A redirect (plain form post) or a success (call from code).
pub fn went_through(status: StatusCode) -> bool {
    status.is_success() || status.is_redirection()
}

impl Running {
    /// Calls the server function at `/api/<function>` with a form body.
    pub async fn call(
        &self,
        client: &Client,
        function: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let response = client
            .post(format!("{}/api/{function}", self.base))
            .form(form)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, client: &Client, path: &str) -> (StatusCode, String) {
        let response = client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }

    pub async fn logged_in(&self, email: &str) -> Client {
        let client = client();
        let (status, _) = self
            .call(
                &client,
                "login",
                &[("email", email), ("password", demo::DEMO_PASSWORD)],
            )
            .await;
        assert!(went_through(status), "{email}: {status}");
        client
    }

    /// Someone with an account who belongs to no cohort.
    pub async fn outsider(&self) -> Client {
        let outsider = client();
        let (status, _) = self
            .call(
                &outsider,
                "register",
                &[
                    ("display_name", "Outside Reader"),
                    ("email", "outside@example.org"),
                    ("password", "a long enough phrase"),
                    ("organisation", ""),
                    ("country", "KE"),
                    ("language", "en"),
                    ("time_zone", "Africa/Nairobi"),
                ],
            )
            .await;
        assert!(went_through(status), "{status}");
        outsider
    }
}
