//! The notifications page and the digest setting on the profile.

use crate::components::ErrorNotice;
use crate::forum::*;
use crate::i18n::*;
use crate::viewer::use_viewer;
use leptos::prelude::*;
use leptos_meta::Title;

/// On the profile page: the choice of an e-mail digest, where e-mail is sent.
#[component]
pub fn DigestSetting() -> impl IntoView {
    let t = use_viewer().locale();
    let save = ServerAction::<SetDigest>::new();
    let saved = leptos_router::hooks::use_query_map()
        .with_untracked(|query| query.get("saved").as_deref() == Some("digest"));
    let setting = Resource::new_blocking(|| (), |_| digest_setting());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                setting.await.ok().flatten().map(|wanted| view! {
                    <section class="card narrow" id="digest">
                        <h2>{td_string!(t, digest_title)}</h2>
                        <crate::components::Notice show=saved text=td_string!(t, digest_saved)/>
                        <ActionForm action=save>
                            <label class="check">
                                <input type="checkbox" name="wanted" value="yes" checked=wanted/>
                                " " {td_string!(t, digest_label)}
                            </label>
                            <button type="submit">{td_string!(t, profile_save)}</button>
                        </ActionForm>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// How a notification reads: "Lucía replied", in the reader's language.
pub(crate) fn reason_text(t: Locale, entry: &NotificationEntry) -> String {
    let template = match entry.reason {
        NotificationReason::Reply => td_string!(t, notifications_reply),
        NotificationReason::Quote => td_string!(t, notifications_quote),
        NotificationReason::Mention => td_string!(t, notifications_mention),
    };
    template.replace("%name%", &entry.actor)
}

/// `/notifications`: the newest first, a page at a time (`?before=` the last one shown).
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let t = use_viewer().locale();
    let before = leptos_router::hooks::use_query_map()
        .with_untracked(|query| query.get("before").and_then(|id| id.parse::<i64>().ok()));
    let data = Resource::new_blocking(move || before, load_notifications);
    let mark_read = ServerAction::<MarkNotificationsRead>::new();
    view! {
        <Title text=td_string!(t, notifications_title)/>
        <h1>{td_string!(t, notifications_title)}</h1>
        <ErrorNotice error=Signal::derive(move || mark_read.value().get().and_then(Result::err))/>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(entries) if entries.is_empty() => view! { <p class="hint">{td_string!(t, notifications_none)}</p> }.into_any(),
                    Ok(entries) => {
                        let newest = entries.first().map_or(0, |entry| entry.id);
                        let oldest = entries.last().map_or(0, |entry| entry.id);
                        let unread = entries.iter().any(|entry| entry.new);
                        let more = entries.len() as i64 == NOTIFICATIONS_PER_PAGE;
                        view! {
                            {unread.then(|| view! {
                                <crate::behaviours::ReportSeen
                                    action={<MarkNotificationsRead as leptos::server_fn::ServerFn>::PATH.to_owned()}
                                    fields=vec![("up_to".to_owned(), newest.to_string())]/>
                                <ActionForm action=mark_read attr:class="inline">
                                    <input type="hidden" name="up_to" value=newest.to_string()/>
                                    <button type="submit" class="secondary small">{td_string!(t, notifications_mark_read)}</button>
                                </ActionForm>
                            })}
                            <ul class="notifications">
                                {entries.iter().map(|entry| {
                                    let class = if entry.new { "card notification new" } else { "card notification" };
                                    view! {
                                    <li class=class>
                                        <a href=post_link(entry.thread, entry.post)>{reason_text(t, entry)}</a>
                                        <p class="meta">{entry.thread_title.clone()} " · " {entry.when.clone()}</p>
                                    </li>
                                    }
                                }).collect_view()}
                            </ul>
                            {more.then(|| view! {
                                <nav class="pager" aria-label=td_string!(t, pager_label)>
                                    <a href=format!("/notifications?before={oldest}") rel="next">{td_string!(t, notifications_older)}</a>
                                </nav>
                            })}
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
