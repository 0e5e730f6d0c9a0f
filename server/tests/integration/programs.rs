//! Building a program over HTTP, on both engines: who may start and edit one, texts
//! published per language with conflicts and refused input that loses nothing,
//! archived modules and draft programs hidden from members, and copies.

use crate::support::{start, went_through, Running};
use kring_db::testing::TestDatabase;
use kring_db::{on_both_engines, OutlineItem};
use kring_domain::{Language, ModuleId, ProgramId};
use reqwest::StatusCode;
use serde_json::Value;

/// The id in a redirect's `Location` (or a page path) after `prefix`.
fn id_after(location: &str, prefix: &str) -> i64 {
    let rest = &location[location.find(prefix).unwrap() + prefix.len()..];
    rest.split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The title-and-summary editor's fields for module `id`'s Spanish text.
fn module_texts<'a>(id: &'a str, base: &'a str, title: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("edit[kind]", "module"),
        ("edit[id]", id),
        ("edit[language]", "es"),
        ("edit[base]", base),
        ("edit[source]", "1"),
        ("edit[title]", title),
        ("edit[summary]", "Cómo escuchamos."),
    ]
}

#[tokio::test]
async fn facilitators_build_a_program_and_members_see_only_what_is_published() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let new_program = [
            ("title", "Mutual Learning Program 2027"),
            ("summary", "Twelve sessions of two hours."),
            ("language", "en"),
        ];
        let (status, _) = kring.call(&lucia, "programs/new", &new_program).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "participants do not start programs"
        );
        let (status, body) = kring
            .call(
                &joseph,
                "programs/new",
                &[("title", " "), ("summary", ""), ("language", "en")],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, body) = kring
            .call(
                &joseph,
                "programs/new",
                &[("title", "x"), ("summary", ""), ("language", "fr")],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let response = joseph
            .post(format!("{}/api/programs/new", kring.base))
            .header("Accept", "text/html")
            .form(&new_program)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_redirection());
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let program = id_after(&location, "/programs/");
        let program_id = program.to_string();
        let (status, page) = kring.get(&joseph, &format!("/programs/{program}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Mutual Learning Program 2027"), "{page}");

        // Modules: by those who build the program.
        let module = [
            ("program", program_id.as_str()),
            ("title", "Listening"),
            ("summary", "How we listen."),
        ];
        let (status, _) = kring.call(&lucia, "programs/modules/add", &module).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = kring.call(&joseph, "programs/modules/add", &module).await;
        assert!(went_through(status), "{status}");
        let first = test
            .db
            .order(kring_db::Siblings::ModulesOf(ProgramId(program)))
            .await
            .unwrap()[0];
        let first_id = first.to_string();

        // Its title in Spanish; a stale base is refused with 409, a bad title with 422,
        // and the text typed is kept as a draft the editor shows again.
        let (status, body) = kring
            .call(
                &joseph,
                "programs/texts/publish",
                &module_texts(&first_id, "0", "Escuchar"),
            )
            .await;
        assert!(went_through(status), "{status} {body}");
        let (status, body) = kring
            .call(
                &joseph,
                "programs/texts/publish",
                &module_texts(&first_id, "0", "Oír"),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["code"]["edit_conflict"]["revision"], Value::from(1));
        let long = "é".repeat(201);
        let (status, _) = kring
            .call(
                &joseph,
                "programs/texts/publish",
                &module_texts(&first_id, "1", &long),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (_, editor) = kring
            .get(&joseph, &format!("/modules/{first}/texts?lang=es"))
            .await;
        assert!(editor.contains(&"é".repeat(200)), "the typed title is kept");
        let texts = test
            .db
            .outline_texts(OutlineItem::Module(ModuleId(first)))
            .await
            .unwrap();
        assert_eq!(texts.text(Language::Es).unwrap().title, "Escuchar");

        // A draft program is for its builders only.
        test.execute(&format!(
            "UPDATE cohorts SET program_id = {program} WHERE id = 1"
        ))
        .await;
        let (status, _) = kring.get(&lucia, &format!("/programs/{program}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "not published yet");
        let (status, _) = kring
            .call(
                &lucia,
                "programs/publish",
                &[("program", &program_id), ("published", "true")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = kring
            .call(
                &joseph,
                "programs/publish",
                &[("program", &program_id), ("published", "true")],
            )
            .await;
        assert!(went_through(status));
        let (status, page) = kring.get(&lucia, &format!("/programs/{program}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("Escuchar"),
            "Lucía reads the Spanish title: {page}"
        );

        // An archived module is gone for members, and back when brought back.
        let (status, _) = kring
            .call(
                &joseph,
                "programs/modules/archive",
                &[("module", &first_id), ("archived", "true")],
            )
            .await;
        assert!(went_through(status));
        let (_, page) = kring.get(&lucia, &format!("/programs/{program}")).await;
        assert!(!page.contains("Escuchar"));
        let (status, _) = kring.get(&lucia, &format!("/modules/{first}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, page) = kring.get(&joseph, &format!("/programs/{program}")).await;
        assert!(page.contains("Listening"), "staff still see it");

        // A copy for the next year: a draft, named anew; the name must be free.
        let (status, _) = kring
            .call(
                &lucia,
                "programs/copy",
                &[("program", &program_id), ("name", "Copy")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = kring
            .call(
                &joseph,
                "programs/copy",
                &[
                    ("program", &program_id),
                    ("name", "Mutual Learning Program 2027"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        let (status, _) = kring
            .call(
                &joseph,
                "programs/copy",
                &[
                    ("program", &program_id),
                    ("name", "Mutual Learning Program 2028"),
                ],
            )
            .await;
        assert!(went_through(status));
    });
}

/// Uploads `zip` as a browser's file field would: (status, where it leads or the body).
async fn upload(kring: &Running, client: &reqwest::Client, zip: Vec<u8>) -> (StatusCode, String) {
    kring
        .upload(
            client,
            "programs/import",
            &[],
            (zip, "program.zip", "application/zip"),
        )
        .await
}

#[tokio::test]
async fn a_program_folder_downloaded_and_uploaded_again_reproduces_the_program() {
    use kring_domain::program_folder::{write_folder, MANIFEST};
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let (status, _) = kring
            .get(&crate::support::client(), "/programs/1/export.zip")
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _) = kring.get(&lucia, "/programs/1/export.zip").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let response = joseph
            .get(format!("{}/programs/1/export.zip", kring.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "application/zip");
        let zip = response.bytes().await.unwrap().to_vec();
        let before = write_folder(&test.db.program_folder(ProgramId(1)).await.unwrap());

        // Only facilitators upload; what is not a program folder is refused with where and why.
        let (status, body) = upload(&kring, &lucia, zip.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) = upload(&kring, &joseph, b"not a zip".to_vec()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let mut broken = before.clone();
        let manifest = broken.get_mut(MANIFEST).unwrap();
        *manifest = manifest.replacen("module: ", "chapter: ", 1);
        let (status, body) = upload(
            &kring,
            &joseph,
            app::outbound::archive::zip_files(&broken).unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("In manifest.txt, line 3"), "{body}");

        // The demo program is renamed meanwhile, so that its folder's name is free again.
        test.execute("UPDATE programs SET name = 'Mutual Learning Program (2026)' WHERE id = 1")
            .await;
        let (status, location) = upload(&kring, &joseph, zip).await;
        assert!(went_through(status), "{status} {location}");
        let import = id_after(&location, "/programs/import/");
        let (status, preview) = kring.get(&joseph, &location).await;
        assert_eq!(status, StatusCode::OK);
        assert!(preview.contains("Mutual Learning Program"), "{preview}");
        let (status, _) = kring
            .get(&kring.logged_in("admin@demo.kring").await, &location)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "an upload is its uploader's");
        let (status, body) = kring
            .call(
                &joseph,
                "programs/import/create",
                &[("import", &import.to_string())],
            )
            .await;
        assert!(went_through(status), "{status} {body}");
        let newest = test
            .db
            .programs()
            .await
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .max_by_key(|id| id.0)
            .unwrap();
        assert_ne!(newest, ProgramId(1));
        assert!(!test.db.program_published(newest).await.unwrap());
        let after = write_folder(&test.db.program_folder(newest).await.unwrap());
        assert_eq!(after, before, "the upload reproduces the program");
        let (status, _) = kring
            .call(
                &joseph,
                "programs/import/create",
                &[("import", &import.to_string())],
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "an upload makes one program");
    });
}
