//! Inviting from a CSV file: previewed with every bad row, sent whole or not at all,
//! bounded in size, for the cohort's own facilitators only.

use super::*;

/// Uploads `csv` as a browser's file field would: (status, where it leads).
async fn upload(
    kring: &Running,
    facilitator: &reqwest::Client,
    csv: Vec<u8>,
) -> (StatusCode, String) {
    kring
        .upload(
            facilitator,
            "people/import",
            &[("cohort", DEMO_COHORT)],
            (csv, "people.csv", "text/csv"),
        )
        .await
}

#[tokio::test]
async fn a_csv_file_is_previewed_and_sent_whole_or_not_at_all() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start_closed(test).await;
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        // German spreadsheets separate with semicolons; bad rows are listed with reasons.
        let file = "Name;E-Mail;Organisation;Land;Gruppe\n\
                    Jana Weber;jana.w@example.de;Familienbündnis Leipzig;Deutschland;English group\n\
                    \"Quispe, Lucía\";lq@example.pe;;Perú;es\n\
                    Kein Name;keine-adresse;;DE;en\n\
                    Rami;rami@example.sy;;Atlantis;en\n";
        let (status, to) = upload(&kring, &joseph, file.as_bytes().to_vec()).await;
        assert!(went_through(status), "{status} {to}");
        let import: String = to
            .rsplit('/')
            .next()
            .unwrap()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let (status, preview) = kring
            .call(
                &joseph,
                "people/import/preview",
                &[("cohort", DEMO_COHORT), ("import", &import)],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{preview}");
        assert_eq!(preview["rows"].as_array().unwrap().len(), 2, "{preview}");
        assert_eq!(preview["rows"][1]["name"], "Quispe, Lucía");
        assert_eq!(preview["rows"][1]["group"], "Spanish group");
        let refused: Vec<i64> = preview["refused"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row[0].as_i64().unwrap())
            .collect();
        assert_eq!(refused, [4, 5], "{preview}");
        let (status, page) = kring
            .get(
                &joseph,
                &format!("/cohorts/{DEMO_COHORT}/people/import/{import}"),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("keine-adresse"),
            "the page lists the bad rows"
        );
        // Sending it anyway sends nothing.
        let (status, body) = kring
            .call(
                &joseph,
                "people/import/send",
                &[("cohort", DEMO_COHORT), ("import", &import), ("days", "14")],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(test.db.invitations(CohortId(1)).await.unwrap().is_empty());
        assert!(test.db.claim_mail(50).await.unwrap().is_empty());

        // Corrected, it goes out whole, each in its group's language.
        let file = "Name,E-mail,Organisation,Country,Language group\n\
                    Jana Weber,jana.w@example.de,Familienbündnis Leipzig,Germany,English group\n\
                    \"Quispe, Lucía\",lq@example.pe,,PE,Spanish group\n";
        let (_, to) = upload(&kring, &joseph, file.as_bytes().to_vec()).await;
        let import: String = to
            .rsplit('/')
            .next()
            .unwrap()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        // Another facilitator's upload is not to be seen or sent by anyone else.
        let admin = kring.logged_in("admin@demo.kring").await;
        let (status, _) = kring
            .call(
                &admin,
                "people/import/send",
                &[("cohort", DEMO_COHORT), ("import", &import), ("days", "14")],
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = kring
            .call(
                &joseph,
                "people/import/send",
                &[("cohort", DEMO_COHORT), ("import", &import), ("days", "14")],
            )
            .await;
        assert!(went_through(status), "{status} {body}");
        let mails = test.db.claim_mail(50).await.unwrap();
        let subjects: Vec<(&str, &str)> = mails
            .iter()
            .map(|mail| {
                (
                    mail.recipient.as_str(),
                    mail.subject.split(' ').next().unwrap(),
                )
            })
            .collect();
        assert_eq!(subjects.len(), 2);
        assert!(
            subjects.contains(&("jana.w@example.de", "You")),
            "{subjects:?}"
        );
        assert!(subjects.contains(&("lq@example.pe", "Le")), "{subjects:?}");
        let invitations = test.db.invitations(CohortId(1)).await.unwrap();
        assert!(invitations
            .iter()
            .any(|i| i.group_name.as_deref() == Some("Spanish group")));
        // The file is gone once sent; a second go sends nothing twice.
        let (status, _) = kring
            .call(
                &joseph,
                "people/import/send",
                &[("cohort", DEMO_COHORT), ("import", &import), ("days", "14")],
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // Too large, or not text: refused with the limit named.
        let (status, body) = upload(&kring, &joseph, vec![b'a'; 300 * 1024]).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
        assert!(body.contains("256"), "{body}");
        let (status, body) = upload(&kring, &joseph, vec![0xff, 0xfe, 0x41, 0x42]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        // Outside his cohorts, no upload.
        let other = other_cohort(test).await;
        let form = reqwest::multipart::Form::new()
            .text("cohort", other.id.0.to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(b"A,a@example.org,,KE,".to_vec())
                    .file_name("x.csv"),
            );
        let response = joseph
            .post(format!("{}/api/people/import", kring.base))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    });
}
