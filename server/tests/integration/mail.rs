//! E-mail over real SMTP: a receiving SMTP server on a random port, the real
//! server sending to it, on SQLite and PostgreSQL.

use crate::support;

use kring_db::testing::TestDatabase;
use kring_db::{on_both_engines, Audience, Registrant};
use kring_domain::{Email, Language, SessionKind};
use kring_server::config::Config;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// A receiving SMTP server (RFC 5321's minimal command set) that hands every
/// message it accepts to the returned channel. Mailboxes named `nobody@…` do not
/// exist: it refuses them for good (550), as a real server does.
async fn smtp_server() -> (String, mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let (deliver, received) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let deliver = deliver.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 receiver ESMTP\r\n").await.unwrap();
                let mut in_data = false;
                let mut message = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            deliver.send(std::mem::take(&mut message)).unwrap();
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            message.push_str(&line);
                            message.push('\n');
                        }
                        continue;
                    }
                    let command = line.to_ascii_uppercase();
                    let reply: &[u8] = if command.starts_with("EHLO") {
                        b"250-receiver\r\n250 8BITMIME\r\n"
                    } else if command.starts_with("DATA") {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else if command.starts_with("RCPT TO:<NOBODY@") {
                        b"550 5.1.1 no such mailbox\r\n"
                    } else if command.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (url, received)
}

/// Undoes quoted-printable: soft line breaks and `=XX` bytes.
fn unquote(text: &str) -> String {
    let joined = text.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'=' && index + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&joined[index + 1..index + 3], 16) {
                out.push(byte);
                index += 3;
                continue;
            }
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8(out).unwrap()
}

async fn next_mail(received: &mut mpsc::UnboundedReceiver<String>) -> String {
    let mail = tokio::time::timeout(std::time::Duration::from_secs(20), received.recv())
        .await
        .expect("a mail arrives within 20 seconds")
        .unwrap();
    unquote(&mail)
}

#[tokio::test]
async fn visitors_get_a_confirmation_and_members_a_reminder_by_email() {
    on_both_engines!(async |test: &TestDatabase| {
        let (smtp_url, mut received) = smtp_server().await;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut config = Config::local(listener.local_addr().unwrap(), &test.url);
        config.smtp_url = Some(smtp_url);
        kring_server::spawn_jobs(&config, test.db.clone()).unwrap();
        let kring = support::start_with(test, listener, config).await;

        // A visitor registers for the Spanish information meeting, in Spanish, from Lima.
        let meeting = test
            .db
            .meetings(Audience::All, Language::Es, kring_db::Span::ALWAYS)
            .await
            .unwrap()
            .into_iter()
            .filter(|s| s.kind == SessionKind::Information)
            .nth(1)
            .unwrap();
        let response = reqwest::Client::new()
            .post(format!("{}/api/calendar/register-guest", kring.base))
            .header("Accept-Language", "es-PE")
            .form(&[
                ("guest[session]", meeting.id.0.to_string()),
                ("guest[name]", "Rosa Mamani".to_owned()),
                ("guest[email]", "rosa@example.org".to_owned()),
                ("guest[organisation]", "Casa Abierta Cusco".to_owned()),
                ("guest[language_group]", "es".to_owned()),
                ("guest[time_zone]", "America/Lima".to_owned()),
            ])
            .send()
            .await
            .unwrap();
        assert!(support::went_through(response.status()));
        // First a link to confirm (double opt-in): no seat is held yet.
        let mail = next_mail(&mut received).await;
        assert!(mail.contains("To: rosa@example.org"), "{mail}");
        assert!(mail.contains("Hola Rosa Mamani:"), "{mail}");
        assert!(
            mail.contains("jue 4 feb, 09:00–10:00 hora de Lima"),
            "{mail}"
        );
        assert!(test.db.registrants(meeting.id).await.unwrap().is_empty());
        let link = mail
            .split_whitespace()
            .find(|word| word.contains("/sessions/confirm?token="))
            .expect("the mail holds the confirmation link")
            .to_owned();
        let token = link.split("token=").nth(1).unwrap().to_owned();
        assert!(link.starts_with(&kring.base), "{link}");
        // Opening the link only shows what it confirms.
        let page = reqwest::Client::new()
            .get(&link)
            .header("Accept", "text/html")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Rosa Mamani"), "{page}");
        assert!(test.db.registrants(meeting.id).await.unwrap().is_empty());
        let confirmed = reqwest::Client::new()
            .post(format!("{}/api/calendar/confirm-guest", kring.base))
            .form(&[("token", token.as_str())])
            .send()
            .await
            .unwrap();
        assert!(support::went_through(confirmed.status()));
        let registrants = test.db.registrants(meeting.id).await.unwrap();
        assert_eq!(
            (
                registrants[0].name.as_str(),
                registrants[0].time_zone.as_str()
            ),
            ("Rosa Mamani", "America/Lima")
        );
        let mail = next_mail(&mut received).await;
        assert!(mail.contains("To: rosa@example.org"), "{mail}");
        assert!(mail.contains("Hola Rosa Mamani"), "{mail}");
        // The link works once.
        let again = reqwest::Client::new()
            .post(format!("{}/api/calendar/confirm-guest", kring.base))
            .form(&[("token", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), reqwest::StatusCode::GONE);

        // A member registered for a session starting within the hour gets its reminder by e-mail.
        let jana = test
            .db
            .user_by_email(&Email::parse("jana@demo.kring").unwrap())
            .await
            .unwrap();
        let soon = kring_db::now() + 50 * 60;
        let mut session = kring_db::NewMeeting {
            kind: SessionKind::Information,
            cohort_id: None,
            language_group_id: None,
            host_zone: kring_domain::TimeZone::parse("Etc/GMT").unwrap(),
            minutes: kring_domain::SessionMinutes::parse("60").unwrap(),
            video_link: kring_domain::VideoLink::parse("").unwrap(),
            capacity: None,
            unit_id: None,
            texts: vec![],
            created_by: None,
        };
        session.texts.push((
            Language::De,
            kring_domain::SessionTitle::parse("Kurzes Treffen").unwrap(),
            String::new(),
        ));
        let (_, ids) = test
            .db
            .create_series(&session, "13:00", 0, &[soon])
            .await
            .unwrap();
        test.db
            .register(ids[0], &Registrant::Member(jana.id))
            .await
            .unwrap();
        test.db.create_due_reminders(kring_db::now()).await.unwrap();
        let mail = next_mail(&mut received).await;
        assert!(mail.contains("To: jana@demo.kring"), "{mail}");
        assert!(mail.contains("Erinnerung: Kurzes Treffen"), "{mail}");
        assert!(mail.contains("Zeit in Berlin"), "in her zone: {mail}");
        // Queued once: no second reminder mail however often the job runs.
        kring_server::mail::queue_notice_mail(&test.db, "http://kring.test")
            .await
            .unwrap();
        assert!(
            tokio::time::timeout(std::time::Duration::from_secs(12), received.recv())
                .await
                .is_err()
        );
    });
}

#[tokio::test]
async fn unread_forum_notifications_are_gathered_into_one_digest_per_person() {
    on_both_engines!(async |test: &TestDatabase| {
        let (smtp_url, mut received) = smtp_server().await;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut config = Config::local(listener.local_addr().unwrap(), &test.url);
        config.smtp_url = Some(smtp_url);
        let kring = support::start_with(test, listener, config.clone()).await;
        // The demo's own notifications go out in a first round; only what follows is new.
        let origin = "https://kring.example.org";
        let now = kring_db::now() + 1;
        kring_server::mail::queue_digest_mail(&test.db, origin, now)
            .await
            .unwrap();
        for mail in test.db.claim_mail(100).await.unwrap() {
            test.db.mark_mail_sent(mail.id).await.unwrap();
        }
        let sanne = kring.logged_in("sanne@demo.kring").await;
        let (status, _) = kring
            .call(
                &sanne,
                "forum/reply",
                &[("thread", "4"), ("body", "@lucia, what do you think?")],
            )
            .await;
        assert_eq!(status, reqwest::StatusCode::OK);
        let later = kring_db::now() + 1;
        assert_eq!(
            kring_server::mail::queue_digest_mail(&test.db, origin, later)
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            kring_server::mail::queue_digest_mail(&test.db, origin, later)
                .await
                .unwrap(),
            0,
            "each notification goes out once"
        );
        kring_server::spawn_jobs(&config, test.db.clone()).unwrap();
        let mut mails = [
            next_mail(&mut received).await,
            next_mail(&mut received).await,
        ];
        mails.sort_by_key(|mail| !mail.contains("To: lucia@demo.kring"));
        assert!(
            mails[0].contains("Sanne Bakker te mencionó"),
            "{}",
            mails[0]
        );
        assert!(
            mails[0].contains("https://kring.example.org/forum/threads/4?post="),
            "{}",
            mails[0]
        );
        // Jana started the thread: she hears of the reply, in German.
        assert!(mails[1].contains("To: jana@demo.kring"), "{}", mails[1]);
        assert!(
            mails[1].contains("Sanne Bakker hat auf Ihr Thema geantwortet"),
            "{}",
            mails[1]
        );
        assert!(
            mails[1].contains("https://kring.example.org/profile#digest"),
            "how to stop them"
        );

        // Jana turns the digest off on her profile: her next notification stays in the app.
        let jana = kring.logged_in("jana@demo.kring").await;
        let (_, profile) = kring.get(&jana, "/profile").await;
        assert!(
            profile.contains(r#"name="wanted" value="yes" checked"#),
            "on by default"
        );
        let (status, _) = kring.call(&jana, "notifications/digest/set", &[]).await;
        assert_eq!(status, reqwest::StatusCode::OK);
        let (_, wanted) = kring.call(&jana, "notifications/digest", &[]).await;
        assert_eq!(wanted, false);
        let (status, _) = kring
            .call(
                &sanne,
                "forum/reply",
                &[("thread", "4"), ("body", "One more idea.")],
            )
            .await;
        assert_eq!(status, reqwest::StatusCode::OK);
        let later = kring_db::now() + 1;
        assert_eq!(
            kring_server::mail::queue_digest_mail(&test.db, origin, later)
                .await
                .unwrap(),
            0
        );
    });
}

#[tokio::test]
async fn an_invitation_smtp_refuses_for_good_shows_as_not_delivered() {
    on_both_engines!(async |test: &TestDatabase| {
        let (smtp_url, mut received) = smtp_server().await;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut config = Config::local(listener.local_addr().unwrap(), &test.url);
        config.smtp_url = Some(smtp_url);
        kring_server::spawn_jobs(&config, test.db.clone()).unwrap();
        let kring = support::start_with(test, listener, config).await;
        let joseph = kring.logged_in("facilitator@demo.kring").await;
        let (status, body) = kring
            .call(
                &joseph,
                "people/invite",
                &[
                    ("invite[cohort]", "1"),
                    ("invite[group]", ""),
                    ("invite[days]", "14"),
                    ("invite[people]", "nobody@example.org\nrosa@example.pe"),
                    ("invite[role]", "participant"),
                ],
            )
            .await;
        assert!(support::went_through(status), "{status} {body}");
        let mail = next_mail(&mut received).await;
        assert!(mail.contains("To: rosa@example.pe"), "{mail}");
        let mut states = Vec::new();
        for _ in 0..100 {
            let (_, people) = kring
                .call(&joseph, "people/cohort", &[("cohort", "1")])
                .await;
            states = people["invitations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|row| {
                    (
                        row["email"].as_str().unwrap().to_owned(),
                        row["state"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            if states.iter().any(|(_, state)| state == "Bounced") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        assert!(
            states.contains(&("nobody@example.org".to_owned(), "Bounced".to_owned())),
            "{states:?}"
        );
        assert!(
            states.contains(&("rosa@example.pe".to_owned(), "Pending".to_owned())),
            "{states:?}"
        );
    });
}
