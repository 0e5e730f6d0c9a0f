//! Privacy against real databases: a copy of one's data holds every kind and
//! nothing of anyone else; erasure leaves no trace of the person in any table
//! but the one audit entry; circles keep their audit trail; handles are
//! chosen and unique; the directory shows what each chose; retention deletes
//! what is past its time.

use kring_db::testing::TestDatabase;
use kring_db::{
    demo, on_both_engines, Audience, AuditAction, CategoryKind, Db, DbError, ExportKind,
    ExportValue, NewAudit, NewReply, NewUser, Registrant, SessionPolicy, Span,
};
use kring_domain::forum::{PostBody, ThreadTitle};
use kring_domain::{
    CircleId, CohortId, Country, DirectoryEntry, DisplayName, DomainError, Email, Handle, Language,
    NewPassword, Role, TimeZone, UserId,
};

async fn person(db: &Db, email: &str, name: &str, role: Role) -> UserId {
    db.create_user(NewUser {
        email: Email::parse(email).unwrap(),
        display_name: DisplayName::parse(name).unwrap(),
        password: NewPassword::parse("a long enough phrase").unwrap(),
        role,
        organisation_id: None,
        country: Country::parse("SY").unwrap(),
        language: Language::En,
        time_zone: TimeZone::parse("Asia/Damascus").unwrap(),
    })
    .await
    .unwrap()
    .id
}

async fn demo_person(db: &Db, email: &str) -> UserId {
    db.user_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .id
}

fn body(text: &str) -> PostBody {
    PostBody::parse(text).unwrap()
}

/// The demo cohort's category of `kind`.
async fn category(db: &Db, kind: CategoryKind) -> kring_domain::CategoryId {
    db.categories(CohortId(1))
        .await
        .unwrap()
        .into_iter()
        .find(|category| category.kind == kind)
        .unwrap()
        .id
}

/// Every text value of a copy, lower-cased, to search it.
fn copy_text(parts: &[kring_db::ExportPart]) -> String {
    let mut text = String::new();
    for part in parts {
        for row in &part.rows {
            for value in row {
                if let ExportValue::Text(value) = value {
                    text.push_str(&value.to_lowercase());
                    text.push('\n');
                }
            }
        }
    }
    text
}

async fn whole_copy(db: &Db, user: UserId) -> Vec<kring_db::ExportPart> {
    let mut parts = Vec::new();
    for kind in ExportKind::ALL {
        parts.push(db.export_part(user, Language::En, kind).await.unwrap());
    }
    parts
}

#[tokio::test]
async fn a_copy_holds_every_kind_of_ones_own_data_and_nothing_of_anyone_else() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        let nadia = person(db, "nadia@example.org", "Nadia Haddad", Role::Participant).await;
        let omar = person(db, "omar@example.org", "Omar Saleh", Role::Participant).await;
        for someone in [nadia, omar] {
            db.add_cohort_member(CohortId(1), someone, None)
                .await
                .unwrap();
        }
        db.set_handle(nadia, &Handle::parse("nadia.h").unwrap())
            .await
            .unwrap();
        let general = category(db, CategoryKind::General).await;
        let (thread, first) = db
            .start_thread(
                general,
                nadia,
                &ThreadTitle::parse("Grandparents as carers").unwrap(),
                &body("Nadia's first words about kinship care."),
                false,
            )
            .await
            .unwrap();
        db.edit_post(
            first,
            nadia,
            &body("Nadia's words about kinship care, edited."),
        )
        .await
        .unwrap();
        db.reply(&NewReply {
            thread,
            author: omar,
            body: &body("Omar's private reply, @nadia.h, about his cousin."),
            tag: None,
            quote_of: None,
        })
        .await
        .unwrap();
        let session = db
            .meetings(Audience::All, Language::En, Span::ALWAYS)
            .await
            .unwrap()[0]
            .id;
        db.register(session, &Registrant::Member(nadia))
            .await
            .unwrap();
        db.register(session, &Registrant::Member(omar))
            .await
            .unwrap();
        db.start_session(nadia).await.unwrap();
        db.start_session(omar).await.unwrap();
        db.set_directory_entry(
            nadia,
            &DirectoryEntry::parse(
                "Social worker in Aleppo.",
                "Family conferencing",
                "Arabic",
                [true; 4],
            )
            .unwrap(),
        )
        .await
        .unwrap();
        db.request_export(nadia, Role::Participant).await.unwrap();

        let parts = whole_copy(db, nadia).await;
        let kinds: Vec<ExportKind> = parts.iter().map(|part| part.kind).collect();
        assert_eq!(kinds, ExportKind::ALL);
        let text = copy_text(&parts);
        for own in [
            "nadia@example.org",
            "nadia haddad",
            "nadia.h",
            "nadia's first words about kinship care.",
            "nadia's words about kinship care, edited.",
            "social worker in aleppo.",
            "grandparents as carers",
        ] {
            assert!(text.contains(own), "{own} is in Nadia's copy");
        }
        for others in ["omar", "his cousin", "@nadia.h, about"] {
            assert!(
                !text.contains(others),
                "{others} is not in Nadia's copy:\n{text}"
            );
        }
        let rows = |kind: ExportKind| {
            parts
                .iter()
                .find(|part| part.kind == kind)
                .unwrap()
                .rows
                .len()
        };
        assert_eq!(rows(ExportKind::Profile), 1);
        assert_eq!(rows(ExportKind::Posts), 1);
        assert_eq!(rows(ExportKind::PostEdits), 1);
        assert_eq!(
            rows(ExportKind::Notifications),
            2,
            "the reply and the mention"
        );
        assert_eq!(rows(ExportKind::Registrations), 1);
        assert_eq!(rows(ExportKind::SignIns), 1);
        assert!(rows(ExportKind::Memberships) >= 1);
        assert!(rows(ExportKind::Audit) >= 1, "the copy asked for");
        let sign_ins = parts
            .iter()
            .find(|part| part.kind == ExportKind::SignIns)
            .unwrap();
        assert!(
            !sign_ins
                .columns
                .iter()
                .any(|column| column.contains("token")),
            "no tokens: {:?}",
            sign_ins.columns
        );

        // Made once in the background, downloadable by its owner only.
        let again = db.request_export(nadia, Role::Participant).await.unwrap();
        let (export, whose) = db.claim_export().await.unwrap().unwrap();
        assert_eq!(
            (export, whose),
            (again.id, nadia),
            "one copy underway, not two"
        );
        assert_eq!(db.claim_export().await.unwrap(), None, "claimed once");
        db.export_progress(export, 5).await.unwrap();
        assert_eq!(
            db.latest_export(nadia).await.unwrap().unwrap().parts_done,
            5
        );
        db.finish_export(export, Some(b"PK zip".to_vec()))
            .await
            .unwrap();
        assert_eq!(db.export_archive(nadia, export).await.unwrap(), b"PK zip");
        assert!(matches!(
            db.export_archive(omar, export).await,
            Err(DbError::NotFound)
        ));
        let status = db.latest_export(nadia).await.unwrap().unwrap();
        assert_eq!(status.status, "ready");
        assert_eq!(
            db.request_export(nadia, Role::Participant)
                .await
                .unwrap()
                .id,
            export
        );
        assert_eq!(
            db.claim_export().await.unwrap(),
            None,
            "nothing new to make"
        );
        assert!(status.expires_at.unwrap() > kring_db::now() + 23 * 3600);
    });
}

#[tokio::test]
async fn erasure_leaves_no_trace_of_the_person_but_the_audit_entry() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        let (email, name) = ("rania.k@example.org", "Rania Khoury");
        let rania = person(db, email, name, Role::Participant).await;
        let amara = demo_person(db, "amara@demo.kring").await;
        let joseph = demo_person(db, "facilitator@demo.kring").await;
        db.add_cohort_member(CohortId(1), rania, None)
            .await
            .unwrap();
        db.set_handle(rania, &Handle::parse("rania").unwrap())
            .await
            .unwrap();
        let circle = CircleId(1);
        let before = db.circle(circle).await.unwrap().member_count;
        db.join_circle(circle, rania).await.unwrap();
        let general = category(db, CategoryKind::General).await;
        let cases = category(db, CategoryKind::Cases).await;
        let (thread, _) = db
            .start_thread(
                general,
                amara,
                &ThreadTitle::parse("Welcome").unwrap(),
                &body("Hello all"),
                false,
            )
            .await
            .unwrap();
        let reply = db
            .reply(&NewReply {
                thread,
                author: rania,
                body: &body("A reply that stays for the cohort."),
                tag: None,
                quote_of: None,
            })
            .await
            .unwrap();
        db.edit_post(
            reply,
            rania,
            &body("A reply that stays for the cohort, edited."),
        )
        .await
        .unwrap();
        db.reply(&NewReply {
            thread,
            author: amara,
            body: &body("Thank you @rania"),
            tag: None,
            quote_of: None,
        })
        .await
        .unwrap();
        let (gone_case, _) = db
            .start_thread(
                cases,
                rania,
                &ThreadTitle::parse("A case that goes").unwrap(),
                &body("Context"),
                true,
            )
            .await
            .unwrap();
        let (kept_case, _) = db
            .start_thread(
                cases,
                rania,
                &ThreadTitle::parse("A case kept").unwrap(),
                &body("Context"),
                true,
            )
            .await
            .unwrap();
        db.set_case_kept(kept_case, true).await.unwrap();
        let session = db
            .meetings(Audience::All, Language::En, Span::ALWAYS)
            .await
            .unwrap()[0]
            .id;
        db.register(session, &Registrant::Member(rania))
            .await
            .unwrap();
        db.set_absence(session, rania, true).await.unwrap();
        db.start_session(rania).await.unwrap();
        db.trust_device(rania).await.unwrap();
        db.set_directory_entry(
            rania,
            &DirectoryEntry::parse("Bio", "", "", [true; 4]).unwrap(),
        )
        .await
        .unwrap();
        db.enqueue_mail(email, "Reminder", "Dear Rania Khoury, …")
            .await
            .unwrap();
        db.enqueue_mail(
            "amara@demo.kring",
            "Digest",
            "Rania Khoury replied in Welcome",
        )
        .await
        .unwrap();
        db.request_export(rania, Role::Participant).await.unwrap();
        db.record_audit(
            &NewAudit::new(AuditAction::CircleRead, Some((joseph, Role::Facilitator)))
                .circle(circle)
                .subject(rania),
        )
        .await
        .unwrap();
        db.erase_account(rania, None).await.unwrap();

        let remaining: Vec<String> = test
            .contents()
            .await
            .into_iter()
            .filter(|line| {
                let line = line.to_lowercase();
                line.contains(email) || line.contains("rania khoury") || line.contains("rania.k")
            })
            .collect();
        assert!(
            remaining.is_empty(),
            "the address or name remains: {remaining:#?}"
        );
        assert_eq!(test.rows_referring_to(rania.0).await, Vec::<String>::new());
        let erased = db
            .audit_log(Some(AuditAction::AccountErased), None)
            .await
            .unwrap();
        assert_eq!(erased.len(), 1);
        assert_eq!(
            (erased[0].actor.clone(), erased[0].actor_role),
            (None, None),
            "by its owner"
        );
        assert_eq!(
            erased[0].detail,
            rania.0.to_string(),
            "only the account's number"
        );
        let read = db.circle_log(circle, None).await.unwrap();
        assert!(
            read.iter().all(|entry| entry.subject.is_none()),
            "entries about them name nobody"
        );

        // What stays for the cohort reads as a former member's.
        let posts = db.posts(thread, 0).await.unwrap();
        let stayed = posts.iter().find(|post| post.id == reply).unwrap();
        assert_eq!((stayed.author_id, stayed.author.clone()), (None, None));
        assert!(stayed.body.contains("stays for the cohort, edited"));
        assert_eq!(db.post_history(reply).await.unwrap().len(), 1);
        assert!(matches!(db.thread(gone_case).await, Err(DbError::NotFound)));
        assert_eq!(db.thread(kept_case).await.unwrap().author_id, None);
        assert_eq!(db.circle(circle).await.unwrap().member_count, before);
        let mail: Vec<String> = test
            .contents()
            .await
            .into_iter()
            .filter(|line| line.starts_with("outbox:"))
            .collect();
        assert_eq!(
            mail.len(),
            1,
            "mail to them went, mail to others stayed: {mail:?}"
        );
        assert!(
            mail[0].contains("Former member replied in Welcome"),
            "{}",
            mail[0]
        );
        // Their handle is free again; a mention of it reaches nobody.
        let newcomer = person(db, "other@example.org", "Another Person", Role::Participant).await;
        db.set_handle(newcomer, &Handle::parse("rania").unwrap())
            .await
            .unwrap();
        assert!(matches!(
            db.erase_account(rania, None).await,
            Err(DbError::NotFound)
        ));
    });
}

#[tokio::test]
async fn the_only_admin_cannot_be_erased_and_an_admin_erases_on_request() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let admin = person(db, "admin@example.org", "Only Admin", Role::Admin).await;
        assert!(matches!(
            db.erase_account(admin, None).await,
            Err(DbError::Refused(DomainError::LastAdmin))
        ));
        let member = person(db, "member@example.org", "Kwame Boateng", Role::Participant).await;
        db.erase_account(member, Some((admin, Role::Admin)))
            .await
            .unwrap();
        let log = db
            .audit_log(Some(AuditAction::AccountErased), None)
            .await
            .unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].actor.as_deref(), Some("Only Admin"));
        assert_eq!(log[0].actor_role, Some(Role::Admin));
        assert_eq!(log[0].detail, member.0.to_string());
        assert_eq!(log[0].subject, None);
        assert!(matches!(
            db.set_role(admin, Role::Facilitator).await,
            Err(DbError::Refused(DomainError::LastAdmin))
        ));
        // A second admin makes the first erasable.
        let second = person(db, "second@example.org", "Second Admin", Role::Admin).await;
        db.erase_account(admin, Some((second, Role::Admin)))
            .await
            .unwrap();
    });
}

#[tokio::test]
async fn a_circles_log_records_outside_reads_once_a_day_and_changes() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        let joseph = demo_person(db, "facilitator@demo.kring").await;
        let amara = demo_person(db, "amara@demo.kring").await;
        let circle = CircleId(1);
        let read = NewAudit::new(AuditAction::CircleRead, Some((joseph, Role::Facilitator)))
            .circle(circle)
            .cohort(CohortId(1));
        db.record_audit(&read).await.unwrap();
        db.record_audit(&read).await.unwrap();
        db.record_audit(
            &NewAudit::new(AuditAction::CircleLeft, Some((amara, Role::Participant)))
                .circle(circle)
                .subject(amara),
        )
        .await
        .unwrap();
        let log = db.circle_log(circle, None).await.unwrap();
        let actions: Vec<AuditAction> = log.iter().map(|entry| entry.action).collect();
        assert_eq!(
            actions,
            [AuditAction::CircleLeft, AuditAction::CircleRead],
            "newest first, one read a day"
        );
        // What was said in the circle stays there, and nothing is brought in.
        let circle_category = db.circle(circle).await.unwrap().category;
        let general = category(db, CategoryKind::General).await;
        let (public, _) = db
            .start_thread(
                general,
                amara,
                &ThreadTitle::parse("Open").unwrap(),
                &body("Open"),
                false,
            )
            .await
            .unwrap();
        assert!(matches!(
            db.move_thread(public, circle_category).await,
            Err(DbError::NotFound)
        ));
        let (inside, _) = db
            .start_thread(
                circle_category,
                amara,
                &ThreadTitle::parse("Inside").unwrap(),
                &body("Inside"),
                false,
            )
            .await
            .unwrap();
        assert!(matches!(
            db.move_thread(inside, general).await,
            Err(DbError::NotFound)
        ));
        assert_eq!(log[1].actor.as_deref(), Some("Joseph Mensah"));
        assert_eq!(log[1].actor_role, Some(Role::Facilitator));
        let reads = db
            .audit_log(Some(AuditAction::CircleRead), None)
            .await
            .unwrap();
        assert_eq!(reads.len(), 1);
        assert_eq!(db.audit_log(None, None).await.unwrap().len(), 2);
        assert!(
            db.audit_log(None, Some(log[1].id))
                .await
                .unwrap()
                .is_empty(),
            "older than the oldest"
        );
    });
}

#[tokio::test]
async fn handles_are_chosen_unique_and_mentions_follow_them() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        let kwame = person(db, "kwame@example.org", "Kwame Boateng", Role::Participant).await;
        let efua = person(db, "efua@example.org", "Efua Mensah", Role::Participant).await;
        for someone in [kwame, efua] {
            db.add_cohort_member(CohortId(1), someone, None)
                .await
                .unwrap();
        }
        let record = db.user(kwame).await.unwrap();
        assert_eq!(
            record.handle, "kwame",
            "suggested from the name, never the address"
        );
        db.set_handle(kwame, &Handle::parse("@KB.Accra").unwrap())
            .await
            .unwrap();
        assert_eq!(db.user(kwame).await.unwrap().handle, "kb.accra");
        db.set_handle(kwame, &Handle::parse("kb.accra").unwrap())
            .await
            .unwrap();
        assert!(matches!(
            db.set_handle(efua, &Handle::parse("KB.accra").unwrap())
                .await,
            Err(DbError::Refused(DomainError::HandleTaken))
        ));
        let general = category(db, CategoryKind::General).await;
        let (thread, _) = db
            .start_thread(
                general,
                efua,
                &ThreadTitle::parse("Hello").unwrap(),
                &body("Hi"),
                false,
            )
            .await
            .unwrap();
        db.reply(&NewReply {
            thread,
            author: efua,
            body: &body("@kb.accra and @kwame, what do you think?"),
            tag: None,
            quote_of: None,
        })
        .await
        .unwrap();
        let mentions = db.notifications(kwame, None, 50).await.unwrap();
        assert_eq!(
            mentions.len(),
            1,
            "the chosen handle reaches Kwame; the old one nobody"
        );
        let candidates = db.mention_candidates(general, "kb").await.unwrap();
        assert_eq!(candidates[0].0, "kb.accra");
    });
}

#[tokio::test]
async fn the_directory_shows_only_what_each_person_chose() {
    on_both_engines!(async |test: &TestDatabase| {
        demo::load_if_empty(&test.db).await.unwrap();
        let db = &test.db;
        let anush = demo_person(db, "anush@demo.kring").await;
        let amara = demo_person(db, "amara@demo.kring").await;
        db.set_directory_entry(
            anush,
            &DirectoryEntry::parse(
                "Psychologist",
                "Peer supervision",
                "Armenian, Russian",
                [true, true, true, true],
            )
            .unwrap(),
        )
        .await
        .unwrap();
        db.set_directory_entry(
            amara,
            &DirectoryEntry::parse(
                "Hidden bio",
                "Hidden wish",
                "Twi",
                [false, false, false, false],
            )
            .unwrap(),
        )
        .await
        .unwrap();
        let people = db.cohort_directory(CohortId(1)).await.unwrap();
        let entry = |id: UserId| {
            people
                .iter()
                .find(|person| person.id == id)
                .unwrap()
                .clone()
        };
        let shown = entry(anush);
        assert_eq!(shown.country.map(|c| c.code()), Some("AM"));
        assert_eq!(shown.spoken_languages.as_deref(), Some("Armenian, Russian"));
        assert_eq!(
            shown
                .time_zone
                .map(|zone| zone.as_str().to_owned())
                .as_deref(),
            Some("Asia/Yerevan")
        );
        assert_eq!(
            shown.about,
            Some(("Psychologist".to_owned(), "Peer supervision".to_owned()))
        );
        let hidden = entry(amara);
        assert_eq!(
            (
                hidden.country,
                hidden.spoken_languages,
                hidden.time_zone,
                hidden.about
            ),
            (None, None, None, None)
        );
        assert!(
            hidden.organisation.is_some(),
            "name and organisation always"
        );
        let joseph = demo_person(db, "facilitator@demo.kring").await;
        assert!(
            people.iter().any(|person| person.id == joseph),
            "the cohort's facilitators too"
        );
        assert!(db
            .cohort_directory(CohortId(2))
            .await
            .unwrap()
            .iter()
            .all(|person| person.id != anush));
    });
}

#[tokio::test]
async fn retention_deletes_only_what_is_past_its_time() {
    on_both_engines!(async |test: &TestDatabase| {
        let db = &test.db;
        let now = kring_db::now();
        let someone = person(db, "kept@example.org", "Kept Person", Role::Participant).await;
        db.start_session(someone).await.unwrap();
        for (subject, sent_at) in [
            ("old", Some(now - 31 * 86_400)),
            ("recent", Some(now - 86_400)),
            ("unsent", None),
        ] {
            db.enqueue_mail("someone@example.org", subject, "body")
                .await
                .unwrap();
            if let Some(sent_at) = sent_at {
                test.execute(&format!(
                    "UPDATE outbox SET sent_at = {sent_at} WHERE subject = '{subject}'"
                ))
                .await;
            }
        }
        test.execute(&format!(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ('stale', {}, {}, {})",
            someone.0,
            now - 40 * 86_400,
            now - 20 * 86_400
        ))
        .await;
        db.record_audit(&NewAudit::new(AuditAction::DataExported, None))
            .await
            .unwrap();
        db.record_audit(&NewAudit::new(AuditAction::Invited, None).detail("old"))
            .await
            .unwrap();
        test.execute(&format!(
            "UPDATE audit_log SET created_at = {} WHERE detail = 'old'",
            now - 731 * 86_400
        ))
        .await;
        db.request_export(someone, Role::Participant).await.unwrap();
        let (export, _) = db.claim_export().await.unwrap().unwrap();
        db.finish_export(export, Some(vec![1, 2, 3])).await.unwrap();
        test.execute(&format!("UPDATE data_exports SET expires_at = {}", now - 1))
            .await;

        db.apply_retention(SessionPolicy::DEFAULT).await.unwrap();
        let contents = test.contents().await;
        let count = |table: &str| {
            contents
                .iter()
                .filter(|line| line.starts_with(&format!("{table}:")))
                .count()
        };
        let subjects: Vec<&String> = contents
            .iter()
            .filter(|line| line.starts_with("outbox:"))
            .collect();
        assert_eq!(subjects.len(), 2, "{subjects:?}");
        assert!(subjects.iter().all(|line| !line.contains("old")));
        assert_eq!(
            count("sessions"),
            1,
            "the stale session went, the live one stayed"
        );
        assert!(contents.iter().all(|line| !line.contains("stale")));
        assert_eq!(
            count("audit_log"),
            2,
            "the copy's entry, the recent one; not the old one"
        );
        assert!(contents
            .iter()
            .all(|line| !(line.starts_with("audit_log:") && line.contains("old"))));
        assert_eq!(count("data_exports"), 0);
    });
}
