//! Unit revisions against real databases: a fresh SQLite file and a fresh PostgreSQL database.

use kring_db::testing::TestDatabase;
use kring_db::{demo, on_both_engines, Db, NewText, Published};
use kring_domain::{Email, Language, UnitBody, UnitId, UnitTitle, UserId};

async fn person(db: &Db, email: &str) -> UserId {
    db.user_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .id
}

fn text(unit: UnitId, base: i64, author: UserId, body: &str) -> NewText {
    NewText {
        unit,
        language: Language::En,
        base_number: base,
        title: UnitTitle::parse("Relationship first").unwrap(),
        body: UnitBody::parse(body).unwrap(),
        source_number: None,
        author,
    }
}

#[tokio::test]
async fn demo_texts_are_published_as_revision_one() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        // Migrations ran before the demo loaded: the demo's texts are published through revisions too.
        let current = test
            .db
            .current_revision(UnitId(2), Language::En)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(current.number, 1);
        assert!(current.body.starts_with("Trust is built"));
        let spanish = test
            .db
            .current_revision(UnitId(2), Language::Es)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(spanish.source_number, Some(1));
        assert_eq!(
            test.db
                .current_revision(UnitId(2), Language::Nl)
                .await
                .unwrap(),
            None
        );
    });
}

#[tokio::test]
async fn two_saves_on_the_same_revision_one_wins_the_other_gets_both_texts() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        let (joseph, maartje) = (
            person(db, "facilitator@demo.kring").await,
            person(db, "admin@demo.kring").await,
        );
        let unit = UnitId(2);
        let mine = text(unit, 1, joseph, "Joseph's version");
        let theirs = text(unit, 1, maartje, "Maartje's version");
        let (a, b) = tokio::join!(db.publish(&mine), db.publish(&theirs));
        let outcomes = [a.unwrap(), b.unwrap()];
        let won: Vec<_> = outcomes
            .iter()
            .filter(|o| matches!(o, Published::Revision(2)))
            .collect();
        let lost: Vec<_> = outcomes
            .iter()
            .filter_map(|o| match o {
                Published::Conflict { theirs } => Some(theirs),
                Published::Revision(_) => None,
            })
            .collect();
        assert_eq!((won.len(), lost.len()), (1, 1), "{outcomes:?}");
        let current = db
            .current_revision(unit, Language::En)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(current.number, 2);
        // The loser is shown the winner's text (and still has their own, which was not stored).
        assert_eq!(lost[0].body, current.body);
        assert_eq!(
            db.revisions(unit, Language::En).await.unwrap().len(),
            2,
            "nothing overwritten"
        );
    });
}

#[tokio::test]
async fn restore_adds_a_revision_and_history_stays() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        let joseph = person(db, "facilitator@demo.kring").await;
        let unit = UnitId(3);
        let original = db
            .current_revision(unit, Language::En)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            db.publish(&text(unit, 1, joseph, "A rewrite"))
                .await
                .unwrap(),
            Published::Revision(2)
        );
        assert_eq!(
            db.restore(unit, Language::En, 1, 2, joseph).await.unwrap(),
            Published::Revision(3)
        );
        let history = db.revisions(unit, Language::En).await.unwrap();
        let numbers: Vec<i64> = history.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [3, 2, 1]);
        assert_eq!(history[0].body, original.body);
        assert_eq!(history[0].restored_from, Some(1));
        assert_eq!(history[0].author.as_deref(), Some("Joseph Mensah"));
        // A restore based on an old revision is a conflict like any other save.
        assert!(matches!(
            db.restore(unit, Language::En, 2, 2, joseph).await.unwrap(),
            Published::Conflict { .. }
        ));
    });
}

#[tokio::test]
async fn drafts_survive_until_published() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        let joseph = person(db, "facilitator@demo.kring").await;
        let unit = UnitId(4);
        assert_eq!(db.draft(unit, Language::En, joseph).await.unwrap(), None);
        db.save_draft(
            unit,
            Language::En,
            joseph,
            "Title",
            &UnitBody::parse("first words").unwrap(),
            1,
        )
        .await
        .unwrap();
        db.save_draft(
            unit,
            Language::En,
            joseph,
            "Title",
            &UnitBody::parse("first words, more").unwrap(),
            1,
        )
        .await
        .unwrap();
        let draft = db.draft(unit, Language::En, joseph).await.unwrap().unwrap();
        assert_eq!(
            (draft.body.as_str(), draft.base_number),
            ("first words, more", 1)
        );
        db.publish(&text(unit, 1, joseph, "first words, more"))
            .await
            .unwrap();
        assert_eq!(
            db.draft(unit, Language::En, joseph).await.unwrap(),
            None,
            "publishing clears the draft"
        );
    });
}
