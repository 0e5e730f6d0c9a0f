//! The forum's storage against real databases: a fresh SQLite file and a fresh
//! PostgreSQL database.

use kring_db::testing::TestDatabase;
use kring_db::{demo, on_both_engines, CategoryKind, Db, DbError, EventKind, NewReply, NewUser};
use kring_domain::forum::{HideReason, PostBody, ReplyTag, ThreadTitle};
use kring_domain::{
    CohortId, Country, DisplayName, Email, Language, ModuleId, NewPassword, Role, TimeZone, UserId,
};
use std::sync::Arc;

pub(crate) async fn person(db: &Db, email: &str) -> UserId {
    db.create_user(NewUser {
        email: Email::parse(email).unwrap(),
        display_name: DisplayName::parse(email.split('@').next().unwrap()).unwrap(),
        password: NewPassword::parse("a long enough phrase").unwrap(),
        role: Role::Participant,
        organisation_id: None,
        country: Country::parse("GH").unwrap(),
        language: Language::En,
        time_zone: TimeZone::parse("Africa/Accra").unwrap(),
    })
    .await
    .unwrap()
    .id
}

pub(crate) async fn existing(db: &Db, email: &str) -> UserId {
    db.user_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn a_cohort_forum_has_a_category_per_module_then_cases_and_general() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        let cohort = CohortId(1);
        db.create_forum(cohort).await.unwrap();
        db.create_forum(cohort).await.unwrap();
        let kinds: Vec<CategoryKind> = db
            .categories(cohort)
            .await
            .unwrap()
            .into_iter()
            .map(|category| category.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                CategoryKind::Module(ModuleId(1)),
                CategoryKind::Module(ModuleId(2)),
                CategoryKind::Module(ModuleId(3)),
                CategoryKind::Cases,
                CategoryKind::General,
                // The demo's consultation circle.
                CategoryKind::Circle(kring_domain::CircleId(1)),
            ],
            "created once, however often asked"
        );
        // A module added to the program later gets its category, in the program's order.
        let added = db
            .create_module(kring_domain::ProgramId(1), 4, Language::En)
            .await
            .unwrap();
        db.create_forum(cohort).await.unwrap();
        let kinds: Vec<CategoryKind> = db
            .categories(cohort)
            .await
            .unwrap()
            .into_iter()
            .map(|category| category.kind)
            .collect();
        assert_eq!(kinds[3], CategoryKind::Module(added));
        assert_eq!(kinds[4..6], [CategoryKind::Cases, CategoryKind::General]);
        assert_eq!(kinds.len(), 7);
    });
}

#[tokio::test]
async fn a_thread_page_reads_its_thread_standing_topic_and_opening_at_once() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        let amara = existing(db, "amara@demo.kring").await;
        let outsider = person(db, "outsider@example.org").await;
        let title = ThreadTitle::parse("What a page reads first").unwrap();
        let body = PostBody::parse("A first post").unwrap();
        // Every kind of category: modules translated into both languages or
        // into Spanish alone (German falls back to the source), cases, general, a circle.
        for category in db.categories(CohortId(1)).await.unwrap() {
            let (thread, first) = db
                .start_thread(category.id, amara, &title, &body, false)
                .await
                .unwrap();
            for language in [Language::Es, Language::De] {
                let topic = match (category.kind, language) {
                    (CategoryKind::Module(ModuleId(1)), Language::Es) => {
                        Some("Trabajar con familias y comunidades".to_owned())
                    }
                    (CategoryKind::Module(ModuleId(1)), _) => {
                        Some("Arbeit mit Familien und Gemeinschaften".to_owned())
                    }
                    (CategoryKind::Module(ModuleId(2)), Language::Es) => {
                        Some("Control de acceso y prevención".to_owned())
                    }
                    // Not translated into German: in the module's own language.
                    (CategoryKind::Module(ModuleId(2)), _) => {
                        Some("Gatekeeping and prevention".to_owned())
                    }
                    (CategoryKind::Module(ModuleId(3)), Language::Es) => Some(
                        "Transforming together and advocating for children's rights".to_owned(),
                    ),
                    (CategoryKind::Module(ModuleId(3)), _) => {
                        Some("Gemeinsam verändern und für Kinderrechte eintreten".to_owned())
                    }
                    (CategoryKind::Module(module), _) => panic!("no such demo module: {module:?}"),
                    (CategoryKind::Circle(circle), _) => {
                        Some(db.circle(circle).await.unwrap().question)
                    }
                    (CategoryKind::Cases | CategoryKind::General, _) => None,
                };
                for (reader, post) in [(amara, None), (outsider, None), (outsider, Some(first))] {
                    let head = db
                        .thread_head(thread, reader, post, language)
                        .await
                        .unwrap();
                    assert_eq!(head.thread, db.thread(thread).await.unwrap());
                    let standing = db.standing(reader, &category).await.unwrap();
                    assert_eq!(head.standing, standing, "{category:?}");
                    assert_eq!(head.topic, topic, "{category:?} in {language:?}");
                    let opening = db.thread_opening(thread, reader, post).await.unwrap();
                    assert_eq!(head.opening, opening, "{category:?}");
                }
                let head = db
                    .category_head(category.id, amara, language)
                    .await
                    .unwrap();
                assert_eq!(head.category, category);
                let standing = db.standing(amara, &category).await.unwrap();
                assert_eq!(head.standing, standing, "{category:?}");
                assert_eq!(head.topic, topic, "{category:?} in {language:?}");
                let threads = db.threads(category.id, amara, 0).await.unwrap().len() as i64;
                assert_eq!(head.opening.threads, threads, "{category:?}");
                let events = db.category_events_after(category.id, 0).await.unwrap();
                let latest = events.last().map_or(0, |event| event.id);
                assert_eq!(head.opening.latest_event, latest, "{category:?}");
            }
        }
        let missing = kring_domain::ThreadId(999_999);
        assert!(matches!(
            db.thread_head(missing, amara, None, Language::En).await,
            Err(DbError::NotFound)
        ));
        let missing = kring_domain::CategoryId(999_999);
        assert!(matches!(
            db.category_head(missing, amara, Language::En).await,
            Err(DbError::NotFound)
        ));
    });
}

#[tokio::test]
async fn catching_up_after_an_event_returns_exactly_the_later_ones_in_order() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        db.create_forum(CohortId(1)).await.unwrap();
        let general = db.categories(CohortId(1)).await.unwrap()[4].id;
        let amara = existing(db, "amara@demo.kring").await;
        let lucia = existing(db, "lucia@demo.kring").await;
        let title = ThreadTitle::parse("Introductions").unwrap();
        let (thread, first) = db
            .start_thread(
                general,
                amara,
                &title,
                &PostBody::parse("Hello from Accra").unwrap(),
                false,
            )
            .await
            .unwrap();
        let mut posts = vec![first];
        for n in 1..=5 {
            let body = PostBody::parse(&format!("Reply {n}")).unwrap();
            let post = db
                .reply(&NewReply {
                    thread,
                    author: lucia,
                    body: &body,
                    tag: (n == 3).then_some(ReplyTag::Question),
                    quote_of: (n == 1).then_some(first),
                })
                .await
                .unwrap();
            posts.push(post);
        }
        let all = db.events_after(thread, 0).await.unwrap();
        assert_eq!(all.len(), 6);
        assert!(all.windows(2).all(|pair| pair[0].id < pair[1].id));
        assert!(all.iter().all(|event| event.kind == EventKind::Created));
        let seen = all[2].id;
        let later = db.events_after(thread, seen).await.unwrap();
        assert_eq!(later, all[3..].to_vec(), "exactly the events after {seen}");
        let posts_after: Vec<_> = later.iter().map(|event| event.post).collect();
        assert_eq!(posts_after, posts[3..].to_vec());
        assert!(db.events_after(thread, all[5].id).await.unwrap().is_empty());
    });
}

#[tokio::test]
async fn a_circle_never_holds_more_than_its_places_under_twenty_concurrent_joins() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = Arc::new(test.db.clone());
        let facilitator = existing(&db, "facilitator@demo.kring").await;
        let question = ThreadTitle::parse("How do we tell a family that we are worried?").unwrap();
        assert!(db
            .open_circle(CohortId(1), &question, 11, facilitator)
            .await
            .is_err());
        let (circle, category) = db
            .open_circle(CohortId(1), &question, 10, facilitator)
            .await
            .unwrap();
        let mut people = Vec::new();
        for n in 0..20 {
            people.push(person(&db, &format!("joiner{n}@example.org")).await);
        }
        let joins = people.iter().map(|user| {
            let db = db.clone();
            let user = *user;
            tokio::spawn(async move { db.join_circle(circle, user).await })
        });
        let outcomes: Vec<_> = futures_join(joins).await;
        let joined = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
        let full = outcomes
            .iter()
            .filter(|outcome| matches!(outcome, Err(DbError::CircleFull)))
            .count();
        assert_eq!((joined, full), (10, 10), "{outcomes:?}");
        assert_eq!(db.circle_members(circle).await.unwrap().len(), 10);
        let member = db.circle_members(circle).await.unwrap()[0];
        assert!(matches!(
            db.join_circle(circle, member).await,
            Err(DbError::AlreadyMember)
        ));
        let categories = db.categories(CohortId(1)).await.unwrap();
        assert!(categories
            .iter()
            .any(|c| c.id == category && c.kind == CategoryKind::Circle(circle)));
    });
}

/// Waits for every spawned join, in order.
async fn futures_join<T>(
    handles: impl Iterator<Item = tokio::task::JoinHandle<Result<T, DbError>>>,
) -> Vec<Result<T, DbError>> {
    let mut outcomes = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        outcomes.push(handle.await.unwrap());
    }
    outcomes
}

#[tokio::test]
async fn unread_posts_and_notifications_for_replies_quotes_and_mentions() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        db.create_forum(CohortId(1)).await.unwrap();
        let cases = db.categories(CohortId(1)).await.unwrap()[3].id;
        let (amara, lucia, anush) = (
            existing(db, "amara@demo.kring").await,
            existing(db, "lucia@demo.kring").await,
            existing(db, "anush@demo.kring").await,
        );
        // The demo forum already told people about its replies; count from here.
        let mut before = Vec::new();
        for user in [amara, anush, lucia] {
            before.push(db.unread_notifications(user).await.unwrap());
        }
        let title = ThreadTitle::parse("A grandmother who wants to help").unwrap();
        let (thread, first) = db
            .start_thread(
                cases,
                amara,
                &title,
                &PostBody::parse("The case…").unwrap(),
                true,
            )
            .await
            .unwrap();
        assert_eq!(db.threads(cases, amara, 0).await.unwrap()[0].unread, 1);
        let first_unread = || async {
            db.thread_opening(thread, amara, None)
                .await
                .unwrap()
                .first_unread
        };
        db.mark_read(amara, thread, first).await.unwrap();
        assert_eq!(first_unread().await, None);

        // Lucia quotes Amara and mentions Anush (and an address, which is no mention).
        let body = PostBody::parse("What does @anush think? Write to amara@demo.kring").unwrap();
        let reply = db
            .reply(&NewReply {
                thread,
                author: lucia,
                body: &body,
                tag: Some(ReplyTag::Question),
                quote_of: Some(first),
            })
            .await
            .unwrap();
        let summary = &db.threads(cases, amara, 0).await.unwrap()[0];
        assert_eq!((summary.post_count, summary.unread), (2, 1));
        assert!(summary.is_case);
        let opening = db.thread_opening(thread, lucia, None).await.unwrap();
        assert_eq!(
            (opening.posts, opening.first_unread, opening.page),
            (2, Some(first), 0)
        );
        assert_eq!(first_unread().await, Some(reply));
        // Reading never moves back.
        db.mark_read(amara, thread, reply).await.unwrap();
        db.mark_read(amara, thread, first).await.unwrap();
        assert_eq!(first_unread().await, None);

        // Amara: a reply in her thread and a quote of her post; Anush: a mention; Lucia: nothing.
        assert_eq!(db.unread_notifications(amara).await.unwrap() - before[0], 2);
        assert_eq!(db.unread_notifications(anush).await.unwrap() - before[1], 1);
        assert_eq!(db.unread_notifications(lucia).await.unwrap() - before[2], 0);

        let posts = db.posts(thread, 0).await.unwrap();
        assert_eq!(posts.len(), 2);
        assert_eq!(posts[1].tag, Some(ReplyTag::Question));
        assert_eq!(posts[1].quote_of, Some(first));
        assert_eq!(posts[1].author.as_deref(), Some("Lucía Quispe"));
    });
}

#[tokio::test]
async fn edits_keep_history_removals_and_hides_stay_visible_as_such_and_are_announced() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        db.create_forum(CohortId(1)).await.unwrap();
        let general = db.categories(CohortId(1)).await.unwrap()[4].id;
        let (amara, lucia, joseph) = (
            existing(db, "amara@demo.kring").await,
            existing(db, "lucia@demo.kring").await,
            existing(db, "facilitator@demo.kring").await,
        );
        let (thread, post) = db
            .start_thread(
                general,
                amara,
                &ThreadTitle::parse("Respite care").unwrap(),
                &PostBody::parse("First words").unwrap(),
                false,
            )
            .await
            .unwrap();
        let better = PostBody::parse("Better words").unwrap();
        assert_eq!(
            db.edit_post(post, lucia, &better).await.unwrap(),
            None,
            "not hers"
        );
        assert_eq!(
            db.edit_post(post, amara, &better).await.unwrap(),
            Some(thread)
        );
        let history = db.post_history(post).await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].0, "First words");

        let body = PostBody::parse("Off topic").unwrap();
        let reply = db
            .reply(&NewReply {
                thread,
                author: lucia,
                body: &body,
                tag: None,
                quote_of: None,
            })
            .await
            .unwrap();
        assert_eq!(
            db.hide_post(
                reply,
                joseph,
                &HideReason::parse("Please keep to the thread").unwrap()
            )
            .await
            .unwrap(),
            Some(thread)
        );
        assert_eq!(db.delete_post(post, lucia).await.unwrap(), None, "not hers");
        assert_eq!(db.delete_post(post, amara).await.unwrap(), Some(thread));
        assert_eq!(
            db.delete_post(post, amara).await.unwrap(),
            None,
            "already removed"
        );

        let posts = db.posts(thread, 0).await.unwrap();
        assert!(posts[0].deleted && posts[0].edited);
        assert_eq!(
            posts[1].hidden_reason.as_deref(),
            Some("Please keep to the thread")
        );
        let kinds: Vec<EventKind> = db
            .events_after(thread, 0)
            .await
            .unwrap()
            .iter()
            .map(|event| event.kind)
            .collect();
        // A replay sends each changed post once, by its newest event: the
        // reply as hidden, the first post as removed (never their old text).
        assert_eq!(kinds, [EventKind::Hidden, EventKind::Deleted]);
    });
}

#[tokio::test]
async fn committed_events_reach_live_subscribers_of_every_instance_in_order() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let writer = &test.db;
        // On PostgreSQL a second pool stands for a second app instance, told
        // through LISTEN/NOTIFY; SQLite serves one instance.
        let reader = match test.engine() {
            kring_db::Engine::Postgres => Db::connect(&test.url).await.unwrap(),
            kring_db::Engine::Sqlite => test.db.clone(),
        };
        let mut live = reader.live_events().await.unwrap();
        let general = writer.categories(CohortId(1)).await.unwrap()[4].id;
        let amara = existing(writer, "amara@demo.kring").await;
        let (thread, first) = writer
            .start_thread(
                general,
                amara,
                &ThreadTitle::parse("Live").unwrap(),
                &PostBody::parse("First").unwrap(),
                false,
            )
            .await
            .unwrap();
        let second = writer
            .reply(&NewReply {
                thread,
                author: amara,
                body: &PostBody::parse("Second").unwrap(),
                tag: None,
                quote_of: None,
            })
            .await
            .unwrap();
        let mut received = Vec::new();
        while received.len() < 2 {
            let kring_db::LiveEvent::Forum(event) =
                tokio::time::timeout(std::time::Duration::from_secs(2), live.recv())
                    .await
                    .expect("an event within 2 seconds")
                    .unwrap()
            else {
                continue;
            };
            assert_eq!((event.thread, event.category), (thread, general));
            received.push(event);
        }
        assert_eq!(
            received.iter().map(|event| event.post).collect::<Vec<_>>(),
            [first, second]
        );
        assert!(received[0].id < received[1].id);
        assert_eq!(writer.events_after(thread, 0).await.unwrap(), received);
    });
}
