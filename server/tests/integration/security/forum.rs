//! Findings 8 and 9, and the forum's resource limits: editing obeys the rules
//! of posting; mention suggestions never reveal an address; a post names at
//! most twenty people.

use super::support::{start, went_through};
use super::{CIRCLE_CATEGORY, CIRCLE_THREAD, GENERAL, WELCOME_THREAD};
use kring_db::on_both_engines;
use kring_db::testing::TestDatabase;
use reqwest::StatusCode;

#[tokio::test]
async fn edits_obey_the_rules_of_posting() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let amara = kring.logged_in("amara@demo.kring").await;
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let post = |thread: &'static str, body: &'static str| {
            let (kring, amara) = (&kring, &amara);
            async move {
                let (status, post) = kring
                    .call(amara, "forum/reply", &[("thread", thread), ("body", body)])
                    .await;
                assert_eq!(status, StatusCode::OK, "{post}");
                post.to_string()
            }
        };
        let edit = |post: String| {
            let (kring, amara) = (&kring, &amara);
            async move {
                let (status, body) = kring
                    .call(
                        amara,
                        "forum/posts/edit",
                        &[("post", &post), ("body", "Changed")],
                    )
                    .await;
                let (page, _, _) = kring
                    .page(amara, &format!("/forum/posts/{post}/edit"))
                    .await;
                (status, body, page)
            }
        };

        // A locked thread takes no edits, as it takes no replies.
        let in_welcome = post(WELCOME_THREAD, "Before the lock").await;
        let (status, _) = kring
            .call(
                &joseph,
                "forum/threads/lock",
                &[("thread", WELCOME_THREAD), ("locked", "true")],
            )
            .await;
        assert!(went_through(status));
        let (status, body, page) = edit(in_welcome.clone()).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["code"], "thread_locked");
        assert_eq!(page, StatusCode::OK, "the edit page explains instead");
        let (_, _, html) = kring
            .page(&amara, &format!("/forum/posts/{in_welcome}/edit"))
            .await;
        assert!(
            html.contains("locked") && !html.contains("name=\"body\""),
            "{html}"
        );

        // A closed circle is read-only: no edits either.
        let in_circle = post(CIRCLE_THREAD, "Before the circle closed").await;
        let (status, _) = kring
            .call(
                &joseph,
                "forum/circles/status",
                &[("circle", "1"), ("status", "closed")],
            )
            .await;
        assert!(went_through(status));
        let (status, body, _) = edit(in_circle).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        kring
            .call(
                &joseph,
                "forum/circles/status",
                &[("circle", "1"), ("status", "open")],
            )
            .await;

        // A hidden post stays as the facilitator left it.
        kring
            .call(
                &joseph,
                "forum/threads/lock",
                &[("thread", WELCOME_THREAD), ("locked", "false")],
            )
            .await;
        let hidden = post(WELCOME_THREAD, "Names a family").await;
        let (status, _) = kring
            .call(
                &joseph,
                "forum/posts/hide",
                &[("post", &hidden), ("reason", "Identifies a family")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, body, _) = edit(hidden.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (_, view) = kring
            .call(
                &amara,
                "forum/thread",
                &[("id", WELCOME_THREAD), ("post", &hidden)],
            )
            .await;
        let shown = view["posts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|post| post["id"].as_i64() == hidden.parse().ok())
            .unwrap();
        assert_eq!(shown["may_edit"], false);

        // Edits count towards the posting rate: six writes a minute.
        let mine = post(WELCOME_THREAD, "Draft one").await;
        let mut refused = None;
        for n in 0..8 {
            let body = format!("Draft {n}");
            let (status, error) = kring
                .call(
                    &amara,
                    "forum/posts/edit",
                    &[("post", &mine), ("body", &body)],
                )
                .await;
            if status == StatusCode::TOO_MANY_REQUESTS {
                refused = Some((n, error));
                break;
            }
            assert!(went_through(status), "{error}");
        }
        let (edits, error) = refused.expect("a flood of edits is slowed down");
        assert!(edits < 6, "refused after {edits} edits");
        assert!(
            error["message"].as_str().unwrap().contains("seconds"),
            "{error}"
        );
        assert!(
            test.db
                .post_history(kring_domain::PostId(mine.parse().unwrap()))
                .await
                .unwrap()
                .len()
                < 6,
            "no history row for a refused edit"
        );
    });
}

#[tokio::test]
async fn mention_suggestions_never_reveal_an_address() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let priya = kring.logged_in("priya@demo.kring").await;
        let suggest = |category: &'static str, prefix: &'static str| {
            let (kring, priya) = (&kring, &priya);
            async move {
                let (status, found) = kring
                    .call(
                        priya,
                        "forum/mentions",
                        &[("category", category), ("prefix", prefix)],
                    )
                    .await;
                assert_eq!(status, StatusCode::OK, "{found}");
                assert!(!found.to_string().contains("@demo."), "{found}");
                found
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|pair| pair[1].as_str().unwrap().to_owned())
                    .collect::<Vec<_>>()
            }
        };
        // Spelling out an address finds nobody, however much of it is right.
        for prefix in [
            "admin@",
            "admin@demo.k",
            "facilitator@demo.kring",
            "admin",
            "facilitator",
            "demo.kring",
        ] {
            assert!(suggest(GENERAL, prefix).await.is_empty(), "{prefix}");
        }
        // Handles and names do.
        assert_eq!(suggest(GENERAL, "maar").await, ["Maartje de Vries"]);
        assert_eq!(suggest(GENERAL, "vries").await, ["Maartje de Vries"]);
        assert_eq!(suggest(GENERAL, "@Luc").await, ["Lucía Quispe"]);
        // A circle's members stay among themselves.
        let (status, _) = kring
            .call(
                &priya,
                "forum/mentions",
                &[("category", CIRCLE_CATEGORY), ("prefix", "a")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    });
}

#[tokio::test]
async fn a_post_names_at_most_twenty_people() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let jana = kring.logged_in("jana@demo.kring").await;
        let crowd: String = (0..7000).map(|n| format!("@m{n} ")).collect();
        assert!(crowd.chars().count() < 50_000, "a post's length");
        let (status, error) = kring
            .call(
                &jana,
                "forum/reply",
                &[("thread", WELCOME_THREAD), ("body", &crowd)],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
        assert!(error["message"].as_str().unwrap().contains("20"), "{error}");
        // Twenty, all resolved in one query, notify whoever they name.
        let named = "@amara @lucia @anush @priya @wanjiru @rami @sanne @maartje @joseph \
                     @a @b @c @d @e @f @g @h @i @j @k";
        let (status, _) = kring
            .call(
                &jana,
                "forum/reply",
                &[("thread", WELCOME_THREAD), ("body", named)],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let unread = super::support::unread_notifications(&test.db, "amara@demo.kring").await;
        assert!(unread >= 1);
    });
}
