//! Kring's interface: pages rendered on the server, a few islands hydrated in
//! the browser, and the server functions both of them call.

pub mod accounts;
pub mod admin;
mod browser;
pub mod calendar;
pub mod components;
pub mod content;
pub mod editing;
pub mod error;
pub mod forum;
pub mod history;
pub mod home;
pub mod islands;
pub mod navigation;
pub mod planning;
pub mod program;
pub mod search;
pub mod viewer;

#[allow(deprecated, missing_docs)]
mod locales {
    // The locale files are compiled in; a key missing from a language warns at build time
    // and fails `translations_test`.
    leptos_i18n::load_locales!();
}
pub use locales::i18n;

#[cfg(test)]
mod translations_test;

use crate::i18n::*;
use crate::viewer::{use_viewer, Viewer};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Html, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
                <link rel="stylesheet" href="/pkg/kring.css"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The viewer of this request, as the server resolved it.
#[cfg(feature = "ssr")]
fn current_viewer() -> Viewer {
    viewer::request_context().viewer
}

/// Pages only render on the server; in the browser only islands run.
#[cfg(not(feature = "ssr"))]
fn current_viewer() -> Viewer {
    Viewer::default()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(current_viewer());
    let viewer = use_viewer();
    view! {
        <Html attr:lang=viewer.language.code()/>
        <Router>
            <components::Header/>
            <main id="main">
                // Async rendering: every page arrives complete, readable without WebAssembly.
                <Routes fallback=NotFound>
                    <Route path=path!("") view=home::HomePage ssr=SsrMode::Async/>
                    <Route path=path!("login") view=accounts::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("register") view=accounts::RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("profile") view=accounts::ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("admin") view=admin::AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("sessions") view=calendar::SessionsPage ssr=SsrMode::Async/>
                    <Route path=path!("sessions/plan") view=planning::PlanPage ssr=SsrMode::Async/>
                    <Route path=path!("sessions/fair-time") view=planning::FairTimePage ssr=SsrMode::Async/>
                    <Route path=path!("sessions/confirm") view=calendar::ConfirmVisitorPage ssr=SsrMode::Async/>
                    <Route path=path!("sessions/:id") view=calendar::SessionPage ssr=SsrMode::Async/>
                    <Route path=path!("time-zone") view=calendar::TimeZonePage ssr=SsrMode::Async/>
                    <Route path=path!("units/:id") view=content::UnitPage ssr=SsrMode::Async/>
                    <Route path=path!("units/:id/edit") view=editing::EditUnitPage ssr=SsrMode::Async/>
                    <Route path=path!("units/:id/history") view=history::HistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("programs/:id") view=program::ProgramPage ssr=SsrMode::Async/>
                    <Route path=path!("modules/:id") view=program::ModulePage ssr=SsrMode::Async/>
                    <Route path=path!("search") view=search::SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("forum") view=forum::ForumsPage ssr=SsrMode::Async/>
                    <Route path=path!("forum/cohorts/:id") view=forum::ForumPage ssr=SsrMode::Async/>
                    <Route path=path!("forum/categories/:id") view=forum::CategoryPage ssr=SsrMode::Async/>
                    <Route path=path!("forum/threads/:id") view=forum::ThreadPage ssr=SsrMode::Async/>
                    <Route path=path!("forum/posts/:id/edit") view=forum::EditPostPage ssr=SsrMode::Async/>
                    <Route path=path!("forum/posts/:id/history") view=forum::PostHistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("notifications") view=forum::NotificationsPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer">{td_string!(viewer.locale(), tagline)}</footer>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let t = use_viewer().locale();
    view! {
        <Title text=td_string!(t, not_found_title)/>
        <h1>{td_string!(t, not_found_title)}</h1>
        <p>{td_string!(t, not_found_text)}</p>
    }
}
