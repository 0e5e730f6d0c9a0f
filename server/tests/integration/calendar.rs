//! The session calendar over HTTP, on a random port, against a fresh SQLite
//! file and a fresh PostgreSQL database with the demo program: feeds checked
//! with a real iCalendar parser, registration, planning and permissions.

use crate::support;
use support::{client, start, went_through};

use icalendar::parser::{read_calendar, unfold};
use kring_db::testing::TestDatabase;
use kring_db::{on_both_engines, Audience, MeetingRecord};
use kring_domain::{Email, Language, SessionKind};
use reqwest::StatusCode;

/// The events of a feed as (UID, property name → value), after checking the
/// text is a well-formed RFC 5545 calendar.
fn events(ics: &str) -> Vec<(String, std::collections::HashMap<String, String>)> {
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "a line longer than 75 octets: {line:?}");
    }
    let unfolded = unfold(ics);
    let calendar =
        read_calendar(&unfolded).unwrap_or_else(|error| panic!("not iCalendar: {error}"));
    calendar
        .components
        .iter()
        .filter(|component| component.name.as_str() == "VEVENT")
        .map(|event| {
            let properties: std::collections::HashMap<String, String> = event
                .properties
                .iter()
                .map(|p| (p.name.as_str().to_owned(), p.val.as_str().to_owned()))
                .collect();
            for required in [
                "UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY", "STATUS",
            ] {
                assert!(
                    properties.contains_key(required),
                    "an event without {required}"
                );
            }
            assert!(properties["DTSTART"].ends_with('Z'), "starts are in UTC");
            let alarms: Vec<_> = event
                .components
                .iter()
                .filter(|c| c.name.as_str() == "VALARM")
                .collect();
            if properties["STATUS"] != "CANCELLED" {
                assert_eq!(alarms.len(), 1, "one 30-minute alarm");
                assert_eq!(
                    alarms[0].find_prop("TRIGGER").unwrap().val.as_str(),
                    "-PT30M"
                );
            }
            (properties["UID"].clone(), properties)
        })
        .collect()
}

/// The planning form as a facilitator sends it: a one-off English-group live session at
/// 18:00 GMT on 10 February 2027, but for `fields` (each replaces the field of its name).
fn series_form(fields: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut form = vec![
        ("series[kind]", "live"),
        ("series[audience]", "group:1:1"),
        ("series[title_en]", ""),
        ("series[title_es]", ""),
        ("series[title_de]", ""),
        ("series[title_nl]", ""),
        ("series[description_en]", ""),
        ("series[description_es]", ""),
        ("series[description_de]", ""),
        ("series[description_nl]", ""),
        ("series[first_date]", "2027-02-10"),
        ("series[clock]", "18:00"),
        ("series[zone]", "Etc/GMT"),
        ("series[other_zone]", ""),
        ("series[every_weeks]", "1"),
        ("series[count]", "1"),
        ("series[minutes]", "60"),
        ("series[capacity]", ""),
        ("series[video_link]", ""),
        ("series[unit]", ""),
        ("series[choice]", "ask"),
    ];
    for (name, value) in fields {
        let field = form
            .iter_mut()
            .find(|(known, _)| known == name)
            .unwrap_or_else(|| panic!("the planning form has no {name}"));
        field.1 = value;
    }
    form
}

async fn staff_sessions(test: &TestDatabase) -> Vec<MeetingRecord> {
    test.db
        .meetings(Audience::All, Language::En, kring_db::Span::ALWAYS)
        .await
        .unwrap()
}

async fn user_id(test: &TestDatabase, email: &str) -> kring_domain::UserId {
    test.db
        .user_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn the_public_feed_lists_information_meetings() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let (status, ics) = kring.get(&client(), "/calendar/public.ics").await;
        assert_eq!(status, StatusCode::OK);
        let events = events(&ics);
        assert_eq!(events.len(), 2, "the two demo information meetings");
        let first = &events[0].1;
        // The demo keeps its information meetings ahead: the date moves on by
        // whole weeks, the time stays.
        assert!(
            first["DTSTART"].ends_with("T130000Z"),
            "13:00 GMT: {first:?}"
        );
        assert!(first["DTEND"].ends_with("T140000Z"), "{first:?}");
        assert_eq!(first["SEQUENCE"], "0");
        assert!(
            !first.contains_key("LOCATION"),
            "the video link is not public"
        );
        // The Spanish meeting, planned at 09:00 in Lima.
        assert!(
            events[1].1["DTSTART"].ends_with("T140000Z"),
            "{:?}",
            events[1].1
        );
    });
}

#[tokio::test]
async fn a_members_feed_follows_changes_and_can_be_revoked() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let (status, _) = kring
            .call(&lucia, "calendar/feed", &[("action", "regenerate")])
            .await;
        assert!(went_through(status), "{status}");
        let token = test
            .db
            .own_calendar(user_id(test, "lucia@demo.kring").await)
            .await
            .unwrap()
            .feed_token
            .unwrap();
        let path = format!("/calendar/{token}.ics");
        let (status, ics) = kring.get(&client(), &path).await;
        assert_eq!(status, StatusCode::OK);
        let feed = events(&ics);
        // Her Spanish group's 14 sessions (titles in Spanish) and the circle she holds a place in.
        assert_eq!(
            feed.len(),
            15,
            "{:?}",
            feed.iter().map(|e| &e.1["SUMMARY"]).collect::<Vec<_>>()
        );
        assert_eq!(
            feed.iter()
                .filter(|e| e.1["SUMMARY"] == "Grupo hispanohablante: sesión en vivo")
                .count(),
            14
        );
        assert!(feed
            .iter()
            .all(|e| !e.1["SUMMARY"].starts_with("English group")));
        assert!(
            feed[0].1["DESCRIPTION"].contains("hora de Lima"),
            "{}",
            feed[0].1["DESCRIPTION"]
        );

        // A facilitator cancels one of her sessions: the feed says so, with a higher sequence.
        let cancelled = staff_sessions(test)
            .await
            .into_iter()
            .find(|s| {
                s.language_group_name.as_deref() == Some("Spanish group")
                    && s.starts_at > kring_db::now()
            })
            .unwrap();
        let facilitator = kring.logged_in("facilitator@demo.kring").await;
        let id = cancelled.id.0.to_string();
        let (status, body) = kring
            .call(
                &facilitator,
                "calendar/change",
                &[
                    ("change[id]", &id),
                    ("change[action]", "cancel"),
                    ("change[date]", ""),
                    ("change[clock]", ""),
                    ("change[choice]", "ask"),
                ],
            )
            .await;
        assert!(went_through(status), "{status} {body}");
        let (_, ics) = kring.get(&client(), &path).await;
        let feed = events(&ics);
        let event = &feed
            .iter()
            .find(|(uid, _)| *uid == cancelled.uid)
            .unwrap()
            .1;
        assert_eq!(event["STATUS"], "CANCELLED");
        assert_eq!(event["SEQUENCE"], "1");
        assert_eq!(
            feed.iter().filter(|e| e.1["STATUS"] == "CONFIRMED").count(),
            14
        );

        // A participant cannot cancel sessions.
        let (status, _) = kring
            .call(
                &lucia,
                "calendar/change",
                &[
                    ("change[id]", &id),
                    ("change[action]", "cancel"),
                    ("change[date]", ""),
                    ("change[clock]", ""),
                    ("change[choice]", "ask"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        kring
            .call(&lucia, "calendar/feed", &[("action", "revoke")])
            .await;
        let (status, _) = kring.get(&client(), &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    });
}

#[tokio::test]
async fn registration_respects_capacity_with_clear_errors() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let admin = kring.logged_in("admin@demo.kring").await;
        // A one-place circle, planned through the same form facilitators use.
        let series = series_form(&[
            ("series[kind]", "circle"),
            ("series[audience]", "cohort:1"),
            ("series[title_en]", "Small circle"),
            ("series[description_en]", "One place"),
            ("series[first_date]", "2027-02-11"),
            ("series[clock]", "15:00"),
            ("series[minutes]", "90"),
            ("series[capacity]", "1"),
            ("series[video_link]", "https://meet.example.org/small"),
        ]);
        let participant = kring.logged_in("amara@demo.kring").await;
        let (status, _) = kring.call(&participant, "calendar/plan", &series).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "participants do not plan sessions"
        );
        let (status, body) = kring.call(&admin, "calendar/plan", &series).await;
        assert!(went_through(status), "{status} {body}");
        let circle = staff_sessions(test)
            .await
            .into_iter()
            .find(|s| s.title == "Small circle")
            .unwrap();
        assert_eq!(
            (circle.kind, circle.capacity),
            (SessionKind::Circle, Some(1))
        );
        let id = circle.id.0.to_string();

        let (status, body) = kring
            .call(&client(), "calendar/register", &[("id", &id)])
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        let (status, _) = kring
            .call(&participant, "calendar/register", &[("id", &id)])
            .await;
        assert!(went_through(status));
        let (status, body) = kring
            .call(&participant, "calendar/register", &[("id", &id)])
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["code"], "already_registered");
        let lucia = kring.logged_in("lucia@demo.kring").await;
        let (status, body) = kring
            .call(&lucia, "calendar/register", &[("id", &id)])
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["code"], "session_full");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .starts_with("Este círculo está completo"),
            "{body}"
        );

        // The registrant list is for facilitators, as CSV too.
        let (status, csv) = kring
            .get(&admin, &format!("/sessions/{id}/registrants.csv"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            csv.contains("\"Amara Owusu\",\"amara@demo.kring\""),
            "{csv}"
        );
        let (status, _) = kring
            .get(&lucia, &format!("/sessions/{id}/registrants.csv"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    });
}

#[tokio::test]
async fn planning_a_time_that_a_clock_change_skips_needs_an_explicit_choice() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let facilitator = kring.logged_in("facilitator@demo.kring").await;
        let series = |choice: &'static str| {
            series_form(&[
                ("series[title_en]", "Night owls"),
                ("series[first_date]", "2027-03-14"),
                ("series[clock]", "02:30"),
                ("series[zone]", "other"),
                ("series[other_zone]", "Europe/Amsterdam"),
                ("series[count]", "3"),
                ("series[choice]", choice),
            ])
        };
        let (status, body) = kring
            .call(&facilitator, "calendar/plan", &series("ask"))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let message = body["message"].as_str().unwrap();
        assert!(
            message.contains("2027-03-28") && message.contains("Europe/Amsterdam"),
            "{message}"
        );
        assert!(
            staff_sessions(test)
                .await
                .iter()
                .all(|s| s.title != "Night owls"),
            "nothing saved"
        );

        let (status, body) = kring
            .call(&facilitator, "calendar/plan", &series("later"))
            .await;
        assert!(went_through(status), "{status} {body}");
        let planned: Vec<i64> = staff_sessions(test)
            .await
            .iter()
            .filter(|s| s.title == "Night owls")
            .map(|s| s.starts_at)
            .collect();
        assert_eq!(planned.len(), 3);
        // 02:30 CET on the 14th and 21st; on the 28th the later instant, 03:30 CEST.
        let utc = |text: &str| text.parse::<jiff::Timestamp>().unwrap().as_second();
        assert_eq!(
            planned,
            [
                utc("2027-03-14T01:30:00Z"),
                utc("2027-03-21T01:30:00Z"),
                utc("2027-03-28T01:30:00Z")
            ]
        );
    });
}

/// A host zone is named by its city in the reader's language, as CLDR names it: a session
/// hosted in Yerevan reads "hora de Ereván", "Zeit in Eriwan" and "tijd in Jerevan", and the
/// Spanish group's sessions, hosted in London, "hora de Londres" and "tijd in Londen".
#[tokio::test]
async fn the_host_zone_city_reads_in_the_readers_language_on_the_agenda() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let facilitator = kring.logged_in("facilitator@demo.kring").await;
        let series = series_form(&[
            ("series[title_en]", "Evening in Yerevan"),
            ("series[zone]", "other"),
            ("series[other_zone]", "Asia/Yerevan"),
        ]);
        let (status, body) = kring.call(&facilitator, "calendar/plan", &series).await;
        assert!(went_through(status), "{status} {body}");

        // The facilitator reads in Amsterdam's zone, so both hosts' times are labelled.
        for (language, cities) in [
            ("es", ["hora de Ereván", "hora de Londres"]),
            ("de", ["Zeit in Eriwan", "Zeit in London"]),
            ("nl", ["tijd in Jerevan", "tijd in Londen"]),
            ("en", ["Yerevan time", "London time"]),
        ] {
            let (status, body) = kring
                .call(&facilitator, "language", &[("language", language)])
                .await;
            assert!(went_through(status), "{status} {body}");
            let (status, page) = kring.get(&facilitator, "/sessions").await;
            assert_eq!(status, StatusCode::OK);
            for city in cities {
                assert!(page.contains(city), "{language}: no {city:?} on /sessions");
            }
        }
    });
}

/// Visitors confirm by e-mail (see `mail.rs` for the whole way); a Kring
/// that sends no e-mail checks what they typed, then says it cannot register them.
#[tokio::test]
async fn visitors_register_for_information_meetings_with_checked_details() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let meeting = staff_sessions(test)
            .await
            .into_iter()
            .find(|s| s.kind == SessionKind::Information)
            .unwrap();
        let id = meeting.id.0.to_string();
        let guest = |email: &'static str, zone: &'static str| {
            vec![
                ("guest[session]", id.clone()),
                ("guest[name]", "Rosa Mamani".to_owned()),
                ("guest[email]", email.to_owned()),
                ("guest[organisation]", "Casa Abierta Cusco".to_owned()),
                ("guest[language_group]", "es".to_owned()),
                ("guest[time_zone]", zone.to_owned()),
            ]
        };
        let form = |fields: &Vec<(&'static str, String)>| {
            fields
                .iter()
                .map(|(k, v)| (*k, v.clone()))
                .collect::<Vec<_>>()
        };
        let visitor = client();
        let send = |fields: Vec<(&'static str, String)>| {
            let visitor = visitor.clone();
            let url = format!("{}/api/calendar/register-guest", kring.base);
            async move {
                let response = visitor.post(url).form(&form(&fields)).send().await.unwrap();
                (response.status(), response.text().await.unwrap())
            }
        };
        let (status, body) = send(guest("not-an-address", "America/Lima")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, body) = send(guest("rosa@example.org", "Mars/Olympus")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, body) = send(guest("rosa@example.org", "America/Lima")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(body.contains("sends no e-mail"), "{body}");
        assert!(test.db.registrants(meeting.id).await.unwrap().is_empty());

        // A cohort's live session is not open to visitors, even by id.
        let live = staff_sessions(test)
            .await
            .into_iter()
            .find(|s| s.kind == SessionKind::Live)
            .unwrap();
        let mut fields = guest("other@example.org", "America/Lima");
        fields[0].1 = live.id.0.to_string();
        let (status, _) = send(fields).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    });
}

/// The ids of the sessions an agenda page lists, in order (`data-session`).
fn listed_sessions(page: &str) -> Vec<i64> {
    page.split("data-session=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().parse().unwrap())
        .collect()
}

/// Five years of sessions must not make one page: the agenda lists twenty at
/// a time, ahead soonest first and past latest first, with plain page links.
#[tokio::test]
async fn the_agenda_pages_through_sessions_without_webassembly() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let facilitator = kring.logged_in("facilitator@demo.kring").await;
        let series = series_form(&[
            ("series[title_en]", "Weekly circle"),
            ("series[count]", "30"),
        ]);
        let (status, body) = kring.call(&facilitator, "calendar/plan", &series).await;
        assert!(went_through(status), "{status} {body}");
        let now = kring_db::now();
        let audience = Audience::Member(user_id(test, "facilitator@demo.kring").await);
        let expected = |span, page| async move {
            let (sessions, count) = test
                .db
                .meetings_page(audience, Language::En, span, page, 20)
                .await
                .unwrap();
            (sessions.iter().map(|s| s.id.0).collect::<Vec<_>>(), count)
        };

        let (ahead, count) = expected(kring_db::Span::Ahead(now), 0).await;
        assert!(count > 40, "{count} sessions ahead");
        let (status, first) = kring.get(&facilitator, "/sessions").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(listed_sessions(&first), ahead);
        assert!(first.contains(r#"href="/sessions?page=2" rel="next""#));
        assert!(!first.contains(r#"rel="prev""#));

        let (second_ids, _) = expected(kring_db::Span::Ahead(now), 1).await;
        let (status, second) = kring.get(&facilitator, "/sessions?page=2").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(listed_sessions(&second), second_ids);
        assert!(second.contains(r#"href="/sessions?page=1" rel="prev""#));
        assert!(listed_sessions(&second)
            .iter()
            .all(|id| !ahead.contains(id)));

        // Past sessions, latest first, paged under their own key.
        let (past_ids, past_count) = expected(kring_db::Span::Past(now), 0).await;
        assert!(past_count > 0, "the demo has sessions behind it");
        let (status, past) = kring.get(&facilitator, "/sessions?past=1").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(listed_sessions(&past), past_ids);
        assert!(past.contains(r#"href="/sessions?past=1" aria-current="page""#));

        // Odd page numbers read as the nearest page there is.
        let (last_ids, _) = expected(kring_db::Span::Ahead(now), i64::MAX).await;
        for (path, ids) in [
            ("/sessions?page=last", &last_ids),
            ("/sessions?page=99999", &last_ids),
            ("/sessions?page=-4", &ahead),
            ("/sessions?page=two", &ahead),
        ] {
            let (status, page) = kring.get(&facilitator, path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_eq!(&listed_sessions(&page), ids, "{path}");
        }

        // A visitor pages the public meetings alone.
        let (status, page) = kring.get(&client(), "/sessions").await;
        assert_eq!(status, StatusCode::OK);
        let visible = test
            .db
            .meetings(Audience::Visitor, Language::En, kring_db::Span::Ahead(now))
            .await
            .unwrap();
        assert_eq!(
            listed_sessions(&page),
            visible.iter().take(20).map(|s| s.id.0).collect::<Vec<_>>()
        );
    });
}
