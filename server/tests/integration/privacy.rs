//! Privacy over HTTP on SQLite and PostgreSQL: a copy of one's data made in
//! the background and downloaded by its owner alone; erasure after the
//! password (or by an admin, on request), leaving posts to "Former member";
//! staff reads of a circle shown to its members and to nobody else; chosen
//! handles; the directory; the admin's audit log.
//!
//! The demo cohort's forum: category 6 is the consultation circle (members
//! Amara, Lucía, Wanjiru, Rami and Anush; Joseph facilitates), thread 7 the
//! welcome thread.

use crate::support::{client, start, went_through, Running};
use kring_db::on_both_engines;
use kring_db::testing::TestDatabase;
use reqwest::{Client, StatusCode};
use std::collections::BTreeMap;
use std::io::Read;

const CIRCLE_CATEGORY: &str = "/forum/categories/6";
const WELCOME_THREAD: &str = "7";

/// The copy's files, by name.
fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut files = BTreeMap::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        files.insert(file.name().to_owned(), text);
    }
    files
}

/// The download link on "Your data", once the copy is ready.
async fn download_link(kring: &Running, person: &Client) -> Option<String> {
    let (status, _, page) = kring.page(person, "/profile/data").await;
    assert_eq!(status, StatusCode::OK);
    let start = page.find("/profile/data/copies/")?;
    let end = start + page[start..].find('"')?;
    Some(page[start..end].to_owned())
}

#[tokio::test]
async fn a_copy_of_ones_data_is_made_in_the_background_for_its_owner_alone() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let amara = kring.logged_in("amara@demo.kring").await;
        let (status, _) = kring
            .call(
                &lucia,
                "forum/reply",
                &[("thread", WELCOME_THREAD), ("body", "Saludos desde Cusco")],
            )
            .await;
        assert!(went_through(status), "{status}");
        assert_eq!(download_link(&kring, &lucia).await, None);
        let (status, _) = kring.call(&lucia, "privacy/copy/request", &[]).await;
        assert!(went_through(status), "{status}");
        let (_, _, page) = kring.page(&lucia, "/profile/data").await;
        assert!(page.contains("<progress"), "shown while it is made");
        assert!(
            page.contains("http-equiv=\"refresh\""),
            "the page follows it without WebAssembly"
        );
        assert_eq!(kring_server::make_data_copies(&test.db).await.unwrap(), 1);
        let link = download_link(&kring, &lucia)
            .await
            .expect("a link once ready");

        let response = lucia
            .get(format!("{}{link}", kring.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "application/zip");
        assert!(response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("no-store"));
        let files = unzip(&response.bytes().await.unwrap());
        for kind in [
            "profile",
            "memberships",
            "registrations",
            "attendance",
            "posts",
            "post-edits",
            "unit-revisions",
            "unit-drafts",
            "program-texts",
            "reading",
            "forum-reading",
            "session-notices",
            "mail",
            "notifications",
            "sign-ins",
            "audit",
        ] {
            assert!(files.contains_key(&format!("{kind}.html")), "{kind}.html");
            let json: serde_json::Value =
                serde_json::from_str(&files[&format!("{kind}.json")]).unwrap();
            assert!(json.is_array(), "{kind}.json");
        }
        assert!(
            files["index.html"].contains("<html lang=\"es\">"),
            "in her language"
        );
        assert!(files["index.html"].contains("Lucía Quispe"));
        assert!(files["profile.json"].contains("lucia@demo.kring"));
        assert!(files["posts.json"].contains("Saludos desde Cusco"));
        assert!(files["sign-ins.html"].contains("<table>"));
        for (name, text) in &files {
            assert!(
                !text.contains("amara@demo.kring"),
                "{name} holds another's address"
            );
            assert!(!text.contains("<script"), "{name} runs nothing");
        }

        // Nobody else downloads it.
        let (status, _) = kring.get(&amara, &link).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = kring.get(&client(), &link).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _) = kring
            .get(&lucia, "/profile/data/copies/999/kring-data.zip")
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = kring
            .get(&lucia, "/profile/data/copies/abc/kring-data.zip")
            .await;
        assert!(status.is_client_error(), "{status}");
    });
}

#[tokio::test]
async fn erasure_needs_the_password_and_leaves_posts_to_a_former_member() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let amara = kring.logged_in("amara@demo.kring").await;
        let (status, _) = kring
            .call(
                &lucia,
                "forum/reply",
                &[
                    ("thread", WELCOME_THREAD),
                    ("body", "Words that stay for the cohort"),
                ],
            )
            .await;
        assert!(went_through(status), "{status}");
        let (status, body) = kring
            .call(&lucia, "privacy/erase", &[("password", "not her password")])
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        let (status, _) = kring.call(&lucia, "profile", &[]).await;
        assert_eq!(status, StatusCode::OK, "still there");
        let (status, _) = kring
            .call(
                &lucia,
                "privacy/erase",
                &[("password", kring_db::demo::DEMO_PASSWORD)],
            )
            .await;
        assert!(went_through(status), "{status}");
        let (status, _) = kring.call(&lucia, "profile", &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "signed out");
        let again = client();
        let (status, _) = kring
            .call(
                &again,
                "login",
                &[
                    ("email", "lucia@demo.kring"),
                    ("password", kring_db::demo::DEMO_PASSWORD),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "the account is gone");
        let (_, _, page) = kring
            .page(&amara, &format!("/forum/threads/{WELCOME_THREAD}"))
            .await;
        assert!(page.contains("Words that stay for the cohort"));
        assert!(page.contains("Former member"));
        assert!(!page.contains("Lucía Quispe"));

        // An admin erases on request, after typing the address.
        let admin = kring.logged_in("admin@demo.kring").await;
        let rami = test
            .db
            .user_by_email(&kring_domain::Email::parse("rami@demo.kring").unwrap())
            .await
            .unwrap()
            .id
            .0
            .to_string();
        let (status, body) = kring
            .call(
                &admin,
                "privacy/erase-account",
                &[("user", &rami), ("confirm_email", "amara@demo.kring")],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, _) = kring
            .call(
                &amara,
                "privacy/erase-account",
                &[("user", &rami), ("confirm_email", "rami@demo.kring")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = kring
            .call(
                &admin,
                "privacy/erase-account",
                &[("user", &rami), ("confirm_email", " RAMI@demo.kring ")],
            )
            .await;
        assert!(went_through(status), "{status}");
        let (status, _, log) = kring
            .page(&admin, "/admin/audit?action=account_erased")
            .await;
        assert_eq!(status, StatusCode::OK);
        let sentence = format!("Maartje de Vries (Administrator) erased account {rami} on request");
        assert!(
            log.contains(&sentence),
            "{}",
            &log[log.find("audit-log").unwrap_or(0)..]
        );
        assert!(log.contains("was erased by its owner"));
    });
}

#[tokio::test]
async fn staff_reads_of_a_circle_are_shown_to_its_members_and_nobody_else() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let amara = kring.logged_in("amara@demo.kring").await;
        let priya = kring.logged_in("priya@demo.kring").await;
        let (_, _, before) = kring.page(&amara, CIRCLE_CATEGORY).await;
        assert!(before.contains("id=\"circle-log\""), "members see the log");
        assert!(!before.contains("Joseph Mensah (Facilitator) read this circle"));

        for _ in 0..2 {
            let (status, _, _) = kring.page(&joseph, CIRCLE_CATEGORY).await;
            assert_eq!(status, StatusCode::OK);
        }
        let (status, _) = kring.call(&joseph, "forum/thread", &[("id", "8")]).await;
        assert_eq!(status, StatusCode::OK);
        let (_, _, after) = kring.page(&amara, CIRCLE_CATEGORY).await;
        assert_eq!(
            after
                .matches("Joseph Mensah (Facilitator) read this circle")
                .count(),
            1,
            "one entry a day however often"
        );
        let (_, _, staff_view) = kring.page(&joseph, CIRCLE_CATEGORY).await;
        assert!(
            !staff_view.contains("id=\"circle-log\""),
            "the log is the members'"
        );

        // A member who leaves shows in the log too.
        let (status, _) = kring
            .call(&amara, "forum/circles/leave", &[("circle", "1")])
            .await;
        assert!(went_through(status), "{status}");
        let wanjiru = kring.logged_in("wanjiru@demo.kring").await;
        let (_, _, members) = kring.page(&wanjiru, CIRCLE_CATEGORY).await;
        assert!(
            members.contains("Amara Owusu (Participant) left the circle"),
            "{members}"
        );

        // Those outside the circle read neither it nor its log.
        for outsider in [&priya, &amara, &kring.outsider().await] {
            let (status, _) = kring.call(outsider, "forum/category", &[("id", "6")]).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
            let (_, _, page) = kring.page(outsider, CIRCLE_CATEGORY).await;
            assert!(!page.contains("(Facilitator) read this circle"));
            assert!(!page.contains("id=\"circle-log\""));
        }
    });
}

#[tokio::test]
async fn handles_the_directory_and_the_audit_log_refuse_what_they_must() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let anush = kring.logged_in("anush@demo.kring").await;
        let amara = kring.logged_in("amara@demo.kring").await;
        for (handle, expected) in [
            ("amara", StatusCode::UNPROCESSABLE_ENTITY),
            ("x", StatusCode::UNPROCESSABLE_ENTITY),
            ("lucia@demo.kring", StatusCode::UNPROCESSABLE_ENTITY),
            ("<b>lucia</b>", StatusCode::UNPROCESSABLE_ENTITY),
        ] {
            let (status, body) = kring.call(&lucia, "handle", &[("handle", handle)]).await;
            assert_eq!(status, expected, "{handle}: {body}");
        }
        let (status, body) = kring.call(&lucia, "handle", &[("handle", "amara")]).await;
        assert!(
            body.to_string().contains("alias"),
            "in her language: {body}"
        );
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = kring
            .call(&lucia, "handle", &[("handle", "Lucía.Cusco")])
            .await;
        assert!(went_through(status), "{status}");
        let (status, _) = kring
            .call(
                &amara,
                "forum/reply",
                &[
                    ("thread", WELCOME_THREAD),
                    ("body", "Welcome @lucia.cusco!"),
                ],
            )
            .await;
        assert!(went_through(status));
        assert_eq!(
            crate::support::unread_notifications(&test.db, "lucia@demo.kring").await,
            1
        );

        // The directory shows what each chose, to the cohort only.
        let (status, _) = kring
            .call(
                &anush,
                "people/directory/save",
                &[
                    ("bio", "Child psychologist <script>alert(1)</script>"),
                    ("learn_share", "Peer supervision"),
                    ("spoken_languages", "Armenian, Russian"),
                    ("shows_country", "yes"),
                    ("shows_about", "yes"),
                ],
            )
            .await;
        assert!(went_through(status), "{status}");
        let (status, _) = kring
            .call(
                &amara,
                "people/directory/save",
                &[
                    ("bio", &"x".repeat(501)),
                    ("learn_share", ""),
                    ("spoken_languages", ""),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _, page) = kring.page(&amara, "/cohorts/1/directory").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Anush Petrosyan") && page.contains("Armenia"));
        assert!(page.contains("Child psychologist &lt;script&gt;"));
        assert!(!page.contains("<script>alert(1)"));
        assert!(!page.contains("Armenian, Russian"), "languages not chosen");
        assert!(
            !page.contains("Asia/Yerevan") && !page.contains("Yerevan time"),
            "local time not chosen"
        );
        let outsider = kring.outsider().await;
        let (status, _) = kring
            .call(&outsider, "people/directory", &[("cohort", "1")])
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (_, _, page) = kring.page(&outsider, "/cohorts/1/directory").await;
        assert!(!page.contains("Anush Petrosyan"));

        // The administrative log is for admins.
        let (status, _) = kring.call(&amara, "privacy/audit", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (_, _, page) = kring.page(&amara, "/admin/audit").await;
        assert!(!page.contains("(Administrator)"));
        let admin = kring.logged_in("admin@demo.kring").await;
        let amara_id = test
            .db
            .user_by_email(&kring_domain::Email::parse("amara@demo.kring").unwrap())
            .await
            .unwrap()
            .id
            .0
            .to_string();
        let (status, _) = kring
            .call(
                &admin,
                "admin/set-role",
                &[("user", &amara_id), ("role", "facilitator")],
            )
            .await;
        assert!(went_through(status));
        let (status, _, log) = kring.page(&admin, "/admin/audit?action=role_changed").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            log.contains("Maartje de Vries (Administrator) made Amara Owusu Facilitator"),
            "{log}"
        );
        let (_, _, other) = kring
            .page(&admin, "/admin/audit?action=account_erased")
            .await;
        assert!(!other.contains("made Amara Owusu"), "filtered");
        let (status, _, _) = kring
            .page(&admin, "/admin/audit?action=nonsense&before=x")
            .await;
        assert_eq!(status, StatusCode::OK, "an unknown filter shows everything");
    });
}
