//! Shared by the HTTP tests: the real server on a random port with the demo
//! program, and clients that call it as browsers and scripts do.

use kring_db::demo;
use kring_db::testing::TestDatabase;
use kring_server::config::Config;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use std::time::{Duration, Instant};

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

    /// Posts a file to the server function at `/api/<function>` as a browser's file
    /// field (`file`) would, with `fields` beside it: (status, where it leads or the body).
    pub async fn upload(
        &self,
        client: &Client,
        function: &str,
        fields: &[(&'static str, &'static str)],
        (bytes, file_name, mime): (Vec<u8>, &'static str, &'static str),
    ) -> (StatusCode, String) {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(*name, *value);
        }
        let form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes)
                .file_name(file_name)
                .mime_str(mime)
                .unwrap(),
        );
        let response = client
            .post(format!("{}/api/{function}", self.base))
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .map(|value| value.to_str().unwrap().to_owned());
        (status, location.unwrap_or(response.text().await.unwrap()))
    }

    pub async fn get(&self, client: &Client, path: &str) -> (StatusCode, String) {
        let response = client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }

    /// A page as a browser loads it: its status, headers and HTML.
    pub async fn page(
        &self,
        client: &Client,
        path: &str,
    ) -> (StatusCode, reqwest::header::HeaderMap, String) {
        let response = client
            .get(format!("{}{path}", self.base))
            .header("Accept", "text/html")
            .send()
            .await
            .unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        (status, headers, response.text().await.unwrap())
    }

    /// A second instance on the same database, with its own pool and live
    /// events, as a second process behind a load balancer would be.
    pub async fn second_instance(test: &TestDatabase) -> Running {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let config = Config::local(listener.local_addr().unwrap(), &test.url);
        let db = kring_db::Db::connect(&test.url).await.unwrap();
        tokio::spawn(kring_server::serve(
            listener,
            kring_server::router(&config, db),
        ));
        Running {
            base: format!("http://{}", config.addr),
        }
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

/// Reads a Server-Sent Events stream until `wanted` more events named `post`
/// arrived: (id, data) each, or fails after `limit`.
pub async fn read_posts(
    response: &mut reqwest::Response,
    wanted: usize,
    limit: Duration,
) -> Vec<(i64, String)> {
    let deadline = Instant::now() + limit;
    let mut text = String::new();
    loop {
        let events: Vec<(i64, String)> = text
            .split("\n\n")
            .filter(|block| block.contains("event: post"))
            .filter(|block| text.contains(&format!("{block}\n\n")))
            .map(|block| {
                let field = |name: &str| {
                    block
                        .lines()
                        .filter_map(|line| line.strip_prefix(name))
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                (field("id: ").parse().unwrap(), field("data: "))
            })
            .collect();
        if events.len() >= wanted {
            return events;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        let chunk = tokio::time::timeout(left, response.chunk())
            .await
            .unwrap_or_else(|_| panic!("{wanted} events within {limit:?}; got {text:?}"))
            .unwrap()
            .expect("the stream stays open");
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
}

pub async fn open_stream(
    kring: &Running,
    client: &Client,
    path: &str,
    last_event: Option<i64>,
) -> reqwest::Response {
    let mut request = client.get(format!("{}{path}", kring.base));
    if let Some(id) = last_event {
        request = request.header("Last-Event-ID", id.to_string());
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    response
}

/// Whether the stream ends (the server closes it) within `limit`, reading
/// and dropping whatever else it sends meanwhile.
pub async fn stream_ends_within(response: &mut reqwest::Response, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, response.chunk()).await {
            Err(_) => return false,
            Ok(Ok(None)) | Ok(Err(_)) => return true,
            Ok(Ok(Some(_))) => {}
        }
    }
}

/// How many notifications `email` has not seen, as the header counts them.
pub async fn unread_notifications(db: &kring_db::Db, email: &str) -> i64 {
    let person = db
        .user_by_email(&kring_domain::Email::parse(email).unwrap())
        .await
        .unwrap();
    db.unread_notifications(person.id).await.unwrap()
}
