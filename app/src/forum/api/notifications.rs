//! Notifications: the list, marking read, and the e-mail digest setting.

use crate::error::AppError;
use crate::forum::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::viewer::{db, request_context};

/// One page of the viewer's notifications, newest first: those older than
/// notification `before` when given. Looking changes nothing; the page marks
/// them read with a separate post (its behaviour, or the button).
#[server(endpoint = "notifications")]
pub async fn load_notifications(before: Option<i64>) -> Result<Vec<NotificationEntry>, AppError> {
    let context = request_context();
    let user = context.require_user()?;
    let zone = context.time_zone();
    let entries = db()
        .notifications(user.id, before, NOTIFICATIONS_PER_PAGE)
        .await?
        .into_iter()
        .map(|notification| NotificationEntry {
            id: notification.id,
            reason: match notification.kind {
                kring_db::NotificationKind::Reply => NotificationReason::Reply,
                kring_db::NotificationKind::Quote => NotificationReason::Quote,
                kring_db::NotificationKind::Mention => NotificationReason::Mention,
            },
            actor: crate::i18n::person_name(context.viewer.locale(), notification.actor.as_deref()),
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
    db().mark_notifications_read(user.id, up_to).await?;
    if context.accepts_html {
        crate::navigation::redirect("/notifications");
    }
    Ok(())
}

/// Whether the viewer gets unread notifications by e-mail; `None` where this
/// Kring sends no e-mail.
#[server(endpoint = "notifications/digest")]
pub async fn digest_setting() -> Result<Option<bool>, AppError> {
    let context = request_context();
    let user = context.require_user()?;
    if !crate::outbound::mail_enabled() {
        return Ok(None);
    }
    Ok(Some(db().wants_digest(user.id).await?))
}

/// Turns the e-mail digest on (the box ticked) or off.
#[server(endpoint = "notifications/digest/set")]
pub async fn set_digest(wanted: Option<String>) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_user()?;
    db().set_wants_digest(user.id, wanted.is_some()).await?;
    crate::navigation::redirect("/profile?saved=digest#digest");
    Ok(())
}
