//! Long threads and long lists on SQLite and PostgreSQL, as a browser without
//! WebAssembly gets them: a thread opens on the page of the reader's first
//! unread post (page 7 of 8 here), marked where they left off, and a category
//! lists its threads a page at a time with plain links.

use crate::support::start;
use kring_db::on_both_engines;
use kring_db::testing::TestDatabase;
use kring_db::{NewReply, POSTS_PER_PAGE, THREADS_PER_PAGE};
use kring_domain::forum::{PostBody, ThreadTitle};
use kring_domain::{CategoryId, Email, PostId, ThreadId, UserId};
use reqwest::StatusCode;

const GENERAL: CategoryId = CategoryId(5);
const WELCOME_THREAD: ThreadId = ThreadId(7);

async fn person(db: &kring_db::Db, email: &str) -> UserId {
    db.user_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn a_long_thread_opens_at_the_first_unread_post_on_its_page() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let db = &test.db;
        let amara = person(db, "amara@demo.kring").await;
        let priya = person(db, "priya@demo.kring").await;
        // Written straight to storage: far more than the posting rate allows.
        let (thread, first) = db
            .start_thread(
                GENERAL,
                amara,
                &ThreadTitle::parse("Notes from every home visit").unwrap(),
                &PostBody::parse("Visit 1").unwrap(),
                false,
            )
            .await
            .unwrap();
        let mut posts = vec![first];
        for visit in 2..=8 * POSTS_PER_PAGE {
            let body = PostBody::parse(&format!("Visit {visit}")).unwrap();
            let reply = NewReply {
                thread,
                author: amara,
                body: &body,
                tag: None,
                quote_of: None,
            };
            posts.push(db.reply(&reply).await.unwrap());
        }
        // Priya read up to the 320th post: the 321st opens page 7.
        db.mark_read(priya, thread, posts[319]).await.unwrap();
        let unread: PostId = posts[320];

        let client = kring.logged_in("priya@demo.kring").await;
        let path = format!("/forum/threads/{}", thread.0);
        let (status, _, page) = kring.page(&client, &path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Page 7 of 8"), "{page}");
        let divider = page
            .find("id=\"unread\"")
            .expect("marks where Priya left off");
        let first_unread = page.find(&format!("id=\"post-{}\"", unread.0)).unwrap();
        assert!(divider < first_unread);
        assert!(page.contains(&format!("id=\"post-{}\"", posts[300].0)));
        assert!(!page.contains(&format!("id=\"post-{}\"", posts[299].0)));
        assert!(!page.contains(&format!("id=\"post-{}\"", posts[350].0)));
        assert!(page.contains(&format!("href=\"{path}?page=6\"")), "{page}");
        assert!(page.contains(&format!("href=\"{path}?page=8\"")), "{page}");

        // The category's list links straight to that post.
        let (_, _, list) = kring.page(&client, "/forum/categories/5").await;
        assert!(
            list.contains(&format!("href=\"{path}#post-{}\"", unread.0)),
            "{list}"
        );
        // Another page of the thread, asked for by number, and the last one.
        let (_, _, second) = kring.page(&client, &format!("{path}?page=2")).await;
        assert!(second.contains("Page 2 of 8"));
        assert!(second.contains(&format!("id=\"post-{}\"", posts[50].0)));
        let (_, _, last) = kring.page(&client, &format!("{path}?page=last")).await;
        assert!(last.contains("Page 8 of 8"));
        // A reader who has read it all opens it on the last page.
        db.mark_read(priya, thread, *posts.last().unwrap())
            .await
            .unwrap();
        let (_, _, page) = kring.page(&client, &path).await;
        assert!(page.contains("Page 8 of 8") && !page.contains("id=\"unread\""));
    });
}

#[tokio::test]
async fn a_category_lists_its_threads_a_page_at_a_time() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let db = &test.db;
        let amara = person(db, "amara@demo.kring").await;
        for number in 1..=THREADS_PER_PAGE + 5 {
            db.start_thread(
                GENERAL,
                amara,
                &ThreadTitle::parse(&format!("Question number {number}")).unwrap(),
                &PostBody::parse("Who has tried this?").unwrap(),
                false,
            )
            .await
            .unwrap();
        }
        let client = kring.logged_in("priya@demo.kring").await;
        let threads_on = |page: &str| page.matches("data-thread=").count();
        let (_, _, first) = kring.page(&client, "/forum/categories/5").await;
        assert_eq!(threads_on(&first), THREADS_PER_PAGE as usize);
        assert!(first.contains("Page 1 of 2"), "{first}");
        let newest = format!(">Question number {}<", THREADS_PER_PAGE + 5);
        assert!(first.contains(&newest), "newest activity first");
        let (_, _, second) = kring.page(&client, "/forum/categories/5?page=2").await;
        // The demo's welcome thread and the five oldest questions.
        assert_eq!(threads_on(&second), 6, "{second}");
        assert!(second.contains(">Question number 1<"));
        assert!(second.contains(&format!("/forum/threads/{}", WELCOME_THREAD.0)));
        assert!(second.contains("rel=\"prev\""));
    });
}
