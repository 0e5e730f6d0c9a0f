//! Search over HTTP on SQLite and PostgreSQL: forum posts are found only by
//! those who may read them, staff leave a trace in a circle whose posts they
//! find, and results page on with plain links.
//!
//! The demo cohort's forum: thread 7 is the welcome thread in General, 8 the
//! consultation circle's (members Amara, Lucía, Wanjiru, Rami and Anush;
//! Joseph facilitates; Priya is a member of the cohort, not of the circle).

use crate::support::{client, start, went_through};
use kring_db::on_both_engines;
use kring_db::testing::TestDatabase;
use reqwest::StatusCode;

const STAFF_READ: &str = "Joseph Mensah (Facilitator) read this circle";

#[tokio::test]
async fn forum_posts_are_found_only_by_those_who_may_read_them() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let amara = kring.logged_in("amara@demo.kring").await;
        let priya = kring.logged_in("priya@demo.kring").await;
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let outsider = kring.outsider().await;
        for (thread, body) in [
            (
                "7",
                "Zanzibar greetings to everyone: 1 < 2 & \"quotes\" stay text.",
            ),
            ("8", "In confidence: the Zanzibar family asked for time."),
        ] {
            let (status, _) = kring
                .call(&amara, "forum/reply", &[("thread", thread), ("body", body)])
                .await;
            assert!(went_through(status), "{status}");
        }
        let threads = |body: &serde_json::Value| -> Vec<i64> {
            body["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|result| result["thread"].as_i64().unwrap())
                .collect()
        };
        let search = [("query", "zanzibar")];
        let (status, body) = kring.call(&amara, "search/posts", &search).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(threads(&body), [8, 7], "newest first");
        let (_, body) = kring.call(&priya, "search/posts", &search).await;
        assert_eq!(threads(&body), [7], "not the circle's");
        let (_, body) = kring.call(&outsider, "search/posts", &search).await;
        assert_eq!(threads(&body), Vec::<i64>::new());
        let (status, _) = kring.call(&client(), "search/posts", &search).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, body) = kring
            .call(&amara, "search/posts", &[("query", "\"*\" --")])
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

        // The page: matches marked, the words kept as text, links to the post.
        let (status, _, page) = kring.page(&priya, "/search?q=zanzibar&in=forum").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("<mark>Zanzibar</mark>"), "{page}");
        assert!(page.contains("1 &lt; 2 &amp;"), "{page}");
        assert!(page.contains("href=\"/forum/threads/7?post="), "{page}");
        assert!(!page.contains("In confidence"), "{page}");
        let (_, _, page) = kring.page(&outsider, "/search?q=zanzibar").await;
        assert!(page.contains("No post you can read matches"), "{page}");

        // Staff find the circle's post, and its members see that they did.
        let (_, _, before) = kring.page(&amara, "/forum/categories/6").await;
        assert!(!before.contains(STAFF_READ), "{before}");
        let (_, body) = kring.call(&joseph, "search/posts", &search).await;
        assert_eq!(threads(&body), [8, 7]);
        let (_, _, after) = kring.page(&amara, "/forum/categories/6").await;
        assert_eq!(after.matches(STAFF_READ).count(), 1, "{after}");
    });
}

#[tokio::test]
async fn results_page_on_with_plain_links() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let amara = kring.logged_in("amara@demo.kring").await;
        // Written straight to storage: more than the posting rate allows at once.
        let author = test
            .db
            .user_by_email(&kring_domain::Email::parse("amara@demo.kring").unwrap())
            .await
            .unwrap()
            .id;
        for number in 0..12 {
            let body = kring_domain::forum::PostBody::parse(&format!(
                "Storytelling evening number {number}"
            ))
            .unwrap();
            test.db
                .reply(&kring_db::NewReply {
                    thread: kring_domain::ThreadId(7),
                    author,
                    body: &body,
                    tag: None,
                    quote_of: None,
                })
                .await
                .unwrap();
        }
        let posts_on = |page: &str| page.matches("data-post=").count();
        // Looking everywhere: the first results of each list and a link to more.
        let (_, _, page) = kring.page(&amara, "/search?q=storytelling%20evening").await;
        assert_eq!(posts_on(&page), 10, "{page}");
        assert!(
            page.contains(
                "href=\"/search?q=storytelling%20evening&amp;lang=en&amp;in=forum&amp;page=2\""
            ),
            "{page}"
        );
        let (_, _, second) = kring
            .page(
                &amara,
                "/search?q=storytelling%20evening&lang=en&in=forum&page=2",
            )
            .await;
        assert_eq!(posts_on(&second), 2, "{second}");
        assert!(second.contains("rel=\"prev\""), "{second}");
        assert!(!second.contains("rel=\"next\""), "{second}");
        assert!(second.contains("Results page 2"), "{second}");
        // Any page number a link can carry answers a page.
        for page in ["0", "-3", "99999999999999999999", "last", "x"] {
            let (status, _, _) = kring
                .page(
                    &amara,
                    &format!("/search?q=storytelling&in=forum&page={page}"),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{page}");
        }
    });
}
