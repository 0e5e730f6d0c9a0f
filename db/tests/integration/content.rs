//! Unit revisions against real databases: a fresh SQLite file and a fresh PostgreSQL database.

use kring_db::testing::TestDatabase;
use kring_db::{demo, on_both_engines, Db, NewText, Published, Siblings};
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
async fn demo_texts_are_published_as_revisions_with_one_outdated_translation() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        // Migrations ran before the demo loaded: the demo's texts are published through revisions too.
        let first = test
            .db
            .current_revision(UnitId(1), Language::En)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(first.number, 1);
        assert!(
            first.body.split_whitespace().count() > 300,
            "a substantive text"
        );
        // "Relationship first" was rewritten after its Spanish translation was made.
        let current = test
            .db
            .current_revision(UnitId(2), Language::En)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(current.number, 2);
        assert!(current
            .body
            .starts_with("Families who have had bad experiences"));
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
        let unit = UnitId(1);
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

#[tokio::test]
async fn the_matrix_shows_missing_current_and_outdated_translations() {
    use kring_domain::{ModuleId, TranslationStatus::*};
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let matrix = test.db.translation_matrix(ModuleId(1)).await.unwrap();
        let statuses: Vec<Vec<_>> = matrix
            .iter()
            .map(|row| row.statuses.iter().map(|(_, status)| *status).collect())
            .collect();
        // Columns: English (source), Spanish, German, Dutch.
        assert_eq!(
            statuses,
            [
                vec![Current, Current, Current, Missing],
                vec![Current, Outdated, Missing, Missing],
                vec![Current, Current, Missing, Current],
            ]
        );
        assert_eq!(matrix[1].title, "Relationship first");
    });
}

#[tokio::test]
async fn units_are_added_up_to_the_limit_and_reordered_only_as_a_whole() {
    use kring_domain::{DomainError, ModuleId, MAX_UNITS_PER_MODULE};
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        let joseph = person(db, "facilitator@demo.kring").await;
        let module = ModuleId(3);
        let title = UnitTitle::parse("Listening to children").unwrap();
        let added = db.add_unit(module, &title, joseph).await.unwrap();
        let texts = db.unit_texts(added).await.unwrap();
        assert!(!texts.published, "a new unit starts hidden from readers");
        assert_eq!(texts.position, 3);
        assert_eq!(texts.source_revision(), 1);

        let units = Siblings::UnitsOf(module);
        let order = db.order(units).await.unwrap();
        assert_eq!(order.last(), Some(&added.0));
        let reversed: Vec<i64> = order.iter().rev().copied().collect();
        db.reorder(units, &reversed).await.unwrap();
        let now = db.order(units).await.unwrap();
        assert_eq!(now, reversed);
        let matrix: Vec<i64> = db
            .translation_matrix(module)
            .await
            .unwrap()
            .iter()
            .map(|row| row.unit.0)
            .collect();
        assert_eq!(matrix, reversed, "the matrix lists units in order");
        // An order that leaves a unit out (someone added one meanwhile) is refused.
        assert!(matches!(
            db.reorder(units, &reversed[1..]).await,
            Err(kring_db::DbError::Refused(DomainError::OrderMismatch))
        ));
        assert!(matches!(
            db.reorder(units, &[reversed[0], reversed[0], reversed[1]])
                .await,
            Err(kring_db::DbError::Refused(DomainError::OrderMismatch))
        ));
        // Modules are ordered the same way.
        let modules = Siblings::ModulesOf(kring_domain::ProgramId(1));
        db.reorder(modules, &[3, 1, 2]).await.unwrap();
        assert_eq!(db.order(modules).await.unwrap(), [3, 1, 2]);
        for _ in now.len()..MAX_UNITS_PER_MODULE {
            db.add_unit(module, &title, joseph).await.unwrap();
        }
        assert!(matches!(
            db.add_unit(module, &title, joseph).await,
            Err(kring_db::DbError::Refused(DomainError::ModuleFull))
        ));
    });
}

#[tokio::test]
async fn search_finds_published_units_in_the_readers_language_and_marks_the_words() {
    use kring_domain::search::{SearchQuery, MATCH_START};
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        let lucia = person(db, "lucia@demo.kring").await;
        let reader = |language| kring_db::Reader {
            user: lucia,
            language,
            staff: false,
        };
        let query = SearchQuery::parse("ecomapa").unwrap();
        let hits = db
            .search_units(&query, Language::Es, reader(Language::Es), 0)
            .await
            .unwrap()
            .hits;
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].title, "El círculo alrededor de un niño");
        assert!(hits[0].snippet.contains(MATCH_START), "{}", hits[0].snippet);
        assert_eq!(hits[0].module_title, "Trabajar con familias y comunidades");

        let gatekeeping = SearchQuery::parse("gatekeeping").unwrap();
        let english = db
            .search_units(&gatekeeping, Language::En, reader(Language::En), 0)
            .await
            .unwrap()
            .hits;
        assert!(english
            .iter()
            .any(|hit| hit.title == "What gatekeeping means"));
        // Spanish texts do not answer an English search in Spanish.
        assert!(db
            .search_units(&gatekeeping, Language::Es, reader(Language::Es), 0)
            .await
            .unwrap()
            .hits
            .is_empty());

        // A unit taken back to facilitators only disappears from readers' results.
        db.set_unit_published(english[0].unit, false).await.unwrap();
        let again = db
            .search_units(&gatekeeping, Language::En, reader(Language::En), 0)
            .await
            .unwrap()
            .hits;
        assert!(again.iter().all(|hit| hit.unit != english[0].unit));
        let staff = kring_db::Reader {
            staff: true,
            ..reader(Language::En)
        };
        assert!(db
            .search_units(&gatekeeping, Language::En, staff, 0)
            .await
            .unwrap()
            .hits
            .iter()
            .any(|hit| hit.unit == english[0].unit));

        // A new revision is searchable at once; the old words are gone.
        let joseph = person(db, "facilitator@demo.kring").await;
        let mut rewrite = text(UnitId(1), 1, joseph, "Zanzibar **storytelling** circles.");
        rewrite.title = UnitTitle::parse("Everyone is the expert of their own life").unwrap();
        db.publish(&rewrite).await.unwrap();
        let found = db
            .search_units(
                &SearchQuery::parse("zanzibar").unwrap(),
                Language::En,
                reader(Language::En),
                0,
            )
            .await
            .unwrap()
            .hits;
        assert_eq!(found.len(), 1);
        assert!(
            !found[0].snippet.contains("**"),
            "snippets show text, not Markdown"
        );
    });
}

#[tokio::test]
async fn readers_progress_and_where_they_stopped() {
    use kring_domain::ProgramId;
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        let lucia = person(db, "lucia@demo.kring").await;
        let program = ProgramId(1);
        assert_eq!(db.last_visited(lucia, program).await.unwrap(), None);
        db.record_visit(lucia, UnitId(1)).await.unwrap();
        db.set_done(lucia, UnitId(1), true).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        db.record_visit(lucia, UnitId(2)).await.unwrap();
        assert_eq!(
            db.last_visited(lucia, program).await.unwrap(),
            Some(UnitId(2))
        );
        let reader = kring_db::Reader {
            user: lucia,
            language: Language::Es,
            staff: false,
        };
        let outline = db.program_outline(program, None, reader).await.unwrap();
        assert_eq!(outline[0].done_count(), 1);
        assert!(outline[0].units[0].done);
        assert!(!outline[0].units[1].done, "visiting is not finishing");
        db.set_done(lucia, UnitId(1), false).await.unwrap();
        let outline = db.program_outline(program, None, reader).await.unwrap();
        assert_eq!(outline[0].done_count(), 0);
    });
}
