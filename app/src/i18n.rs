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
