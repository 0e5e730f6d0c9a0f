//! `ical::calendar` (and the Google Calendar link) never panic on any event
//! text and any instant jiff can represent, and the calendar is well-formed
//! RFC 5545: every line ends in CRLF and is at most 75 octets, a folded line
//! goes on with a space, and once unfolded every line is a property Kring
//! writes, in the order it writes them: no newline (or CR) from the input
//! splits a property or adds one. TEXT values escape `\`, `;`, `,` and
//! newlines, so unescaping gives back the input without its control characters;
//! the URL (a URI value, without escapes) loses its control characters and spaces.

#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use kring_domain::ical::{calendar, google_calendar_link, CalendarEvent};
use kring_domain::SessionStatus;
use libfuzzer_sys::fuzz_target;

/// The instants jiff's `Timestamp` represents (-9999-01-02 to 9999-12-30, UTC).
const FIRST: i64 = -377_705_116_800;
const LAST: i64 = 253_402_207_199;

fn instant(u: &mut Unstructured) -> arbitrary::Result<i64> {
    u.int_in_range(FIRST..=LAST)
}

#[derive(Debug)]
struct Input {
    name: String,
    now: i64,
    events: Vec<CalendarEvent>,
}

impl<'a> Arbitrary<'a> for Input {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let name = u.arbitrary()?;
        let now = instant(u)?;
        let mut events = Vec::new();
        for _ in 0..u.int_in_range(0..=3)? {
            events.push(CalendarEvent {
                uid: u.arbitrary()?,
                sequence: u.arbitrary()?,
                starts_at: instant(u)?,
                // A session's length; any i32 keeps `starts_at + minutes * 60` in i64.
                minutes: i64::from(u.arbitrary::<i32>()?),
                status: *u.choose(&[
                    SessionStatus::Scheduled,
                    SessionStatus::Moved,
                    SessionStatus::Cancelled,
                ])?,
                title: u.arbitrary()?,
                description: u.arbitrary()?,
                url: u.arbitrary()?,
                location: u.arbitrary()?,
                updated_at: instant(u)?,
            });
        }
        Ok(Input { name, now, events })
    }
}

fuzz_target!(|input: Input| {
    let ics = calendar(&input.name, &input.events, input.now);
    for event in &input.events {
        let link = google_calendar_link(event);
        assert!(!link.contains([' ', '\n', '\r', '"', '<', '>']), "{link:?}");
    }

    let body = ics
        .strip_suffix("\r\n")
        .expect("the calendar ends with CRLF");
    for line in body.split("\r\n") {
        assert!(
            !line.contains(['\r', '\n']),
            "a bare CR or LF in {line:?}\n{ics}"
        );
        assert!(line.len() <= 75, "{line:?} is {} octets\n{ics}", line.len());
    }
    let unfolded = body.replace("\r\n ", "");

    let mut expected: Vec<(&str, Option<String>)> = vec![
        ("BEGIN", None),
        ("VERSION", None),
        ("PRODID", None),
        ("CALSCALE", None),
        ("METHOD", None),
        ("X-WR-CALNAME", Some(text(&input.name))),
        ("REFRESH-INTERVAL", None),
        ("X-PUBLISHED-TTL", None),
    ];
    for event in &input.events {
        let cancelled = event.status == SessionStatus::Cancelled;
        expected.extend([
            ("BEGIN", None),
            ("UID", Some(text(&event.uid))),
            ("DTSTAMP", None),
            ("LAST-MODIFIED", None),
            ("SEQUENCE", Some(event.sequence.to_string())),
            ("DTSTART", None),
            ("DTEND", None),
            ("STATUS", None),
            ("SUMMARY", Some(text(&event.title))),
            ("DESCRIPTION", Some(text(&event.description))),
        ]);
        if !event.url.is_empty() {
            // A URI value has no escapes: what could end its line is left out.
            let url = event
                .url
                .chars()
                .filter(|c| !c.is_control() && !c.is_whitespace())
                .collect();
            expected.push(("URL", Some(url)));
        }
        if !event.location.is_empty() {
            expected.push(("LOCATION", Some(text(&event.location))));
        }
        if !cancelled {
            expected.extend([
                ("BEGIN", None),
                ("ACTION", None),
                ("DESCRIPTION", Some(text(&event.title))),
                ("TRIGGER", None),
                ("END", None),
            ]);
        }
        expected.push(("END", None));
    }
    expected.push(("END", None));

    let lines: Vec<&str> = unfolded.split("\r\n").collect();
    let names: Vec<&str> = lines
        .iter()
        .map(|line| {
            line.split([':', ';'])
                .next()
                .expect("split yields one piece")
        })
        .collect();
    let expected_names: Vec<&str> = expected.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names, expected_names,
        "the properties written are not the ones expected\n{ics}"
    );
    for (line, (name, value)) in lines.iter().zip(&expected) {
        if let Some(value) = value {
            let written = line
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(':'))
                .unwrap_or_else(|| panic!("{line:?} is not {name}:…"));
            let read = if matches!(*name, "SEQUENCE" | "URL") {
                written.to_owned()
            } else {
                unescape(written).unwrap_or_else(|problem| panic!("{problem} in {line:?}"))
            };
            assert_eq!(&read, value, "{name} does not read back\n{ics}");
        }
    }
});

/// What a TEXT value should read back as: the input without control
/// characters other than the newline.
fn text(value: &str) -> String {
    value
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect()
}

/// Reads a TEXT value back (RFC 5545 3.3.11): `;` and `,` must be escaped.
fn unescape(written: &str) -> Result<String, String> {
    let mut value = String::with_capacity(written.len());
    let mut chars = written.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\\') => value.push('\\'),
                Some(';') => value.push(';'),
                Some(',') => value.push(','),
                Some('n' | 'N') => value.push('\n'),
                other => return Err(format!("an invalid escape \\{other:?}")),
            },
            ';' | ',' => return Err(format!("an unescaped {c:?}")),
            c => value.push(c),
        }
    }
    Ok(value)
}
