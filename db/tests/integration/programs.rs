//! Building programs against real databases: modules created, translated with
//! revisions, reordered and archived; a copy for a new year with every language's
//! current text and fresh history; two editors on one text lose nothing.

use super::meetings::person;
use kring_db::testing::TestDatabase;
use kring_db::{
    on_both_engines, Db, DbError, NewOutlineText, OutlineItem, OutlinePublished, Reader, Siblings,
};
use kring_domain::{
    Language, ModuleId, OutlineSummary, OutlineTitle, ProgramId, Role, TranslationStatus,
    UnitTitle, UserId,
};

fn title(text: &str) -> OutlineTitle {
    OutlineTitle::parse(text).unwrap()
}

fn summary(text: &str) -> OutlineSummary {
    OutlineSummary::parse(text).unwrap()
}

async fn publish(
    db: &Db,
    item: OutlineItem,
    language: Language,
    base: i64,
    text: &str,
    author: UserId,
) -> OutlinePublished {
    let texts = db.outline_texts(item).await.unwrap();
    db.publish_outline(&NewOutlineText {
        item,
        language,
        base_number: base,
        title: title(text),
        summary: summary(&format!("About {text}")),
        source_number: (language != texts.source_language).then(|| texts.source_revision()),
        author,
    })
    .await
    .unwrap()
}

/// "Mutual Learning Program 2027" with two modules, the first with a unit, and Spanish titles.
async fn program_2027(db: &Db, author: UserId) -> (ProgramId, ModuleId, ModuleId) {
    let program = db
        .new_program(
            &title("Mutual Learning Program 2027"),
            &summary("Twelve sessions over six months."),
            Language::En,
            Some(author),
            false,
        )
        .await
        .unwrap();
    let first = db
        .add_module(
            program,
            &title("Listening"),
            &summary("How we listen."),
            Some(author),
        )
        .await
        .unwrap();
    let second = db
        .add_module(program, &title("Cases"), &summary(""), Some(author))
        .await
        .unwrap();
    db.add_unit(first, &UnitTitle::parse("Listening first").unwrap(), author)
        .await
        .unwrap();
    (program, first, second)
}

#[tokio::test]
async fn a_program_is_built_translated_reordered_and_archived() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let joseph = person(db, "joseph@example.org", Role::Facilitator).await;
        let other = person(db, "other@example.org", Role::Facilitator).await;
        let (program, first, second) = program_2027(db, joseph).await;
        // Its creator builds it; another facilitator does not.
        assert!(db
            .runs_program(joseph, Role::Facilitator, program)
            .await
            .unwrap());
        assert!(!db
            .runs_program(other, Role::Facilitator, program)
            .await
            .unwrap());
        assert!(!db.program_published(program).await.unwrap());

        // The first module's title in Spanish: current, until the English one changes.
        let module = OutlineItem::Module(first);
        assert_eq!(
            publish(db, module, Language::Es, 0, "Escuchar", joseph).await,
            OutlinePublished::Revision(1)
        );
        let texts = db.outline_texts(module).await.unwrap();
        assert_eq!(texts.status(Language::Es), TranslationStatus::Current);
        assert_eq!(texts.status(Language::De), TranslationStatus::Missing);
        assert_eq!(
            publish(db, module, Language::En, 1, "Listening well", joseph).await,
            OutlinePublished::Revision(2)
        );
        let texts = db.outline_texts(module).await.unwrap();
        assert_eq!(texts.status(Language::Es), TranslationStatus::Outdated);
        assert_eq!(texts.text(Language::En).unwrap().title, "Listening well");

        // Two editors on the same base: the second is refused with the first's text, and keeps theirs.
        assert_eq!(
            publish(db, module, Language::En, 2, "Listening, first", joseph).await,
            OutlinePublished::Revision(3)
        );
        match publish(db, module, Language::En, 2, "Listening, second", other).await {
            OutlinePublished::Conflict { theirs } => {
                assert_eq!(theirs.number, 3);
                assert_eq!(theirs.title, "Listening, first");
            }
            other => panic!("{other:?}"),
        }
        let kept = db
            .outline_draft(module, Language::En, other)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (kept.title.as_str(), kept.base_number),
            ("Listening, second", 2)
        );

        // The program's own title follows into its name; a name in use is refused.
        let program_item = OutlineItem::Program(program);
        assert_eq!(
            publish(
                db,
                program_item,
                Language::En,
                1,
                "Mutual Learning Program 2027-28",
                joseph
            )
            .await,
            OutlinePublished::Revision(2)
        );
        assert_eq!(
            db.program_name(program, Language::Nl).await.unwrap(),
            "Mutual Learning Program 2027-28"
        );
        db.create_program(&kring_domain::GroupName::parse("Taken").unwrap(), "")
            .await
            .unwrap();
        let texts = db.outline_texts(program_item).await.unwrap();
        assert!(matches!(
            db.publish_outline(&NewOutlineText {
                item: program_item,
                language: Language::En,
                base_number: texts.source_revision(),
                title: title("Taken"),
                summary: summary(""),
                source_number: None,
                author: joseph,
            })
            .await,
            Err(DbError::ProgramNameTaken)
        ));

        // Reordered, then the second archived: readers no longer see it, staff do.
        db.reorder(Siblings::ModulesOf(program), &[second.0, first.0])
            .await
            .unwrap();
        db.set_module_archived(second, true).await.unwrap();
        let reader = |staff| Reader {
            user: joseph,
            language: Language::Es,
            staff,
        };
        let shown = db
            .program_outline(program, None, reader(false))
            .await
            .unwrap();
        assert_eq!(shown.len(), 1);
        assert_eq!(
            shown[0].title, "Escuchar",
            "the Spanish title, though outdated"
        );
        let staff = db
            .program_outline(program, None, reader(true))
            .await
            .unwrap();
        let order: Vec<(ModuleId, bool)> = staff.iter().map(|m| (m.id, m.archived)).collect();
        assert_eq!(order, [(second, true), (first, false)]);
        db.set_module_archived(second, false).await.unwrap();
        assert_eq!(
            db.program_outline(program, None, reader(false))
                .await
                .unwrap()
                .len(),
            2
        );
    });
}

#[tokio::test]
async fn a_copy_carries_every_current_text_with_fresh_history() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let joseph = person(db, "joseph@example.org", Role::Facilitator).await;
        let (program, first, second) = program_2027(db, joseph).await;
        publish(
            db,
            OutlineItem::Module(first),
            Language::Es,
            0,
            "Escuchar",
            joseph,
        )
        .await;
        publish(
            db,
            OutlineItem::Module(first),
            Language::De,
            0,
            "Zuhören",
            joseph,
        )
        .await;
        // The English title changes after the German one was made: German is outdated.
        publish(
            db,
            OutlineItem::Module(first),
            Language::En,
            1,
            "Listening well",
            joseph,
        )
        .await;
        publish(
            db,
            OutlineItem::Module(first),
            Language::Es,
            1,
            "Escuchar bien",
            joseph,
        )
        .await;
        let unit = db
            .program_outline(
                program,
                Some(first),
                Reader {
                    user: joseph,
                    language: Language::En,
                    staff: true,
                },
            )
            .await
            .unwrap()[0]
            .units[0]
            .id;
        db.translate_unit(unit, Language::Es, "Escuchar primero", "Texto.")
            .await
            .unwrap();
        db.set_module_archived(second, true).await.unwrap();

        let copy = db
            .copy_program(program, &title("Mutual Learning Program 2028"), joseph)
            .await
            .unwrap();
        assert!(
            !db.program_published(copy).await.unwrap(),
            "a copy is a draft"
        );
        assert_eq!(
            db.program_name(copy, Language::En).await.unwrap(),
            "Mutual Learning Program 2028"
        );
        let modules = db
            .program_outline(
                copy,
                None,
                Reader {
                    user: joseph,
                    language: Language::En,
                    staff: true,
                },
            )
            .await
            .unwrap();
        assert_eq!(modules.len(), 1, "archived modules stay behind");
        let copied = db
            .outline_texts(OutlineItem::Module(modules[0].id))
            .await
            .unwrap();
        let titles: Vec<(Language, &str, i64, TranslationStatus)> = copied
            .texts
            .iter()
            .map(|text| {
                (
                    text.language,
                    text.title.as_str(),
                    text.revision,
                    copied.status(text.language),
                )
            })
            .collect();
        assert_eq!(
            titles,
            [
                (Language::De, "Zuhören", 1, TranslationStatus::Outdated),
                (
                    Language::En,
                    "Listening well",
                    1,
                    TranslationStatus::Current
                ),
                (Language::Es, "Escuchar bien", 1, TranslationStatus::Current),
            ]
        );
        let unit_copy = db.unit_texts(modules[0].units[0].id).await.unwrap();
        assert_ne!(unit_copy.unit, unit);
        assert_eq!(
            unit_copy.text(Language::Es).unwrap().title,
            "Escuchar primero"
        );
        assert_eq!(unit_copy.text(Language::Es).unwrap().revision, 1);
        assert_eq!(
            db.revisions(unit_copy.unit, Language::Es)
                .await
                .unwrap()
                .len(),
            1,
            "history starts fresh"
        );
        // The copy's name must be free.
        assert!(matches!(
            db.copy_program(program, &title("Mutual Learning Program 2028"), joseph)
                .await,
            Err(DbError::ProgramNameTaken)
        ));
    });
}

#[tokio::test]
async fn a_program_exported_as_a_folder_and_imported_is_the_same_program() {
    use kring_domain::program_folder::{read_folder, write_folder};
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let joseph = person(db, "joseph@example.org", Role::Facilitator).await;
        let (program, first, _) = program_2027(db, joseph).await;
        publish(
            db,
            OutlineItem::Module(first),
            Language::Es,
            0,
            "Escuchar",
            joseph,
        )
        .await;
        publish(
            db,
            OutlineItem::Program(program),
            Language::Nl,
            0,
            "Wederzijds leren 2027",
            joseph,
        )
        .await;
        let unit = db.order(Siblings::UnitsOf(first)).await.unwrap()[0];
        db.translate_unit(
            kring_domain::UnitId(unit),
            Language::En,
            "Listening first",
            "# Listen\n\nWith *care*.\n",
        )
        .await
        .unwrap();
        db.translate_unit(
            kring_domain::UnitId(unit),
            Language::Es,
            "Escuchar primero",
            "# Escuchar\n",
        )
        .await
        .unwrap();

        let exported = db.program_folder(program).await.unwrap();
        let files = write_folder(&exported);
        assert!(
            files.contains_key("01-listening/01-listening-first.es.md"),
            "{:?}",
            files.keys()
        );
        // Moved to another deployment: a name free there.
        let mut read = read_folder(&files).unwrap();
        assert_eq!(read, exported, "the folder carries everything");
        read.texts[0].title = "Mutual Learning Program 2027 (imported)".to_owned();
        let imported = db.create_from_folder(&read, joseph).await.unwrap();
        let mut again = db.program_folder(imported).await.unwrap();
        assert!(!db.program_published(imported).await.unwrap());
        again.texts[0].title = exported.texts[0].title.clone();
        assert_eq!(again, exported, "the import reproduces the program");
        // Importing the same name twice is refused, and nothing is half-written.
        let programs_before = db.programs().await.unwrap().len();
        assert!(matches!(
            db.create_from_folder(&read, joseph).await,
            Err(DbError::ProgramNameTaken)
        ));
        assert_eq!(db.programs().await.unwrap().len(), programs_before);
    });
}
