//! `/privacy`: what Kring stores, why, for how long, who can see it, and how
//! to get a copy or erase it, in the reader's language. Linked in the footer
//! and at registration. The periods it states are those `kring_db` applies
//! (`retention.rs`, `EXPORT_KEPT_SECS`, `AUDIT_KEPT_SECS`).

use crate::i18n::*;
use crate::viewer::use_viewer;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let t = use_viewer().locale();
    let sections: [(&str, &str, Vec<&str>); 5] = [
        (
            "stored",
            td_string!(t, privacy_stored_heading),
            vec![
                td_string!(t, privacy_stored_1),
                td_string!(t, privacy_stored_2),
                td_string!(t, privacy_stored_3),
                td_string!(t, privacy_stored_4),
                td_string!(t, privacy_stored_5),
                td_string!(t, privacy_stored_6),
                td_string!(t, privacy_stored_7),
                td_string!(t, privacy_stored_8),
            ],
        ),
        (
            "why",
            td_string!(t, privacy_why_heading),
            vec![
                td_string!(t, privacy_why_1),
                td_string!(t, privacy_why_2),
                td_string!(t, privacy_why_3),
                td_string!(t, privacy_why_4),
            ],
        ),
        (
            "kept",
            td_string!(t, privacy_kept_heading),
            vec![
                td_string!(t, privacy_kept_1),
                td_string!(t, privacy_kept_2),
                td_string!(t, privacy_kept_3),
                td_string!(t, privacy_kept_4),
                td_string!(t, privacy_kept_5),
                td_string!(t, privacy_kept_6),
                td_string!(t, privacy_kept_7),
            ],
        ),
        (
            "who",
            td_string!(t, privacy_who_heading),
            vec![
                td_string!(t, privacy_who_1),
                td_string!(t, privacy_who_2),
                td_string!(t, privacy_who_3),
                td_string!(t, privacy_who_4),
                td_string!(t, privacy_who_5),
            ],
        ),
        (
            "rights",
            td_string!(t, privacy_rights_heading),
            vec![
                td_string!(t, privacy_rights_1),
                td_string!(t, privacy_rights_2),
                td_string!(t, privacy_rights_3),
                td_string!(t, privacy_rights_4),
            ],
        ),
    ];
    view! {
        <Title text=td_string!(t, privacy_title)/>
        <article class="card prose privacy">
            <h1>{td_string!(t, privacy_title)}</h1>
            <p>{td_string!(t, privacy_intro)}</p>
            {sections.into_iter().map(|(id, heading, items)| view! {
                <h2 id=id>{heading}</h2>
                <ul>{items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}</ul>
            }).collect_view()}
            <p>{td_string!(t, privacy_contact)}</p>
            <p><a href="/profile/data">{td_string!(t, your_data_title)}</a></p>
        </article>
    }
}
