//! The frame around every page: the HTML document, the routes, the header
//! and the page for addresses that lead nowhere.

use crate::accounts::{Logout, SetLanguage};
use crate::built_files::BuiltFiles;
use crate::i18n::*;
use crate::island_loader::IslandLoader;
use crate::viewer::{use_viewer, Viewer};
use kring_domain::Language;
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
                <link rel="stylesheet" href=BuiltFiles::of(&options).css.as_str()/>
                <IslandLoader options/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <meta name="theme-color" content="#b4532a"/>
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
    crate::viewer::request_context().viewer
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
            <Header/>
            <main id="main">
                <OfflineNotice/>
                // Async rendering: every page arrives complete, readable without WebAssembly.
                <Routes fallback=NotFound>
                    <Route path=path!("") view=crate::home::HomePage ssr=SsrMode::Async/>
                    <Route path=path!("login") view=crate::accounts::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("register") view=crate::accounts::RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("forgot-password") view=crate::accounts::ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("reset-password") view=crate::accounts::ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("verify-email") view=crate::accounts::VerifyEmailPage ssr=SsrMode::Async/>
                    <Route path=path!("profile") view=crate::accounts::ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("profile/data") view=crate::privacy::YourDataPage ssr=SsrMode::Async/>
                    <Route path=path!("privacy") view=crate::privacy::PrivacyPage ssr=SsrMode::Async/>
                    <Route path=path!("admin") view=crate::admin::AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("admin/audit") view=crate::privacy::AuditLogPage ssr=SsrMode::Async/>
                    <Route path=path!("sessions") view=crate::sessions::SessionsPage ssr=SsrMode::Async/>
                    <Route path=path!("sessions/plan") view=crate::sessions::PlanPage ssr=SsrMode::Async/>
                    <Route path=path!("sessions/fair-time") view=crate::sessions::FairTimePage ssr=SsrMode::Async/>
                    <Route path=path!("sessions/confirm") view=crate::sessions::ConfirmVisitorPage ssr=SsrMode::Async/>
                    <Route path=path!("sessions/:id") view=crate::sessions::SessionPage ssr=SsrMode::Async/>
                    <Route path=path!("time-zone") view=crate::sessions::TimeZonePage ssr=SsrMode::Async/>
                    <Route path=path!("units/:id") view=crate::content::UnitPage ssr=SsrMode::Async/>
                    <Route path=path!("units/:id/edit") view=crate::content::EditUnitPage ssr=SsrMode::Async/>
                    <Route path=path!("units/:id/history") view=crate::content::HistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("programs/new") view=crate::content::NewProgramPage ssr=SsrMode::Async/>
                    <Route path=path!("programs/import") view=crate::content::ProgramImportPage ssr=SsrMode::Async/>
                    <Route path=path!("programs/import/:import") view=crate::content::FolderPreviewPage ssr=SsrMode::Async/>
                    <Route path=path!("programs/:id") view=crate::content::ProgramPage ssr=SsrMode::Async/>
                    <Route path=path!("programs/:id/texts") view=crate::content::ProgramTextsPage ssr=SsrMode::Async/>
                    <Route path=path!("modules/:id") view=crate::content::ModulePage ssr=SsrMode::Async/>
                    <Route path=path!("modules/:id/texts") view=crate::content::ModuleTextsPage ssr=SsrMode::Async/>
                    <Route path=path!("search") view=crate::search::SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("forum") view=crate::forum::ForumsPage ssr=SsrMode::Async/>
                    <Route path=path!("forum/cohorts/:id") view=crate::forum::ForumPage ssr=SsrMode::Async/>
                    <Route path=path!("forum/categories/:id") view=crate::forum::CategoryPage ssr=SsrMode::Async/>
                    <Route path=path!("forum/threads/:id") view=crate::forum::ThreadPage ssr=SsrMode::Async/>
                    <Route path=path!("forum/posts/:id/edit") view=crate::forum::EditPostPage ssr=SsrMode::Async/>
                    <Route path=path!("forum/posts/:id/history") view=crate::forum::PostHistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("notifications") view=crate::forum::NotificationsPage ssr=SsrMode::Async/>
                    <Route path=path!("cohorts/:id/people") view=crate::people::PeoplePage ssr=SsrMode::Async/>
                    <Route path=path!("cohorts/:id/dashboard") view=crate::people::DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("cohorts/:id/directory") view=crate::people::DirectoryPage ssr=SsrMode::Async/>
                    <Route path=path!("cohorts/:id/people/import/:import") view=crate::people::ImportPage ssr=SsrMode::Async/>
                    <Route path=path!("join") view=crate::people::JoinPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{td_string!(viewer.locale(), tagline)}</p>
                <p><a href="/privacy">{td_string!(viewer.locale(), privacy_title)}</a></p>
            </footer>
        </Router>
    }
}

/// Hidden on every page; the service worker (`public/sw.js`) shows it, with
/// the time the copy was saved, when it answers with a kept copy offline.
#[component]
fn OfflineNotice() -> impl IntoView {
    let text = td_string!(use_viewer().locale(), offline_copy);
    let (before, after) = text.split_once("%time%").unwrap_or((text, ""));
    view! {
        <p class="offline-copy" hidden="">
            {before}<time class="offline-time"></time>{after}
        </p>
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

/// The header: navigation for who is signed in, and the language switcher.
#[component]
pub fn Header() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    let logout = ServerAction::<Logout>::new();
    let switch_language = ServerAction::<SetLanguage>::new();
    let is_admin = viewer.is_admin();
    let unread = viewer
        .user
        .as_ref()
        .map_or(0, |user| user.unread_notifications);
    view! {
        <a class="skip" href="#main">{td_string!(t, skip_to_content)}</a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"◯"</span>
                {td_string!(t, app_name)}
            </a>
            // One menu: on narrow screens behind its button, which opens without
            // WebAssembly; on wide screens the style sheet shows it in a row.
            <details class="site-menu">
                <summary>
                    {td_string!(t, nav_menu)}
                    {(unread > 0).then(|| view! { " " <span class="count" aria-hidden="true">{unread}</span> })}
                </summary>
                <div class="site-menu-items">
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
                                {crate::accounts::registration_open().then(|| view! {
                                    <a href="/register">{td_string!(t, nav_register)}</a>
                                })}
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
                </div>
            </details>
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
