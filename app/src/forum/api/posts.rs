//! Editing, removing and hiding posts, and a post's earlier texts.

use crate::error::AppError;
use crate::forum::*;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::forum::access::*;
#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context},
};

/// The author replaces their post's text; the old text stays in its history.
/// Editing follows the rules of posting, its rate included.
#[server(endpoint = "forum/posts/edit")]
pub async fn edit_post(post: i64, body: String) -> Result<(), AppError> {
    use kring_domain::forum::PostBody;
    let context = request_context();
    let (user, thread, record, access) = readable_post(&context, post).await?;
    require_editable(&context, user, &thread, &record, access)?;
    let body = PostBody::parse(&body)?;
    check_posting_rate(&context, user).await?;
    db().edit_post(record.id, user.id, &body)
        .await?
        .ok_or_else(|| context.error(ErrorCode::NotFound))?;
    crate::navigation::redirect(&thread_anchor(thread.id, record.id));
    Ok(())
}

/// The author removes their post; the thread shows it as removed.
#[server(endpoint = "forum/posts/delete")]
pub async fn delete_post(post: i64) -> Result<(), AppError> {
    let context = request_context();
    let (user, thread, record, _) = readable_post(&context, post).await?;
    require_author(&context, user, &record)?;
    db().delete_post(record.id, user.id).await?;
    crate::navigation::redirect(&thread_anchor(thread.id, record.id));
    Ok(())
}

/// A facilitator hides a post, with a reason its author sees.
#[server(endpoint = "forum/posts/hide")]
pub async fn hide_post(post: i64, reason: String) -> Result<(), AppError> {
    use kring_domain::forum::HideReason;
    let context = request_context();
    let (user, thread, record, access) = readable_post(&context, post).await?;
    require_moderator(&context, access)?;
    let reason = HideReason::parse(&reason)?;
    db().hide_post(record.id, user.id, &reason).await?;
    context
        .audit(kring_db::AuditAction::PostHidden, |entry| {
            let entry = entry
                .cohort(thread.category.cohort)
                .subject_of(record.author_id)
                .detail(record.id.0.to_string());
            match thread.category.kind {
                kring_db::CategoryKind::Circle(circle) => entry.circle(circle),
                _ => entry,
            }
        })
        .await?;
    crate::navigation::redirect(&thread_anchor(thread.id, record.id));
    Ok(())
}

#[server(endpoint = "forum/posts/editable")]
pub async fn load_editable_post(post: i64) -> Result<EditablePost, AppError> {
    let context = request_context();
    let (user, thread, record, access) = readable_post(&context, post).await?;
    require_editable(&context, user, &thread, &record, access)?;
    Ok(EditablePost {
        id: record.id.0,
        thread: thread.id.0,
        thread_title: thread.title,
        body: record.body,
    })
}

#[server(endpoint = "forum/posts/history")]
pub async fn load_post_history(post: i64) -> Result<PostHistory, AppError> {
    let context = request_context();
    let (user, thread, record, access) = readable_post(&context, post).await?;
    let reader = PostReader::new(&context, user, access, &thread);
    let html = crate::rendered::RenderCache::provided().post(record.id, &record.body);
    let view = PostView::for_reader(thread.id, &record, &html, &reader);
    let earlier = if view.html.is_some() {
        db().post_history(record.id)
            .await?
            .into_iter()
            .map(|(body, at)| {
                let when = kring_domain::time_text::moment(at, &reader.zone, reader.language);
                (body, when)
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(PostHistory {
        post: view,
        earlier,
    })
}
