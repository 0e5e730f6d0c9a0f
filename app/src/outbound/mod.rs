//! Every text that leaves a page for another program or inbox: e-mails,
//! iCalendar events, CSV exports and a person's copy of their data, in the
//! recipient's language. Server only.

pub mod archive;
pub mod csv;
pub mod data_copy;
pub mod ical;
pub mod mail;

use leptos::prelude::use_context;

/// Present in the server's context when e-mail can be sent (`SMTP_URL` is set).
#[derive(Debug, Clone, Copy)]
pub struct MailEnabled;

pub(crate) fn mail_enabled() -> bool {
    use_context::<MailEnabled>().is_some()
}

/// Present in the demo without `SMTP_URL`: the mails people ask for (a password reset) are
/// printed to the server's log, so that someone trying Kring can follow their links.
#[derive(Debug, Clone, Copy)]
pub struct MailPrinted;

/// Whether a mail asked for now reaches its reader: sent, or printed in the demo.
pub fn mail_reaches_people() -> bool {
    mail_enabled() || use_context::<MailPrinted>().is_some()
}

/// An instant as the reader's wall time with the zone's abbreviation: "2026-12-03 15:00 CET".
pub(crate) fn stamp(at: i64, zone: &kring_domain::TimeZone) -> String {
    jiff::Timestamp::from_second(at)
        .map(|at| {
            at.to_zoned_datetime(kring_domain::series::zone_rules(zone))
                .strftime("%Y-%m-%d %H:%M %Z")
                .to_string()
        })
        .unwrap_or_default()
}
