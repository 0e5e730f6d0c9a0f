//! Finding 12: no malformed request to any server function (found from the
//! registered endpoints, not a hand-kept list) answers 500 or more.

use super::requests::everything_a_browser_loads;
use super::support::{client, start, Running};
use kring_db::on_both_engines;
use kring_db::testing::TestDatabase;
use reqwest::{Client, StatusCode};
use std::collections::BTreeSet;

/// The field names of every form on `pages`, as a browser would post them.
async fn form_fields(kring: &Running, reader: &Client, pages: &[String]) -> BTreeSet<String> {
    let selector = scraper::Selector::parse("input[name], textarea[name], select[name]").unwrap();
    let mut names = BTreeSet::new();
    for path in pages {
        let (_, _, page) = kring.page(reader, path).await;
        for field in scraper::Html::parse_document(&page).select(&selector) {
            names.insert(field.value().attr("name").unwrap().to_owned());
        }
    }
    // Fields only islands post.
    names.extend(["prefix", "up_to", "post", "thread", "category", "id"].map(str::to_owned));
    names
}

#[tokio::test]
async fn no_malformed_call_to_any_server_function_answers_500() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let readers = [
            ("anonymous", client()),
            ("participant", kring.logged_in("amara@demo.kring").await),
            (
                "facilitator",
                kring.logged_in("facilitator@demo.kring").await,
            ),
            ("admin", kring.logged_in("admin@demo.kring").await),
        ];
        let mut fields = BTreeSet::new();
        for (_, reader) in &readers {
            fields.extend(form_fields(&kring, reader, &everything_a_browser_loads()).await);
        }
        // Every server function the app registered, found from the registry.
        let functions: Vec<(String, String)> = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, method)| (path.to_owned(), method.to_string()))
            .collect();
        assert!(functions.len() > 60, "{functions:?}");
        let every = |value: &str| -> String {
            fields
                .iter()
                .map(|name| format!("{}={}", urlencode(name), urlencode(value)))
                .collect::<Vec<_>>()
                .join("&")
        };
        // Every field as a form would fill it, with `id` where numbers go.
        let plausible = |id: &str| -> String {
            fields
                .iter()
                .map(|name| {
                    let value = match name.as_str() {
                        name if name.contains("email") => "amara@demo.kring".to_owned(),
                        name if name.contains("zone") => "Africa/Nairobi".to_owned(),
                        name if name.contains("language") || name == "lang" => "en".to_owned(),
                        name if name.contains("country") => "KE".to_owned(),
                        name if name.contains("capacity") => "5".to_owned(),
                        name if name.contains("date") => "2027-03-01".to_owned(),
                        name if name.contains("clock") => "13:00".to_owned(),
                        name if name.contains("role") => "participant".to_owned(),
                        name if name.contains("status") => "closed".to_owned(),
                        name if name.contains("title")
                            || name.contains("question")
                            || name.contains("name")
                            || name.contains("body")
                            || name.contains("reason")
                            || name.contains("text")
                            || name.contains("tried") =>
                        {
                            "Something to say".to_owned()
                        }
                        _ => id.to_owned(),
                    };
                    format!("{}={}", urlencode(name), urlencode(&value))
                })
                .collect::<Vec<_>>()
                .join("&")
        };
        let bodies: Vec<(&str, String, &str)> = vec![
            (
                "nothing",
                String::new(),
                "application/x-www-form-urlencoded",
            ),
            (
                "words where numbers go",
                every("abc"),
                "application/x-www-form-urlencoded",
            ),
            (
                "numbers past 64 bits",
                every("99999999999999999999999"),
                "application/x-www-form-urlencoded",
            ),
            (
                "negative numbers",
                every("-1"),
                "application/x-www-form-urlencoded",
            ),
            ("zero", every("0"), "application/x-www-form-urlencoded"),
            (
                "hostile text",
                every(super::HOSTILE),
                "application/x-www-form-urlencoded",
            ),
            (
                "long text",
                every(&"ա".repeat(70_000)),
                "application/x-www-form-urlencoded",
            ),
            (
                "broken encoding",
                "id=%FF%FE%FD&body=%E2%28%A1&email=%C0%AF".to_owned(),
                "application/x-www-form-urlencoded",
            ),
            ("a NUL", every("a\0b"), "application/x-www-form-urlencoded"),
            (
                "brackets",
                "guest[session][x][y][z]=1&edit[unit][]=2&cohort[[[=3&a]]]=4".to_owned(),
                "application/x-www-form-urlencoded",
            ),
            (
                "repeated keys",
                format!("{}&{}", every("1"), every("2")),
                "application/x-www-form-urlencoded",
            ),
            (
                "JSON as a form",
                "{\"id\": 1, \"post\": [1,2]}".to_owned(),
                "application/x-www-form-urlencoded",
            ),
            (
                "JSON",
                "{\"id\": \"x\", \"nested\": {\"a\": [null]}}".to_owned(),
                "application/json",
            ),
            ("broken JSON", "{\"id\": ".to_owned(), "application/json"),
            ("no type", every("1"), "text/plain"),
            (
                "well-formed, naming nothing",
                plausible("999999"),
                "application/x-www-form-urlencoded",
            ),
            (
                "well-formed, naming the first",
                plausible("1"),
                "application/x-www-form-urlencoded",
            ),
        ];
        let mut failures = Vec::new();
        let mut calls = 0;
        for (role, reader) in &readers {
            for (path, _) in &functions {
                // A signed-in reader keeps their session for the next function.
                if *role != "anonymous"
                    && (path.ends_with("/logout") || path.ends_with("/change-password"))
                {
                    continue;
                }
                for (case, body, content_type) in &bodies {
                    let response = reader
                        .post(format!("{}{path}", kring.base))
                        .header("Content-Type", *content_type)
                        .body(body.clone())
                        .send()
                        .await
                        .unwrap();
                    calls += 1;
                    if response.status().is_server_error() {
                        let status = response.status();
                        failures.push(format!(
                            "{role} {path} ({case}): {status} {}",
                            response.text().await.unwrap()
                        ));
                    }
                }
                let response = reader
                    .get(format!("{}{path}", kring.base))
                    .send()
                    .await
                    .unwrap();
                calls += 1;
                if response.status().is_server_error() {
                    failures.push(format!("{role} GET {path}: {}", response.status()));
                }
            }
        }
        // A body larger than any form's is refused as too large, not read.
        let huge = "body=".to_owned() + &"x".repeat(3 * 1024 * 1024 + 1);
        let response = readers[1]
            .1
            .post(format!("{}/api/forum/reply", kring.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(huge)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let error: serde_json::Value = response.json().await.unwrap();
        assert_eq!(error["code"], "too_large", "{error}");
        // Page addresses with nonsense in them are the client's mistake too.
        for path in [
            "/forum/threads/abc",
            "/forum/threads/7?page=abc",
            "/forum/threads/7?post=99999999999999999999",
            "/forum/threads/7?quote=%00",
            "/notifications?before=-5",
            "/forum/categories/5?page=-1",
            "/units/1?lang=xx",
            "/sessions?month=2027-13",
            "/admin?people=999999",
            "/search?q=%00",
            "/units/99999999999999999999999",
            "/sessions/plan?check=1&first_date=never&minutes=-3",
            "/sessions/fair-time?date=x&minutes=abc",
            "/live/threads/abc",
            "/live/threads/7?after=abc",
            "/live",
            "/live?topics=",
            "/live?topics=t7:abc",
            "/live?topics=t7:1,t7:2",
            "/live?topics=t99999999:0",
            "/live?topics=c99999999:0,t99999999:0",
            "/calendar/%00.ics",
            "/calendar/nothing.ics",
            "/sessions/%00/event.ics",
            "/forum/threads/7?quote=%C0%AF",
            "/sessions/99999999/registrants.csv",
            "/units/1/edit?lang=%00",
        ] {
            for (role, reader) in &readers {
                let (status, _, _) = kring.page(reader, path).await;
                calls += 1;
                if status.is_server_error() {
                    failures.push(format!("{role} GET {path}: {status}"));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {calls} calls answered 500 or more:\n{}",
            failures.len(),
            failures.join("\n")
        );
        eprintln!(
            "{calls} malformed calls to {} server functions, none answered 500 or more",
            functions.len()
        );
    });
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}
