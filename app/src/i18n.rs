//! Every text in the reader's language: the locale files (`app/locales/*.json`,
//! compiled in) and the names of Kring's own things: languages, roles,
//! session kinds, reply tags and countries.

#[allow(deprecated, missing_docs)]
mod locales {
    // The locale files are compiled in; a key missing from a language warns at build time
    // and fails `translations_test`.
    leptos_i18n::load_locales!();
}
pub use locales::i18n::*;

use kring_domain::forum::ReplyTag;
use kring_domain::{Country, Language, Role, SessionKind};
use leptos::prelude::*;

/// The leptos_i18n locale for a Kring language.
pub fn locale(language: Language) -> Locale {
    match language {
        Language::En => Locale::en,
        Language::Es => Locale::es,
        Language::De => Locale::de,
        Language::Nl => Locale::nl,
    }
}

/// A language's name in the reader's language.
pub fn language_name(t: Locale, language: Language) -> &'static str {
    match language {
        Language::En => td_string!(t, language_name_en),
        Language::Es => td_string!(t, language_name_es),
        Language::De => td_string!(t, language_name_de),
        Language::Nl => td_string!(t, language_name_nl),
    }
}

/// A role's name.
pub fn role_name(t: Locale, role: Role) -> &'static str {
    match role {
        Role::Admin => td_string!(t, role_admin),
        Role::Facilitator => td_string!(t, role_facilitator),
        Role::Participant => td_string!(t, role_participant),
    }
}

/// A session kind's name.
pub fn kind_name(t: Locale, kind: SessionKind) -> &'static str {
    match kind {
        SessionKind::Live => td_string!(t, cal_kind_live),
        SessionKind::Information => td_string!(t, cal_kind_information),
        SessionKind::Circle => td_string!(t, cal_kind_circle),
    }
}

/// A reply tag's name.
pub fn tag_name(t: Locale, tag: ReplyTag) -> &'static str {
    match tag {
        ReplyTag::Question => td_string!(t, forum_tag_question),
        ReplyTag::Perspective => td_string!(t, forum_tag_perspective),
        ReplyTag::Suggestion => td_string!(t, forum_tag_suggestion),
    }
}

/// Options for the country select, named in the viewer's language and sorted by that name.
pub(crate) fn country_options(language: Language, selected: String) -> impl IntoView {
    let mut countries: Vec<(&str, &str)> = Country::all()
        .map(|country| (country.code(), country.name(language)))
        .collect();
    countries.sort_by(|a, b| a.1.cmp(b.1));
    countries
        .into_iter()
        .map(|(code, name)| view! { <option value=code selected=selected == code>{name}</option> })
        .collect_view()
}

/// Options for a language select, each named in its own language.
pub(crate) fn language_options(selected: Language) -> impl IntoView {
    Language::ALL
        .into_iter()
        .map(|l| view! { <option value=l.code() selected=l == selected>{l.native_name()}</option> })
        .collect_view()
}

/// The name of someone in a log or on a post: their name, or "Former member"
/// once they erased their account.
pub fn person_name(t: Locale, name: Option<&str>) -> String {
    name.map_or_else(|| td_string!(t, former_member).to_owned(), str::to_owned)
}

/// A kind of audited action, as the log's filter names it.
#[cfg(feature = "ssr")]
pub fn audit_action_name(t: Locale, action: kring_db::AuditAction) -> &'static str {
    use kring_db::AuditAction::*;
    match action {
        CircleRead => td_string!(t, audit_kind_circle_read),
        CircleJoined => td_string!(t, audit_kind_circle_joined),
        CircleLeft => td_string!(t, audit_kind_circle_left),
        CircleMemberRemoved => td_string!(t, audit_kind_circle_member_removed),
        CircleStatus => td_string!(t, audit_kind_circle_status),
        PostHidden => td_string!(t, audit_kind_post_hidden),
        ThreadLock => td_string!(t, audit_kind_thread_lock),
        RoleChanged => td_string!(t, audit_kind_role_changed),
        Enrolled => td_string!(t, audit_kind_enrolled),
        Removed => td_string!(t, audit_kind_removed),
        Invited => td_string!(t, audit_kind_invited),
        AccountErased => td_string!(t, audit_kind_account_erased),
        DataExported => td_string!(t, audit_kind_data_exported),
    }
}

/// An audit entry as a sentence: "Joseph Mensah (facilitator) read this circle".
#[cfg(feature = "ssr")]
pub fn audit_sentence(t: Locale, entry: &kring_db::AuditEntry) -> String {
    use kring_db::AuditAction::*;
    let actor = match (&entry.actor, entry.actor_role) {
        (Some(name), Some(role)) => format!("{name} ({})", role_name(t, role)),
        (name, _) => person_name(t, name.as_deref()),
    };
    let subject = person_name(t, entry.subject.as_deref());
    let cohort = entry.cohort.clone().unwrap_or_default();
    let detail = entry.detail.as_str();
    let template = match entry.action {
        CircleRead => td_string!(t, audit_circle_read),
        CircleJoined => td_string!(t, audit_circle_joined),
        CircleLeft => td_string!(t, audit_circle_left),
        CircleMemberRemoved => td_string!(t, audit_circle_member_removed),
        CircleStatus => match detail {
            "closed" => td_string!(t, audit_circle_closed),
            "archived" => td_string!(t, audit_circle_archived),
            _ => td_string!(t, audit_circle_opened),
        },
        PostHidden => td_string!(t, audit_post_hidden),
        ThreadLock if detail == "locked" => td_string!(t, audit_thread_locked),
        ThreadLock => td_string!(t, audit_thread_unlocked),
        RoleChanged => td_string!(t, audit_role_changed),
        Enrolled => td_string!(t, audit_enrolled),
        Removed => td_string!(t, audit_removed),
        Invited if detail == "link" => td_string!(t, audit_invited_link),
        Invited => td_string!(t, audit_invited),
        AccountErased if entry.actor_role.is_some() => td_string!(t, audit_erased_by_admin),
        AccountErased => td_string!(t, audit_erased_by_owner),
        DataExported => td_string!(t, audit_data_exported),
    };
    let detail = match entry.action {
        RoleChanged => Role::parse(detail)
            .map(|role| role_name(t, role).to_owned())
            .unwrap_or_default(),
        _ => detail.to_owned(),
    };
    template
        .replace("%actor%", &actor)
        .replace("%subject%", &subject)
        .replace("%cohort%", &cohort)
        .replace("%detail%", &detail)
}
