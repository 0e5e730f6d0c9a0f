//! In-app notifications: replies to your threads, quotes and @mentions, with
//! the unread count in the header.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotificationReason {
    Reply,
    Quote,
    Mention,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationEntry {
    pub id: i64,
    pub reason: NotificationReason,
    pub actor: String,
    pub thread: i64,
    pub thread_title: String,
    pub post: i64,
    pub when: String,
    /// Not seen before this visit.
    pub new: bool,
}

/// Notifications a page of the list shows.
pub const NOTIFICATIONS_PER_PAGE: i64 = 30;

/// One page of the viewer's notifications, newest first: those older than
/// notification `before` when given. Looking changes nothing; the page marks
/// them read with a separate post (its island, or the button).
#[server(endpoint = "notifications")]
pub async fn load_notifications(before: Option<i64>) -> Result<Vec<NotificationEntry>, AppError> {
    let context = request_context();
    let user = context.require_user()?;
    let zone = context.time_zone();
    let entries = db()
        .notifications(user.id, before, NOTIFICATIONS_PER_PAGE)
        .await
        .map_err(|e| context.internal(e))?
        .into_iter()
        .map(|notification| NotificationEntry {
            id: notification.id,
            reason: match notification.kind {
                kring_db::NotificationKind::Reply => NotificationReason::Reply,
                kring_db::NotificationKind::Quote => NotificationReason::Quote,
                kring_db::NotificationKind::Mention => NotificationReason::Mention,
            },
            actor: notification.actor.unwrap_or_default(),
            thread: notification.thread.0,
            thread_title: notification.thread_title,
            post: notification.post.0,
            when: kring_domain::time_text::moment(
                notification.created_at,
                &zone,
                context.viewer.language,
            ),
            new: !notification.read,
        })
        .collect();
    Ok(entries)
}

/// Marks the viewer's notifications up to `up_to` (the newest the page
/// showed) read; reading them also cancels their e-mail digest. A plain
/// form's post returns to the list.
#[server(endpoint = "notifications/read")]
pub async fn mark_notifications_read(up_to: i64) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_user()?;
    db().mark_notifications_read(user.id, up_to)
        .await
        .map_err(|e| context.internal(e))?;
    if context.accepts_html {
        crate::navigation::redirect("/notifications");
    }
    Ok(())
}

/// How many notifications the viewer has not seen (0 for visitors).
#[server(endpoint = "notifications/unread")]
pub async fn unread_notification_count() -> Result<i64, AppError> {
    let context = request_context();
    match &context.viewer.user {
        Some(user) => db()
            .unread_notifications(user.id)
            .await
            .map_err(|e| context.internal(e)),
        None => Ok(0),
    }
}

/// Whether the viewer gets unread notifications by e-mail; `None` where this
/// Kring sends no e-mail.
#[server(endpoint = "notifications/digest")]
pub async fn digest_setting() -> Result<Option<bool>, AppError> {
    let context = request_context();
    let user = context.require_user()?;
    if !crate::calendar::mail_enabled() {
        return Ok(None);
    }
    db().wants_digest(user.id)
        .await
        .map(Some)
        .map_err(|e| context.internal(e))
}

/// Turns the e-mail digest on (the box ticked) or off.
#[server(endpoint = "notifications/digest/set")]
pub async fn set_digest(wanted: Option<String>) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_user()?;
    db().set_wants_digest(user.id, wanted.is_some())
        .await
        .map_err(|e| context.internal(e))?;
    crate::navigation::redirect("/profile?saved=digest#digest");
    Ok(())
}

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

/// The e-mail gathering someone's unread notifications: (subject, body).
#[cfg(feature = "ssr")]
pub fn digest_mail(digest: &kring_db::Digest, origin: &str) -> (String, String) {
    let t = crate::error::locale(digest.language);
    let lines: Vec<String> = digest
        .entries
        .iter()
        .map(|notification| {
            let entry = NotificationEntry {
                id: notification.id,
                reason: match notification.kind {
                    kring_db::NotificationKind::Reply => NotificationReason::Reply,
                    kring_db::NotificationKind::Quote => NotificationReason::Quote,
                    kring_db::NotificationKind::Mention => NotificationReason::Mention,
                },
                actor: notification.actor.clone().unwrap_or_default(),
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
                reason_text(t, &entry),
                entry.thread_title,
                entry.when,
                post_link(entry.thread, entry.post)
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

fn reason_text(t: Locale, entry: &NotificationEntry) -> String {
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
                                <crate::islands::ReportSeen
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
