//! Invitation links and mailed invitations, end to end: who they bring in, and every way
//! they stop working.

use super::*;

#[tokio::test]
async fn an_invitation_link_brings_people_into_its_language_group_while_it_works() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start_closed(test).await;
        let spanish = group_of(test, Language::Es).await.to_string();
        // Closed registration refuses anyone without an invitation.
        let (status, body) = kring
            .call(
                &client(),
                "register",
                &sign_up("Rosa Mamani", "rosa@example.pe", "")[..7],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let create = |uses: &'static str| {
            let (joseph, spanish) = (joseph.clone(), spanish.clone());
            let kring = &kring;
            async move {
                let fields = [
                    ("link[cohort]", DEMO_COHORT),
                    ("link[group]", spanish.as_str()),
                    ("link[days]", "14"),
                    ("link[uses]", uses),
                ];
                let (status, body) = kring.call(&joseph, "people/links/create", &fields).await;
                assert!(went_through(status), "{status} {body}");
                new_link(kring, &joseph).await
            }
        };
        let token = create("1").await;
        assert_eq!(
            test.db.invitation_by_token(&token).await.unwrap().uses_left,
            Some(1),
            "only its hash is stored, and it finds the invitation"
        );
        // Bad limits are refused, translated.
        let (status, body) = kring
            .call(
                &joseph,
                "people/links/create",
                &[
                    ("link[cohort]", DEMO_COHORT),
                    ("link[group]", &spanish),
                    ("link[days]", "400"),
                    ("link[uses]", ""),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

        // A flood of invitations stops at the daily limit, with the limit named.
        let joseph_id = test
            .db
            .user_by_email(&Email::parse("facilitator@demo.kring").unwrap())
            .await
            .unwrap()
            .id
            .0;
        test.execute(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 999) \
             INSERT INTO invitations (cohort_id, kind, role, token_hash, language, expires_at, \
             created_by, created_at) \
             SELECT 1, 'link', 'participant', 'flood' || i, 'es', 0, {joseph_id}, {} FROM n",
            kring_db::now()
        ))
        .await;
        let (status, body) = kring
            .call(
                &joseph,
                "people/links/create",
                &[
                    ("link[cohort]", DEMO_COHORT),
                    ("link[group]", &spanish),
                    ("link[days]", "14"),
                    ("link[uses]", ""),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert!(body["message"].as_str().unwrap().contains("1000"), "{body}");
        test.execute("DELETE FROM invitations WHERE token_hash LIKE 'flood%'")
            .await;

        // A new person follows it, registers, and lands in the Spanish group.
        let rosa = client();
        let (status, body) = kring
            .call(
                &rosa,
                "register",
                &sign_up("Rosa Mamani", "rosa@example.pe", &token),
            )
            .await;
        assert!(went_through(status), "{status} {body}");
        assert_eq!(
            membership(test, "rosa@example.pe").await,
            Some(Some("Spanish group".to_owned()))
        );
        let rosa_record = test
            .db
            .user_by_email(&Email::parse("rosa@example.pe").unwrap())
            .await
            .unwrap();
        assert!(
            !rosa_record.email_verified,
            "a shared link proves no address"
        );
        // The link allowed one: the next person hears it is used up, and no account is made.
        let (status, body) = kring
            .call(
                &client(),
                "register",
                &sign_up("Luis Huamán", "luis@example.pe", &token),
            )
            .await;
        assert_eq!(status, StatusCode::GONE, "{body}");
        assert!(body["message"].as_str().unwrap().contains("used"), "{body}");
        assert!(test
            .db
            .user_by_email(&Email::parse("luis@example.pe").unwrap())
            .await
            .is_err());

        // Someone with an account accepts an open link; a revoked or expired one says so.
        let open = create("").await;
        test.db
            .create_user(kring_db::NewUser {
                email: Email::parse("outside@example.org").unwrap(),
                display_name: kring_domain::DisplayName::parse("Outside Reader").unwrap(),
                password: kring_domain::NewPassword::parse(kring_db::demo::DEMO_PASSWORD).unwrap(),
                role: kring_domain::Role::Participant,
                organisation_id: None,
                country: kring_domain::Country::parse("KE").unwrap(),
                language: Language::En,
                time_zone: TimeZone::parse("Africa/Nairobi").unwrap(),
            })
            .await
            .unwrap();
        let outsider = kring.logged_in("outside@example.org").await;
        let (status, _) = kring
            .call(&outsider, "join/accept", &[("token", &open)])
            .await;
        assert!(went_through(status));
        assert!(membership(test, "outside@example.org").await.is_some());
        let record = test.db.invitation_by_token(&open).await.unwrap();
        test.execute(&format!(
            "UPDATE invitations SET expires_at = 0 WHERE id = {}",
            record.id
        ))
        .await;
        let (status, body) = kring
            .call(
                &client(),
                "register",
                &sign_up("Luis Huamán", "luis@example.pe", &open),
            )
            .await;
        assert_eq!(status, StatusCode::GONE, "{body}");
        assert!(
            body["message"].as_str().unwrap().contains("expired"),
            "{body}"
        );
        let revoked = create("").await;
        let id = test
            .db
            .invitation_by_token(&revoked)
            .await
            .unwrap()
            .id
            .to_string();
        let (status, _) = kring
            .call(&joseph, "people/invitations/cancel", &[("id", &id)])
            .await;
        assert!(went_through(status));
        let (status, body) = kring
            .call(&client(), "join/invitation", &[("token", &revoked)])
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            body["closed"]["code"]["invitation_closed"]["verdict"], "Revoked",
            "{body}"
        );
        // The page of an unknown link answers calmly, translated.
        let (status, page) = kring.get(&client(), "/join?token=0123").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(page.contains("role=\"alert\""), "{page}");
    });
}

#[tokio::test]
async fn invitations_by_mail_go_to_the_whole_list_or_to_nobody() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start_closed(test).await;
        let spanish = group_of(test, Language::Es).await.to_string();
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let invite = |people: &'static str| {
            let (joseph, spanish) = (joseph.clone(), spanish.clone());
            let kring = &kring;
            async move {
                kring
                    .call(
                        &joseph,
                        "people/invite",
                        &[
                            ("invite[cohort]", DEMO_COHORT),
                            ("invite[group]", spanish.as_str()),
                            ("invite[days]", "14"),
                            ("invite[people]", people),
                            ("invite[role]", "participant"),
                        ],
                    )
                    .await
            }
        };
        let (status, body) =
            invite("Rosa Mamani <rosa@example.pe>\nnot an address\nrosa@EXAMPLE.pe\n").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["code"]["invitee_line"]["line"], 2, "{body}");
        assert_eq!(body["code"]["invitee_line"]["more"], 1, "{body}");
        assert!(test.db.invitations(CohortId(1)).await.unwrap().is_empty());
        assert!(
            test.db.claim_mail(50).await.unwrap().is_empty(),
            "nothing was sent"
        );

        let (status, body) =
            invite("Rosa Mamani <rosa@example.pe>\nluis@example.pe\n<img src=x onerror=alert(1)> <h@example.org>\n").await;
        assert!(went_through(status), "{status} {body}");
        let mails = test.db.claim_mail(50).await.unwrap();
        assert_eq!(mails.len(), 3);
        let rosa_mail = mails
            .iter()
            .find(|mail| mail.recipient == "rosa@example.pe")
            .unwrap();
        assert!(
            rosa_mail.subject.starts_with("Le invitamos"),
            "in the group's language: {}",
            rosa_mail.subject
        );
        assert!(rosa_mail.body.contains("Rosa Mamani"), "{}", rosa_mail.body);
        let token_in = |body: &str| {
            let start = body.find("/join?token=").unwrap() + "/join?token=".len();
            body[start..start + 64].to_owned()
        };
        let rosa_token = token_in(&rosa_mail.body);

        // Another address cannot use Rosa's invitation.
        let (status, body) = kring
            .call(
                &client(),
                "register",
                &sign_up("Rosa Mamani", "someone@example.pe", &rosa_token),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let amara = kring.logged_in("amara@demo.kring").await;
        let (status, _) = kring
            .call(&amara, "join/accept", &[("token", &rosa_token)])
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Resent, the first mail's link stops working and the new one does.
        let invitation = test.db.invitation_by_token(&rosa_token).await.unwrap();
        let (status, _) = kring
            .call(
                &joseph,
                "people/invitations/resend",
                &[("id", &invitation.id.to_string())],
            )
            .await;
        assert!(went_through(status));
        let resent = token_in(&test.db.claim_mail(50).await.unwrap()[0].body);
        let (status, _) = kring
            .call(
                &client(),
                "register",
                &sign_up("Rosa Mamani", "rosa@example.pe", &rosa_token),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = kring
            .call(
                &client(),
                "register",
                &sign_up("Rosa Mamani", "rosa@example.pe", &resent),
            )
            .await;
        assert!(went_through(status), "{status} {body}");
        assert_eq!(
            membership(test, "rosa@example.pe").await,
            Some(Some("Spanish group".to_owned()))
        );
        assert!(
            test.db
                .user_by_email(&Email::parse("rosa@example.pe").unwrap())
                .await
                .unwrap()
                .email_verified,
            "following a mailed invitation proves the address"
        );
        // Once accepted it is used up; the facilitator sees it as accepted.
        let (status, _) = kring
            .call(
                &client(),
                "register",
                &sign_up("Rosa Mamani", "rosa@example.pe", &resent),
            )
            .await;
        assert_eq!(status, StatusCode::GONE);
        let (_, people) = kring
            .call(&joseph, "people/cohort", &[("cohort", DEMO_COHORT)])
            .await;
        let states: Vec<&str> = people["invitations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["state"].as_str().unwrap())
            .collect();
        assert_eq!(
            states,
            ["Pending", "Pending", "Accepted"],
            "newest first: {people}"
        );
        // A name that is markup stays text on the facilitators' page.
        let (_, page) = kring
            .get(&joseph, &format!("/cohorts/{DEMO_COHORT}/people"))
            .await;
        assert!(!page.contains("<img src=x"), "{page}");
        assert!(page.contains("&lt;img src=x"), "{page}");
    });
}

#[tokio::test]
async fn a_co_facilitator_invited_by_mail_runs_the_cohort_once_accepted() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start_closed(test).await;
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let (status, body) = kring
            .call(
                &joseph,
                "people/invite",
                &[
                    ("invite[cohort]", DEMO_COHORT),
                    ("invite[group]", ""),
                    ("invite[days]", "14"),
                    ("invite[people]", "Nadia Haddad <nadia@example.sy>"),
                    ("invite[role]", "facilitator"),
                ],
            )
            .await;
        assert!(went_through(status), "{status} {body}");
        let mail = test.db.claim_mail(50).await.unwrap().remove(0);
        let start = mail.body.find("/join?token=").unwrap() + "/join?token=".len();
        let token = mail.body[start..start + 64].to_owned();
        let nadia = client();
        let (status, page) = kring
            .call(&nadia, "join/invitation", &[("token", &token)])
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["facilitator"], true, "{page}");
        let (status, body) = kring
            .call(
                &nadia,
                "register",
                &sign_up("Nadia Haddad", "nadia@example.sy", &token),
            )
            .await;
        assert!(went_through(status), "{status} {body}");
        let record = test
            .db
            .user_by_email(&Email::parse("nadia@example.sy").unwrap())
            .await
            .unwrap();
        assert_eq!(record.role, kring_domain::Role::Facilitator);
        assert!(test
            .db
            .runs_cohort(record.id, record.role, Some(CohortId(1)))
            .await
            .unwrap());
        // She reads the cohort's consultation circle, which she is no member of.
        let (status, _) = kring
            .call(
                &nadia,
                "forum/thread",
                &[("id", crate::security::CIRCLE_THREAD)],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    });
}

#[tokio::test]
async fn a_refused_list_comes_back_as_typed_with_the_reason() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start_closed(test).await;
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let page = format!("{}/cohorts/{DEMO_COHORT}/people", kring.base);
        let typed = "Rosa Mamani <rosa@example.pe>\nnot an address\n";
        // A plain form post, as a browser without WebAssembly sends it.
        let response = joseph
            .post(format!("{}/api/people/invite", kring.base))
            .header("Accept", "text/html")
            .header("Referer", &page)
            .form(&[
                ("invite[cohort]", DEMO_COHORT),
                ("invite[group]", ""),
                ("invite[days]", "14"),
                ("invite[people]", typed),
                ("invite[role]", "participant"),
            ])
            .send()
            .await
            .unwrap();
        assert!(response.status().is_redirection());
        let back = response.headers()["location"].to_str().unwrap().to_owned();
        assert!(back.contains("?draft="), "{back}");
        assert!(test.db.invitations(CohortId(1)).await.unwrap().is_empty());
        assert!(
            test.db.claim_mail(50).await.unwrap().is_empty(),
            "nothing was sent"
        );
        let (status, html) = kring.get(&joseph, &back).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Line 2:"), "the reason: {html}");
        assert!(
            html.contains("Rosa Mamani &lt;rosa@example.pe&gt;\nnot an address"),
            "the list as typed: {html}"
        );
        // Nobody else sees someone's kept list.
        let admin = kring.logged_in("admin@demo.kring").await;
        let (_, html) = kring.get(&admin, &back).await;
        assert!(!html.contains("not an address"));
    });
}
