//! Reading module content over HTTP, on SQLite and PostgreSQL: who may read,
//! which language is shown, and the notices when it is not the reader's.

use crate::support;
use support::{client, start};

use kring_db::testing::TestDatabase;
use kring_db::{on_both_engines, NewText, Published};
use kring_domain::{Email, Language, UnitBody, UnitId, UnitTitle};
use reqwest::StatusCode;

#[tokio::test]
async fn members_read_units_in_their_language_or_the_source_with_a_notice() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let (status, _) = kring.call(&client(), "content/unit", &[("id", "1")]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        let lucia = kring.logged_in("lucia@demo.kring").await;
        let (status, unit) = kring.call(&lucia, "content/unit", &[("id", "1")]).await;
        assert_eq!(status, StatusCode::OK, "{unit}");
        assert_eq!(unit["shown"], "es");
        assert_eq!(unit["title"], "Cada persona es experta en su propia vida");
        assert!(
            unit["html"]
                .as_str()
                .unwrap()
                .starts_with("<p>Cada familia"),
            "{unit}"
        );
        assert_eq!(unit["outdated"], false);
        // The per-unit switch reads it in German.
        let (_, german) = kring
            .call(&lucia, "content/unit", &[("id", "1"), ("language", "de")])
            .await;
        assert_eq!(german["shown"], "de");

        // Sanne reads Dutch; this unit has no Dutch text, so English with a notice in Dutch.
        let sanne = kring.logged_in("sanne@demo.kring").await;
        let (_, page) = kring.get(&sanne, "/units/1").await;
        assert!(
            page.contains("Nog niet vertaald in het Nederlands — getoond in het Engels."),
            "{page}"
        );
        assert!(page.contains("<h1>Everyone is the expert of their own life</h1>"));

        // When the English source changes, the Spanish translation is marked outdated.
        let joseph = test
            .db
            .user_by_email(&Email::parse("facilitator@demo.kring").unwrap())
            .await
            .unwrap();
        let published = test
            .db
            .publish(&NewText {
                unit: UnitId(1),
                language: Language::En,
                base_number: 1,
                title: UnitTitle::parse("Everyone is the expert of their own life").unwrap(),
                body: UnitBody::parse("A family knows its own history.").unwrap(),
                source_number: None,
                author: joseph.id,
            })
            .await
            .unwrap();
        assert_eq!(published, Published::Revision(2));
        let (_, unit) = kring.call(&lucia, "content/unit", &[("id", "1")]).await;
        assert_eq!(unit["outdated"], true);
        let (_, page) = kring.get(&lucia, "/units/1").await;
        assert!(page.contains("El texto original ha cambiado"), "{page}");

        // Someone in no cohort of this program may not read it.
        let outsider = kring.outsider().await;
        let (status, body) = kring.call(&outsider, "content/unit", &[("id", "1")]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, _) = kring.call(&lucia, "content/unit", &[("id", "999")]).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    });
}

#[tokio::test]
async fn a_save_on_an_old_revision_keeps_the_text_and_shows_both() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        fn edit<'a>(base: &'a str, body: &'a str) -> [(&'static str, &'a str); 5] {
            [
                ("edit[unit]", "1"),
                ("edit[language]", "en"),
                ("edit[base]", base),
                ("edit[title]", "Everyone is the expert of their own life"),
                ("edit[body]", body),
            ]
        }
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let (status, _) = kring
            .call(&lucia, "content/publish", &edit("1", "Not hers to change"))
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "participants do not edit content"
        );

        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let maartje = kring.logged_in("admin@demo.kring").await;
        // Both opened revision 1. Joseph publishes first.
        let (status, body) = kring
            .call(&joseph, "content/publish", &edit("1", "Joseph's words."))
            .await;
        assert!(support::went_through(status), "{status} {body}");
        // Maartje's save on revision 1 is refused with a conflict, and her text is kept.
        let (status, body) = kring
            .call(&maartje, "content/publish", &edit("1", "Maartje's words."))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["code"]["edit_conflict"]["revision"], 2);
        let (_, editor) = kring
            .call(
                &maartje,
                "content/editor",
                &[("unit", "1"), ("language", "en"), ("conflict", "2")],
            )
            .await;
        assert_eq!(editor["from_draft"], true);
        assert_eq!(editor["body"], "Maartje's words.");
        assert_eq!(editor["conflict"][3], "Joseph's words.");
        assert_eq!(
            editor["base_number"], 2,
            "she merges onto Joseph's revision"
        );
        // She merges both and publishes on revision 2.
        let (status, _) = kring
            .call(
                &maartje,
                "content/publish",
                &edit("2", "Joseph's words. Maartje's words."),
            )
            .await;
        assert!(support::went_through(status));
        let current = test
            .db
            .current_revision(UnitId(1), Language::En)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (current.number, current.body.as_str()),
            (3, "Joseph's words. Maartje's words.")
        );

        // A draft is kept until published.
        let (status, _) = kring
            .call(&joseph, "content/draft", &edit("3", "Work in progress"))
            .await;
        assert!(support::went_through(status));
        let (_, editor) = kring
            .call(
                &joseph,
                "content/editor",
                &[("unit", "1"), ("language", "en")],
            )
            .await;
        assert_eq!(
            (editor["body"].as_str(), editor["from_draft"].as_bool()),
            (Some("Work in progress"), Some(true))
        );
        let too_long = "x".repeat(200_001);
        let (status, body) = kring
            .call(&joseph, "content/publish", &edit("3", &too_long))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    });
}

#[tokio::test]
async fn facilitators_preview_restore_and_reorder_participants_may_not() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let lucia = kring.logged_in("lucia@demo.kring").await;

        // The live preview is the readers' renderer: sanitised on the server.
        let body = "**Listen** first <script>alert(1)</script>";
        let (status, html) = kring
            .call(&joseph, "content/preview", &[("body", body)])
            .await;
        assert_eq!(status, StatusCode::OK);
        let html = html.as_str().unwrap();
        assert!(html.contains("<strong>Listen</strong>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        let (status, _) = kring
            .call(&lucia, "content/preview", &[("body", body)])
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Unit 2 has two English revisions; bringing back the first makes a third.
        let restore = [
            ("unit", "2"),
            ("language", "en"),
            ("number", "1"),
            ("base", "2"),
        ];
        let (status, _) = kring.call(&lucia, "content/restore", &restore).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = kring.call(&joseph, "content/restore", &restore).await;
        assert!(support::went_through(status), "{status} {body}");
        let history = test.db.revisions(UnitId(2), Language::En).await.unwrap();
        assert_eq!(history.len(), 3, "history is never rewritten");
        assert_eq!(history[0].restored_from, Some(1));
        assert_eq!(history[0].body, history[2].body);
        // Restoring on a revision that is no longer the newest is a conflict.
        let (status, body) = kring.call(&joseph, "content/restore", &restore).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");

        let (_, page) = kring
            .get(&joseph, "/units/2/history?lang=en&from=2&to=3")
            .await;
        assert!(page.contains("Restores revision 1"), "{page}");
        assert!(page.contains("Changes from revision 2 to 3"));
        assert!(page.contains("diff-line removed") && page.contains("diff-line added"));
        let (status, _) = kring
            .call(
                &lucia,
                "content/history",
                &[("unit", "2"), ("language", "en")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Units are put in order as a whole; an order missing a unit is refused.
        let (status, _) = kring
            .call(
                &lucia,
                "order/save",
                &[("kind", "units"), ("parent", "1"), ("order", "3,2,1")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = kring
            .call(
                &joseph,
                "order/save",
                &[("kind", "units"), ("parent", "1"), ("order", "1,2")],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = kring
            .call(
                &joseph,
                "order/save",
                &[("kind", "units"), ("parent", "1"), ("order", "3,1,2")],
            )
            .await;
        assert!(support::went_through(status));
        let (status, _) = kring
            .call(
                &joseph,
                "order/move",
                &[
                    ("kind", "units"),
                    ("parent", "1"),
                    ("item", "2"),
                    ("by", "-1"),
                ],
            )
            .await;
        assert!(support::went_through(status));
        let (_, module) = kring.call(&lucia, "module", &[("id", "1")]).await;
        let order: Vec<i64> = module["module"]["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|unit| unit["id"].as_i64().unwrap())
            .collect();
        assert_eq!(order, [3, 2, 1]);
        // Modules too, by the same two functions.
        let (status, _) = kring
            .call(
                &joseph,
                "order/move",
                &[
                    ("kind", "modules"),
                    ("parent", "1"),
                    ("item", "3"),
                    ("by", "-2"),
                ],
            )
            .await;
        assert!(support::went_through(status));
        let (_, program) = kring.call(&lucia, "program", &[("id", "1")]).await;
        assert_eq!(program["modules"][0]["id"], 3);
        assert!(
            module["matrix"].is_null(),
            "participants see no translation matrix"
        );
        let (_, page) = kring.get(&joseph, "/modules/1").await;
        assert!(
            page.contains("Outdated") && page.contains("Missing"),
            "{page}"
        );
    });
}

#[tokio::test]
async fn readers_mark_units_done_find_them_and_continue_where_they_stopped() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let (_, page) = kring.get(&lucia, "/units/3").await;
        assert!(page.contains("Marcar como hecha"), "{page}");
        // The page reports the visit once shown (its island posts it).
        let (status, _) = kring.call(&lucia, "units/visited", &[("unit", "3")]).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = kring
            .call(&lucia, "units/done", &[("unit", "3"), ("done", "true")])
            .await;
        assert!(support::went_through(status));
        let (_, page) = kring.get(&lucia, "/programs/1").await;
        assert!(page.contains("Continúa donde lo dejaste"), "{page}");
        assert!(page.contains("href=\"/units/3\""));
        assert!(page.contains("1 de 3 unidades hechas"));
        let (_, page) = kring.get(&lucia, "/units/3").await;
        assert!(page.contains("Marcaste esta unidad como hecha"));

        // Search in Spanish, with the match highlighted.
        let (status, page) = kring.get(&lucia, "/search?q=ecomapa").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("<mark>ecomapa</mark>"), "{page}");
        assert!(page.contains("El círculo alrededor de un niño"));
        let (status, body) = kring.call(&lucia, "search", &[("query", "*** ---")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["message"].as_str().unwrap().contains("palabra"),
            "{body}"
        );
        let (status, _) = kring
            .call(&client(), "search", &[("query", "familia")])
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    });
}

#[tokio::test]
async fn refused_saves_keep_the_text_and_translations_name_a_real_source_revision() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let draft = [
            ("edit[unit]", "2"),
            ("edit[language]", "es"),
            ("edit[base]", "1"),
            ("edit[title]", "Primero la relación"),
            ("edit[body]", "Texto"),
        ];
        let (status, _) = kring.call(&lucia, "content/draft", &draft).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "participants keep no drafts");

        // A plain form (no WebAssembly) publishing with an empty title comes back
        // with the error, and the text is kept as the author's draft.
        let response = joseph
            .post(format!("{}/api/content/publish", kring.base))
            .header("Accept", "text/html")
            .form(&[
                ("edit[unit]", "2"),
                ("edit[language]", "es"),
                ("edit[base]", "1"),
                ("edit[title]", "   "),
                (
                    "edit[body]",
                    "Una traducción revisada que no debe perderse.",
                ),
            ])
            .send()
            .await
            .unwrap();
        assert!(response.status().is_redirection(), "{}", response.status());
        let (_, editor) = kring
            .call(
                &joseph,
                "content/editor",
                &[("unit", "2"), ("language", "es")],
            )
            .await;
        assert_eq!(editor["from_draft"], true, "{editor}");
        assert_eq!(
            editor["body"],
            "Una traducción revisada que no debe perderse."
        );

        // A translation cannot claim a source revision that does not exist yet.
        let (status, _) = kring
            .call(
                &joseph,
                "content/publish",
                &[
                    ("edit[unit]", "2"),
                    ("edit[language]", "es"),
                    ("edit[base]", "1"),
                    ("edit[title]", "Primero la relación"),
                    ("edit[body]", "Texto revisado."),
                    ("edit[source]", "99"),
                ],
            )
            .await;
        assert!(support::went_through(status), "{status}");
        let spanish = test
            .db
            .current_revision(UnitId(2), Language::Es)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            spanish.source_number,
            Some(2),
            "the English text is at revision 2"
        );
    });
}
