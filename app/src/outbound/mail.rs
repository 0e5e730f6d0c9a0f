//! E-mails: reminders, registrations, visitors' confirmations, password resets, invitations
//! and address confirmations, each a (subject, body) in the recipient's language and zone.

use crate::i18n::*;
use crate::sessions::full_time_text;
use kring_domain::Language;

/// A reminder or a change of a session by e-mail: (subject, body) in the
/// recipient's language and zone, with the same sentence the app shows.
pub fn notice_mail(
    session: &kring_db::MeetingRecord,
    notice: &kring_db::SessionNotice,
    text: &str,
    language: Language,
    origin: &str,
) -> (String, String) {
    use kring_db::NoticeKind;
    let t = crate::i18n::locale(language);
    let subject = match notice.kind {
        NoticeKind::Day | NoticeKind::Hour => td_string!(t, mail_reminder_subject),
        NoticeKind::Moved => td_string!(t, mail_moved_subject),
        NoticeKind::Cancelled => td_string!(t, mail_cancelled_subject),
    };
    (
        subject.replace("%title%", &session.title),
        td_string!(t, mail_reminder_body)
            .replace("%reminder%", text)
            .replace("%link%", &format!("{origin}/sessions/{}", session.id)),
    )
}

/// The e-mail telling someone where they stand after registering or moving up from the waitlist.
pub fn registration_mail(
    session: &kring_db::MeetingRecord,
    name: &str,
    confirmed: bool,
    zone: &kring_domain::TimeZone,
    language: Language,
    origin: &str,
) -> (String, String) {
    let t = crate::i18n::locale(language);
    let time = kring_domain::time_text::session_time(
        session.starts_at,
        session.minutes,
        &session.host_zone,
        zone,
        language,
    );
    let body = if confirmed {
        td_string!(t, mail_registered)
    } else {
        td_string!(t, mail_waitlisted)
    };
    (
        td_string!(t, mail_registration_subject).replace("%title%", &session.title),
        body.replace("%name%", name)
            .replace("%title%", &session.title)
            .replace("%time%", &full_time_text(&time))
            .replace("%link%", &format!("{origin}/sessions/{}", session.id)),
    )
}

/// The e-mail asking a visitor to confirm their registration: (subject, body).
pub fn confirmation_mail(
    session: &kring_db::MeetingRecord,
    guest: &kring_db::Guest,
    link: &str,
) -> (String, String) {
    let t = crate::i18n::locale(guest.language);
    let time = kring_domain::time_text::session_time(
        session.starts_at,
        session.minutes,
        &session.host_zone,
        &guest.time_zone,
        guest.language,
    );
    (
        td_string!(t, mail_guest_confirm_subject).replace("%title%", &session.title),
        td_string!(t, mail_guest_confirm_body)
            .replace("%name%", &guest.name)
            .replace("%title%", &session.title)
            .replace("%time%", &full_time_text(&time))
            .replace("%hours%", &kring_db::CONFIRMATION_HOURS.to_string())
            .replace("%link%", link),
    )
}

/// The e-mail gathering someone's unread notifications: (subject, body).
pub fn digest_mail(digest: &kring_db::Digest, origin: &str) -> (String, String) {
    let t = crate::i18n::locale(digest.language);
    let lines: Vec<String> = digest
        .entries
        .iter()
        .map(|notification| {
            let entry = crate::forum::NotificationEntry {
                id: notification.id,
                reason: match notification.kind {
                    kring_db::NotificationKind::Reply => crate::forum::NotificationReason::Reply,
                    kring_db::NotificationKind::Quote => crate::forum::NotificationReason::Quote,
                    kring_db::NotificationKind::Mention => {
                        crate::forum::NotificationReason::Mention
                    }
                },
                actor: crate::i18n::person_name(t, notification.actor.as_deref()),
                thread: notification.thread.0,
                thread_title: notification.thread_title.clone(),
                post: notification.post.0,
                when: kring_domain::time_text::moment(
                    notification.created_at,
                    &digest.time_zone,
                    digest.language,
                ),
                new: true,
            };
            format!(
                "- {} ({}, {})\n  {origin}{}",
                crate::forum::reason_text(t, &entry),
                entry.thread_title,
                entry.when,
                crate::forum::post_link(entry.thread, entry.post)
            )
        })
        .collect();
    (
        td_string!(t, mail_digest_subject).replace("%count%", &lines.len().to_string()),
        td_string!(t, mail_digest_body)
            .replace("%entries%", &lines.join("\n"))
            .replace("%link%", &format!("{origin}/notifications"))
            .replace("%settings%", &format!("{origin}/profile#digest")),
    )
}

/// The e-mail with a link to choose a new password: (subject, body), in the account's language.
pub fn password_reset_mail(name: &str, link: &str, language: Language) -> (String, String) {
    let t = crate::i18n::locale(language);
    (
        td_string!(t, mail_reset_subject).to_owned(),
        td_string!(t, mail_reset_body)
            .replace("%name%", name)
            .replace("%link%", link),
    )
}

/// The e-mail inviting someone into a cohort's language group: (subject, body) in the
/// group's language. `name` is empty when the facilitator gave none.
pub fn invitation_mail(
    name: &str,
    cohort: &str,
    group: Option<&str>,
    inviter: &str,
    link: &str,
    language: Language,
) -> (String, String) {
    let t = crate::i18n::locale(language);
    let place = match group {
        Some(group) => format!("{cohort} · {group}"),
        None => cohort.to_owned(),
    };
    let greeting = if name.is_empty() {
        td_string!(t, mail_invitation_greeting_anonymous).to_owned()
    } else {
        td_string!(t, mail_invitation_greeting).replace("%name%", name)
    };
    (
        td_string!(t, mail_invitation_subject).replace("%cohort%", &place),
        td_string!(t, mail_invitation_body)
            .replace("%greeting%", &greeting)
            .replace("%inviter%", inviter)
            .replace("%cohort%", &place)
            .replace("%link%", link),
    )
}

/// The e-mail with the link that confirms an address: (subject, body).
pub fn verification_mail(name: &str, link: &str, language: Language) -> (String, String) {
    let t = crate::i18n::locale(language);
    (
        td_string!(t, mail_verification_subject).to_owned(),
        td_string!(t, mail_verification_body)
            .replace("%name%", name)
            .replace("%link%", link),
    )
}
