//! Every query the key pages make uses an index on PostgreSQL: the pages are
//! loaded as a member opens them, each SELECT the storage layer sent is
//! collected from its statement log, and PostgreSQL plans it with sequential
//! scans ruled out (`TestDatabase::unindexed_reads`), so a table read whole is
//! a table no index serves. With five years of data such a read grows with
//! every cohort; the demo's few rows would hide it from a timing.

use crate::support::start;
use kring_db::testing::TestDatabase;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};

/// Tables that hold a handful of rows by nature, whatever the consortium's age.
const SMALL: &[&str] = &["organisations", "programs", "_sqlx_migrations"];

/// The SQL of every statement sqlx logs, as sent.
#[derive(Clone, Default)]
struct Statements(Arc<Mutex<BTreeSet<String>>>);

impl Statements {
    /// Collects the statements sent on this thread while the guard lives.
    fn listen() -> (Statements, tracing::subscriber::DefaultGuard) {
        let statements = Statements::default();
        let subscriber = tracing_subscriber::registry().with(statements.clone());
        (statements, tracing::subscriber::set_default(subscriber))
    }

    /// Forgets what was collected: what follows is collected alone.
    fn start_over(&self) {
        self.0.lock().unwrap().clear();
        // Tests on other threads may have met sqlx's log callsites while this
        // subscriber was being registered, and tracing can keep the interest it
        // worked out without it ("never"): the log then came back empty, now and
        // then. Asked again now, every callsite counts this subscriber.
        tracing::callsite::rebuild_interest_cache();
    }

    fn sent(&self) -> Vec<String> {
        self.0.lock().unwrap().iter().cloned().collect()
    }
}

#[derive(Default)]
struct Logged {
    summary: String,
    statement: String,
}

impl Visit for Logged {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "summary" => self.summary = value.to_owned(),
            "db.statement" => self.statement = value.trim().to_owned(),
            _ => {}
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Statements {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let mut logged = Logged::default();
        event.record(&mut logged);
        // A short statement is its own summary, and is logged only as that.
        let sql = if logged.statement.is_empty() {
            logged.summary
        } else {
            logged.statement
        };
        let reads = sql.trim_start().to_ascii_uppercase();
        if reads.starts_with("SELECT") || reads.starts_with("WITH") {
            self.0.lock().unwrap().insert(sql);
        }
    }
}

#[tokio::test]
async fn the_key_pages_read_through_indexes_on_postgresql() {
    let Some(test) = TestDatabase::postgres().await else {
        return;
    };
    let (statements, _logging) = Statements::listen();
    let kring = start(&test).await;
    let lucia = kring.logged_in("lucia@demo.kring").await;
    statements.start_over();
    for path in [
        "/",
        "/sessions",
        "/units/1",
        "/forum/threads/1",
        "/forum/cohorts/1",
        "/forum/categories/1",
        "/search?q=familia",
    ] {
        let (status, _, _) = kring.page(&lucia, path).await;
        assert!(status.is_success(), "{path}: {status}");
    }
    let sent = statements.sent();
    assert!(sent.len() > 20, "the statement log is read: {sent:?}");
    let unindexed = test.unindexed_reads(&sent, SMALL).await;
    assert!(
        unindexed.is_empty(),
        "{} of {} statements read a table whole:\n\n{}",
        unindexed.len(),
        sent.len(),
        unindexed.join("\n\n")
    );
    test.finish().await;
}

#[tokio::test]
async fn an_unread_notification_never_makes_a_page_walk_every_post() {
    let Some(test) = TestDatabase::postgres().await else {
        return;
    };
    let (statements, _logging) = Statements::listen();
    let kring = start(&test).await;
    // Years of posts, their statistics taken; the notifications are the demo's few.
    let scale = kring_db::demo::Scale {
        programs: 2,
        cohorts_per_program: 2,
        members: 40,
        sessions_per_cohort: 3,
        threads_per_cohort: 5,
        posts: 20_000,
        long_thread_posts: 100,
    };
    let report = kring_db::demo::load_scale(&test.db, scale)
        .await
        .unwrap()
        .expect("the scale data is new");
    // Then someone replies to the member: a notification of one of the newest posts.
    test.execute(&format!(
        "INSERT INTO notifications (user_id, kind, post_id, created_at) \
         SELECT u.id, 'reply', MAX(p.id), 0 FROM users u, forum_posts p \
         JOIN forum_threads t ON t.id = p.thread_id JOIN forum_categories c ON c.id = t.category_id \
         WHERE u.email = '{}' AND c.cohort_id = {} GROUP BY u.id",
        report.member_email, report.cohort.0
    ))
    .await;
    let member = kring.logged_in(&report.member_email).await;
    statements.start_over();
    let (status, _, _) = kring.page(&member, "/").await;
    assert!(status.is_success(), "{status}");
    let email = kring_domain::Email::parse(&report.member_email).unwrap();
    let id = test.db.user_by_email(&email).await.unwrap().id;
    assert_eq!(test.db.unread_notifications(id).await.unwrap(), 1);
    let sent = statements.sent();
    assert!(!sent.is_empty(), "the statement log is read");
    let walks = test.whole_reads_as_planned(&sent, &["forum_posts"]).await;
    assert!(
        walks.is_empty(),
        "a page read every post:\n\n{}",
        walks.join("\n\n")
    );
    test.finish().await;
}
