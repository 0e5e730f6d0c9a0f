//! Forum search against real databases: posts and case threads are found only
//! where the reader may read them, never hidden or removed, newest first, a
//! page at a time.

use crate::forum::{existing, person};
use kring_db::testing::TestDatabase;
use kring_db::{demo, on_both_engines, CategoryKind, Db, Found, NewReply, PostHit};
use kring_domain::forum::{HideReason, PostBody, ThreadTitle};
use kring_domain::search::{SearchQuery, MATCH_START, RESULTS_PER_PAGE};
use kring_domain::{CategoryId, CohortId, PostId, Role, ThreadId, UserId};

/// What `reader`, with the role stored for them, finds for `words` on `page`.
async fn search(db: &Db, reader: UserId, words: &str, page: i64) -> Found<PostHit> {
    let role = db.user(reader).await.unwrap().role;
    db.search_posts(&SearchQuery::parse(words).unwrap(), reader, role, page)
        .await
        .unwrap()
}

/// The posts `reader` finds for `words` on `page`, newest first.
async fn found(db: &Db, reader: UserId, words: &str, page: i64) -> Vec<PostId> {
    search(db, reader, words, page)
        .await
        .hits
        .into_iter()
        .map(|hit| hit.post)
        .collect()
}

async fn category(db: &Db, wanted: impl Fn(CategoryKind) -> bool) -> CategoryId {
    db.categories(CohortId(1))
        .await
        .unwrap()
        .into_iter()
        .find(|category| wanted(category.kind))
        .unwrap()
        .id
}

async fn start(
    db: &Db,
    category: CategoryId,
    author: UserId,
    title: &str,
    body: &str,
) -> (ThreadId, PostId) {
    db.start_thread(
        category,
        author,
        &ThreadTitle::parse(title).unwrap(),
        &PostBody::parse(body).unwrap(),
        false,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn search_finds_posts_only_where_the_reader_may_read_them() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        // Amara is in the demo's circle; the facilitator runs the cohort.
        let amara = existing(db, "amara@demo.kring").await;
        let facilitator = existing(db, "facilitator@demo.kring").await;
        let admin = existing(db, "admin@demo.kring").await;
        let member = person(db, "kwame@example.org").await;
        db.add_cohort_member(CohortId(1), member, None)
            .await
            .unwrap();
        let outsider = person(db, "outsider@example.org").await;
        let general = category(db, |kind| kind == CategoryKind::General).await;
        let circle = category(db, |kind| matches!(kind, CategoryKind::Circle(_))).await;

        let (_, open) = start(
            db,
            general,
            amara,
            "Quokka afternoons",
            "We met the **kinfolk** at the quokka garden.",
        )
        .await;
        let (_, closed) = start(
            db,
            circle,
            amara,
            "Between us",
            "The quokka question stays in the circle.",
        )
        .await;

        assert_eq!(found(db, member, "quokka", 0).await, [open]);
        assert_eq!(
            found(db, amara, "quokka", 0).await,
            [closed, open],
            "newest first"
        );
        assert_eq!(found(db, facilitator, "quokka", 0).await, [closed, open]);
        assert_eq!(found(db, admin, "quokka", 0).await, [closed, open]);
        assert_eq!(found(db, outsider, "quokka", 0).await, []);
        // A role the session still holds after a demotion only changes how the
        // matches are walked: what may be read follows the stored role.
        let query = SearchQuery::parse("quokka").unwrap();
        for (reader, readable) in [(member, vec![open]), (outsider, vec![])] {
            let hits = db
                .search_posts(&query, reader, Role::Admin, 0)
                .await
                .unwrap()
                .hits;
            assert_eq!(
                hits.iter().map(|hit| hit.post).collect::<Vec<_>>(),
                readable
            );
        }

        // Words match as prefixes, in any case and without their accents; a
        // thread's title finds the post that opens it.
        assert_eq!(found(db, member, "QUOK", 0).await, [open]);
        assert_eq!(found(db, member, "afternoons", 0).await, [open]);
        assert_eq!(found(db, member, "kínfolk quokka", 0).await, [open]);
        assert_eq!(found(db, member, "quokka elephant", 0).await, []);

        let hits = search(db, member, "kinfolk", 0).await.hits;
        assert_eq!(hits[0].thread_title, "Quokka afternoons");
        assert_eq!(hits[0].author.as_deref(), Some("Amara Owusu"));
        assert_eq!(hits[0].circle, None);
        assert!(hits[0].snippet.contains(MATCH_START), "{}", hits[0].snippet);
        assert!(
            !hits[0].snippet.contains("**"),
            "snippets show text, not Markdown"
        );
        let circle_hit = &search(db, facilitator, "stays", 0).await.hits[0];
        assert!(circle_hit.circle.is_some());
        assert_eq!(circle_hit.cohort, CohortId(1));

        // An edit is searchable at once, and its old words are gone.
        db.edit_post(
            open,
            amara,
            &PostBody::parse("We met at the wombat garden.").unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(found(db, member, "kinfolk", 0).await, []);
        assert_eq!(found(db, member, "wombat", 0).await, [open]);

        // Hidden and removed posts are found by nobody, staff included.
        db.hide_post(
            closed,
            facilitator,
            &HideReason::parse("Names a family").unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(found(db, amara, "quokka", 0).await, [open]);
        assert_eq!(found(db, facilitator, "stays", 0).await, []);
        db.delete_post(open, amara).await.unwrap();
        assert_eq!(found(db, facilitator, "quokka", 0).await, []);
    });
}

#[tokio::test]
async fn search_results_come_a_page_at_a_time() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        let amara = existing(db, "amara@demo.kring").await;
        let general = category(db, |kind| kind == CategoryKind::General).await;
        let (thread, first) =
            start(db, general, amara, "Kinship care", "Kinship care, part 0").await;
        let mut posts = vec![first];
        for part in 1..=RESULTS_PER_PAGE + 1 {
            let body = PostBody::parse(&format!("Kinship care, part {part}")).unwrap();
            let reply = NewReply {
                thread,
                author: amara,
                body: &body,
                tag: None,
                quote_of: None,
            };
            posts.push(db.reply(&reply).await.unwrap());
        }
        posts.reverse();
        let first_page = search(db, amara, "kinship", 0).await;
        assert_eq!(
            first_page
                .hits
                .iter()
                .map(|hit| hit.post)
                .collect::<Vec<_>>(),
            posts[..10]
        );
        assert!(first_page.more);
        let second_page = search(db, amara, "kinship", 1).await;
        assert_eq!(
            second_page
                .hits
                .iter()
                .map(|hit| hit.post)
                .collect::<Vec<_>>(),
            posts[10..]
        );
        assert!(!second_page.more);
        // Pages past the deepest one answer as the deepest, which is empty here.
        let deep = search(db, amara, "kinship", i64::MAX).await;
        assert!(deep.hits.is_empty() && !deep.more);
    });
}

#[tokio::test]
async fn posts_stored_before_search_existed_are_indexed_when_migrating() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        let amara = existing(db, "amara@demo.kring").await;
        let general = category(db, |kind| kind == CategoryKind::General).await;
        let (_, post) = start(
            db,
            general,
            amara,
            "Grandparents raising children",
            "A *kinship* story",
        )
        .await;
        test.execute("UPDATE forum_posts SET search_title = NULL, search_text = NULL")
            .await;
        assert_eq!(found(db, amara, "grandparents", 0).await, []);
        db.migrate().await.unwrap();
        assert_eq!(found(db, amara, "grandparents kinship", 0).await, [post]);
        // The demo's own posts are found again too.
        assert!(!found(db, amara, "family", 0).await.is_empty());
        if test.engine() == kring_db::Engine::Sqlite {
            // FTS5 fails this statement when its index and the posts disagree.
            test.execute("INSERT INTO post_search (post_search) VALUES ('integrity-check')")
                .await;
        }
    });
}

#[tokio::test]
async fn a_consortium_generated_for_measuring_is_readable_by_its_members() {
    use kring_db::demo::{load_scale, Scale};
    let scale = Scale {
        programs: 2,
        cohorts_per_program: 2,
        members: 40,
        sessions_per_cohort: 3,
        threads_per_cohort: 3,
        posts: 400,
        long_thread_posts: 120,
    };
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let report = load_scale(db, scale).await.unwrap().unwrap();
        assert_eq!(
            (report.members, report.cohorts, report.sessions),
            (40, 4, 12)
        );
        assert!(report.posts >= 400, "{report:?}");
        assert!(
            load_scale(db, scale).await.unwrap().is_none(),
            "loaded once"
        );
        let member = existing(db, &report.member_email).await;
        let thread = db.thread(report.long_thread).await.unwrap();
        assert_eq!(thread.category.cohort, report.cohort);
        let opening = db
            .thread_opening(report.long_thread, member, None)
            .await
            .unwrap();
        // Read to its end: it opens on its last page, with nothing unread.
        assert_eq!(
            (opening.posts, opening.first_unread, opening.page),
            (120, None, 2)
        );
        // Its pages follow on from each other in order and stop at its end.
        let ids = async |page: i64| -> Vec<i64> {
            let posts = db.posts(report.long_thread, page).await.unwrap();
            posts.iter().map(|post| post.id.0).collect()
        };
        let pages = [ids(0).await, ids(1).await, ids(2).await, ids(3).await];
        assert_eq!(pages.each_ref().map(Vec::len), [50, 50, 20, 0]);
        let every = pages.concat();
        assert!(every.windows(2).all(|pair| pair[0] < pair[1]), "{every:?}");
        // Asked for a post, it opens on that post's page.
        for (index, page) in [(0, 0), (49, 0), (50, 1), (119, 2)] {
            let post = Some(kring_domain::PostId(every[index]));
            let opening = db.thread_opening(report.long_thread, member, post);
            assert_eq!(opening.await.unwrap().page, page, "post {index}");
        }
        assert_eq!(ids(-3).await, pages[0]);
        assert!(ids(i64::MAX).await.is_empty());
        assert!(db.is_cohort_member(member, report.cohort).await.unwrap());
        // Its generated words are found, in the member's cohorts alone.
        let found = search(db, member, "family", 0).await;
        assert!(!found.hits.is_empty());
        for hit in &found.hits {
            assert!(db.is_cohort_member(member, hit.cohort).await.unwrap());
        }
    });
}
