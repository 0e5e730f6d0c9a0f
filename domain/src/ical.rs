//! iCalendar (RFC 5545) for calendar subscriptions and downloads, and the
//! "add to Google Calendar" link.
//!
//! Every event is a single occurrence with its start and end in UTC, so each
//! calendar shows it in its owner's zone without needing our zone rules;
//! moved occurrences of a series are just events with a higher SEQUENCE.

use crate::SessionStatus;
use jiff::Timestamp;

/// One session as a calendar event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    pub uid: String,
    pub sequence: i64,
    pub starts_at: i64,
    pub minutes: i64,
    pub status: SessionStatus,
    pub title: String,
    pub description: String,
    pub url: String,
    /// The video link, for those allowed to join; empty otherwise.
    pub location: String,
    pub updated_at: i64,
}

/// `20270114T130000Z`
pub fn utc_stamp(instant: i64) -> String {
    Timestamp::from_second(instant)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// A whole calendar: a feed or a single download.
pub fn calendar(name: &str, events: &[CalendarEvent], now: i64) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kring//Kring calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push_line(&mut out, line);
    }
    push_line(&mut out, &format!("X-WR-CALNAME:{}", escape_text(name)));
    // Calendar apps refresh subscriptions at their own pace; ask for hourly.
    push_line(&mut out, "REFRESH-INTERVAL;VALUE=DURATION:PT1H");
    push_line(&mut out, "X-PUBLISHED-TTL:PT1H");
    for event in events {
        push_event(&mut out, event, now);
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

fn push_event(out: &mut String, event: &CalendarEvent, now: i64) {
    let status = match event.status {
        SessionStatus::Cancelled => "CANCELLED",
        SessionStatus::Scheduled | SessionStatus::Moved => "CONFIRMED",
    };
    push_line(out, "BEGIN:VEVENT");
    push_line(out, &format!("UID:{}", escape_text(&event.uid)));
    push_line(out, &format!("DTSTAMP:{}", utc_stamp(now)));
    push_line(
        out,
        &format!("LAST-MODIFIED:{}", utc_stamp(event.updated_at)),
    );
    push_line(out, &format!("SEQUENCE:{}", event.sequence));
    push_line(out, &format!("DTSTART:{}", utc_stamp(event.starts_at)));
    push_line(
        out,
        &format!("DTEND:{}", utc_stamp(event.starts_at + event.minutes * 60)),
    );
    push_line(out, &format!("STATUS:{status}"));
    push_line(out, &format!("SUMMARY:{}", escape_text(&event.title)));
    push_line(
        out,
        &format!("DESCRIPTION:{}", escape_text(&event.description)),
    );
    if !event.url.is_empty() {
        // A URI value has no escapes: characters that could end the line go.
        let url: String = event
            .url
            .chars()
            .filter(|c| !c.is_control() && !c.is_whitespace())
            .collect();
        push_line(out, &format!("URL:{url}"));
    }
    if !event.location.is_empty() {
        push_line(out, &format!("LOCATION:{}", escape_text(&event.location)));
    }
    if event.status != SessionStatus::Cancelled {
        push_line(out, "BEGIN:VALARM");
        push_line(out, "ACTION:DISPLAY");
        push_line(out, &format!("DESCRIPTION:{}", escape_text(&event.title)));
        push_line(out, "TRIGGER:-PT30M");
        push_line(out, "END:VALARM");
    }
    push_line(out, "END:VEVENT");
}

/// TEXT values escape backslashes, semicolons, commas and newlines (RFC 5545 3.3.11).
fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\n' => escaped.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Lines end in CRLF and fold at 75 octets, never inside a UTF-8 character (RFC 5545 3.1).
fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An "add to Google Calendar" link with the times in UTC.
pub fn google_calendar_link(event: &CalendarEvent) -> String {
    format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}/{}&details={}&location={}",
        url_encode(&event.title),
        utc_stamp(event.starts_at),
        utc_stamp(event.starts_at + event.minutes * 60),
        url_encode(&event.description),
        url_encode(if event.location.is_empty() { &event.url } else { &event.location }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> CalendarEvent {
        CalendarEvent {
            uid: "abc@kring".to_owned(),
            sequence: 2,
            starts_at: "2027-01-14T13:00:00Z"
                .parse::<Timestamp>()
                .unwrap()
                .as_second(),
            minutes: 120,
            status: SessionStatus::Moved,
            title: "Grupo inglés: sesión, en vivo; ¿listos?".to_owned(),
            description: "Línea uno\nThu 14 Jan, 16:00–18:00 Yerevan time · 13:00 GMT\\".to_owned(),
            url: "https://kring.example.org/sessions/7".to_owned(),
            location: "https://meet.example.org/kring".to_owned(),
            updated_at: 0,
        }
    }

    #[test]
    fn events_carry_utc_times_sequence_and_alarm() {
        let ics = calendar("Kring", &[event()], 0);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("\r\nDTSTART:20270114T130000Z\r\n"));
        assert!(ics.contains("\r\nDTEND:20270114T150000Z\r\n"));
        assert!(ics.contains("\r\nSEQUENCE:2\r\n"));
        assert!(ics.contains("\r\nSTATUS:CONFIRMED\r\n"));
        assert!(ics.contains("\r\nTRIGGER:-PT30M\r\n"));
        assert!(ics.contains("SUMMARY:Grupo inglés: sesión\\, en vivo\\; ¿listos?"));
        assert!(
            !ics.replace("\r\n", "").contains('\n'),
            "bare newlines are escaped"
        );
    }

    #[test]
    fn a_link_cannot_add_a_property() {
        // Found by `make fuzz`: the URL was written as it came.
        let forged = CalendarEvent {
            url: "https://kring.example.org/x\r\nATTENDEE:mailto:evil@example.org\n".to_owned(),
            ..event()
        };
        let ics = calendar("Kring", &[forged], 0);
        assert!(!ics.contains("\r\nATTENDEE"), "{ics}");
        assert!(ics.contains("URL:https://kring.example.org/xATTENDEE:mailto:evil@example.org\r\n"));
    }

    #[test]
    fn cancelled_events_say_so_and_have_no_alarm() {
        let cancelled = CalendarEvent {
            status: SessionStatus::Cancelled,
            ..event()
        };
        let ics = calendar("Kring", &[cancelled], 0);
        assert!(ics.contains("\r\nSTATUS:CANCELLED\r\n"));
        assert!(!ics.contains("VALARM"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let long = CalendarEvent {
            description: "ñ".repeat(200),
            ..event()
        };
        let ics = calendar("Kring", &[long], 0);
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:{}", "ñ".repeat(200))));
    }

    #[test]
    fn google_link_is_encoded() {
        let link = google_calendar_link(&event());
        assert!(link.starts_with(
            "https://calendar.google.com/calendar/render?action=TEMPLATE&text=Grupo%20ingl%C3%A9s"
        ));
        assert!(link.contains("&dates=20270114T130000Z/20270114T150000Z&"));
        assert!(!link.contains(' '));
    }
}
