//! Small building blocks shared by the pages, and the page frame.

use crate::accounts::{Logout, SetLanguage};
use crate::error::AppError;
use crate::i18n::*;
use crate::viewer::use_viewer;
use kring_domain::{Language, Role};
use leptos::prelude::*;

/// A translated error from a form or a data load, announced to screen readers.
#[component]
pub fn ErrorNotice(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|error| view! { <p class="notice error" role="alert">{error.message}</p> })
    }
}

/// A confirmation, shown after a successful form post.
#[component]
pub fn Notice(show: bool, text: &'static str) -> impl IntoView {
    show.then(|| view! { <p class="notice success" role="status">{text}</p> })
}

/// A form control with its label and an optional hint.
#[component]
pub fn LabeledField(
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <label class="field">
            <span class="label">{label}</span>
            {children()}
            {hint.map(|hint| view! { <small class="hint">{hint}</small> })}
        </label>
    }
}

/// The numeric `:id` of the current route; -1 (found by nobody) when it is not a number.
pub fn route_id() -> i64 {
    leptos_router::hooks::use_params_map().with_untracked(|p| {
        p.get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(-1)
    })
}

pub fn role_name(t: Locale, role: Role) -> &'static str {
    match role {
        Role::Admin => td_string!(t, role_admin),
        Role::Facilitator => td_string!(t, role_facilitator),
        Role::Participant => td_string!(t, role_participant),
    }
}

/// The header: navigation for who is signed in, and the language switcher.
#[component]
pub fn Header() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    let logout = ServerAction::<Logout>::new();
    let switch_language = ServerAction::<SetLanguage>::new();
    let is_admin = viewer.is_admin();
    view! {
        <a class="skip" href="#main">{td_string!(t, skip_to_content)}</a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"◯"</span>
                {td_string!(t, app_name)}
            </a>
            <nav aria-label="main">
                <a href="/">{td_string!(t, nav_home)}</a>
                <a href="/sessions">{td_string!(t, nav_calendar)}</a>
                {match viewer.user.clone() {
                    Some(user) => view! {
                        <a href="/forum">{td_string!(t, nav_forum)}</a>
                        <NotificationsLink unread=user.unread_notifications/>
                        <a href="/search">{td_string!(t, nav_search)}</a>
                        <a href="/profile">{td_string!(t, nav_profile)}</a>
                        {is_admin.then(|| view! { <a href="/admin">{td_string!(t, nav_admin)}</a> })}
                        <ActionForm action=logout>
                            <button type="submit" class="link" title=user.display_name>{td_string!(t, nav_logout)}</button>
                        </ActionForm>
                    }.into_any(),
                    None => view! {
                        <a href="/login">{td_string!(t, nav_login)}</a>
                        <a href="/register">{td_string!(t, nav_register)}</a>
                    }.into_any(),
                }}
            </nav>
            <ActionForm action=switch_language>
                <label class="language">
                    <span class="label">{td_string!(t, language_label)}</span>
                    <select name="language">
                        {Language::ALL
                            .into_iter()
                            .map(|l| view! { <option value=l.code() lang=l.code() selected=l == viewer.language>{l.native_name()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <button type="submit" class="secondary">{td_string!(t, language_apply)}</button>
            </ActionForm>
        </header>
    }
}

/// The header's link to the notifications, with how many are unread.
#[component]
fn NotificationsLink(unread: i64) -> impl IntoView {
    let t = use_viewer().locale();
    let label = if unread > 0 {
        td_string!(t, nav_notifications_unread).replace("%count%", &unread.to_string())
    } else {
        td_string!(t, nav_notifications).to_owned()
    };
    view! {
        <a href="/notifications" class="notifications-link" aria-label=label>
            {td_string!(t, nav_notifications)}
            {(unread > 0).then(|| view! { " " <span class="count" aria-hidden="true">{unread}</span> })}
        </a>
    }
}
