//! Finding 1: hostile text placed in form fields (textareas, input values,
//! select options) stays text on every form page, and the field holds it
//! exactly. Pages are parsed as a browser parses them.

use super::support::start;
use super::{assert_inert, field_value, policy_nonce, HOSTILE, HOSTILE_NAME, WELCOME_THREAD};
use kring_db::on_both_engines;
use kring_db::testing::TestDatabase;
use reqwest::StatusCode;

/// Percent-encodes `text` for a query string.
fn query(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn hostile_values_in_every_form_field_stay_text() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let jana = kring.logged_in("jana@demo.kring").await;
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let maartje = kring.logged_in("admin@demo.kring").await;

        // A participant's post, quoted by another and edited by its author.
        let (status, post) = kring
            .call(
                &lucia,
                "forum/reply",
                &[("thread", WELCOME_THREAD), ("body", HOSTILE)],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{post}");
        let post = post.to_string();
        // A thread titled with it, and a facilitator's reason for hiding.
        let (status, body) = kring
            .call(
                &lucia,
                "forum/threads/start",
                &[("category", "5"), ("title", HOSTILE), ("body", HOSTILE)],
            )
            .await;
        assert!(super::support::went_through(status), "{body}");
        // A unit's published text and a draft of it, in the facilitators' editor.
        let (_, editor) = kring
            .call(
                &joseph,
                "content/editor",
                &[("unit", "2"), ("language", "en")],
            )
            .await;
        let base = editor["base_number"].to_string();
        let unit_edit = |title: &'static str, body: &'static str| {
            vec![
                ("edit[unit]", "2".to_owned()),
                ("edit[language]", "en".to_owned()),
                ("edit[base]", base.clone()),
                ("edit[title]", title.to_owned()),
                ("edit[body]", body.to_owned()),
            ]
        };
        let (status, body) = kring
            .call(
                &joseph,
                "content/publish",
                &unit_edit("</textarea><img src=x onerror=alert(1)>", HOSTILE)
                    .iter()
                    .map(|(k, v)| (*k, v.as_str()))
                    .collect::<Vec<_>>(),
            )
            .await;
        assert!(super::support::went_through(status), "{body}");
        // A circle's question, an organisation's and a person's name.
        let (status, _) = kring
            .call(
                &joseph,
                "forum/circles/open",
                &[("cohort", "1"), ("question", HOSTILE), ("capacity", "5")],
            )
            .await;
        assert!(super::support::went_through(status));
        let (status, _) = kring
            .call(
                &maartje,
                "admin/create-organisation",
                &[("name", HOSTILE_NAME), ("country", "KE")],
            )
            .await;
        assert!(super::support::went_through(status));
        let (status, _) = kring
            .call(
                &jana,
                "update-profile",
                &[
                    ("display_name", HOSTILE_NAME),
                    ("organisation", ""),
                    ("country", "DE"),
                    ("language", "en"),
                    ("time_zone", "Europe/Berlin"),
                ],
            )
            .await;
        assert!(super::support::went_through(status));

        let hostile = query(HOSTILE);
        let pages = [
            (&lucia, format!("/forum/posts/{post}/edit"), Some("body")),
            (&jana, format!("/forum/threads/{WELCOME_THREAD}?quote={post}"), Some("body")),
            (&jana, format!("/forum/threads/{WELCOME_THREAD}?page=last"), None),
            (&jana, "/forum/categories/5".to_owned(), None),
            (&joseph, format!("/forum/threads/{WELCOME_THREAD}"), None),
            (&joseph, "/units/2/edit?lang=en".to_owned(), Some("edit[body]")),
            (&jana, "/units/2".to_owned(), None),
            (&joseph, "/units/2/history?lang=en".to_owned(), None),
            (
                &joseph,
                format!("/sessions/plan?check=1&title_en={hostile}&description_en={hostile}&other_zone={hostile}&video_link={hostile}"),
                Some("description_en"),
            ),
            (&jana, format!("/search?q={hostile}"), Some("q")),
            (&jana, format!("/time-zone?back={hostile}"), None),
            (&jana, "/profile".to_owned(), None),
            (&jana, "/forum/cohorts/1".to_owned(), None),
            (&joseph, "/forum/cohorts/1".to_owned(), None),
            (&maartje, "/admin".to_owned(), None),
            (&joseph, "/cohorts/1/people".to_owned(), None),
            (&super::support::client(), "/register".to_owned(), None),
        ];
        for (client, path, field) in pages {
            let (status, headers, page) = kring.page(client, &path).await;
            assert!(status.is_success(), "{path}: {status}");
            assert_inert(&page, policy_nonce(&headers).as_deref(), &path);
            if let Some(field) = field {
                let value =
                    field_value(&page, field).unwrap_or_else(|| panic!("{path}: no field {field}"));
                assert!(
                    value.contains(HOSTILE),
                    "{path}: the field {field} holds the text as typed: {value:?}"
                );
            }
        }
        // The editor's title field holds the title exactly, too.
        let (_, _, page) = kring.page(&joseph, "/units/2/edit?lang=en").await;
        assert_eq!(
            field_value(&page, "edit[title]").as_deref(),
            Some("</textarea><img src=x onerror=alert(1)>")
        );
    });
}
