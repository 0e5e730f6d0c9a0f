//! Every text that leaves a page for another program or inbox: e-mails,
//! iCalendar events and CSV exports, in the recipient's language. Server only.

pub mod csv;
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
