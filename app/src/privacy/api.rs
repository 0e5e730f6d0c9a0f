//! The server functions of privacy: asking for a copy of one's data and
//! seeing where it stands, erasing one's account (after the password) or,
//! for admins, someone's on request, and reading the administrative log.

use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context},
};

/// The person's newest copy of their data, if one is underway or ready.
#[server(endpoint = "privacy/copy")]
pub async fn load_data_copy() -> Result<Option<DataCopyView>, AppError> {
    let context = request_context();
    let user = context.require_user()?;
    let status = db().latest_export(user.id).await?;
    Ok(status.map(|status| {
        let state = match status.status.as_str() {
            "ready" => CopyState::Ready,
            "failed" => CopyState::Failed,
            _ => CopyState::Underway,
        };
        DataCopyView {
            id: status.id,
            state,
            parts_done: status.parts_done,
            parts_total: status.parts_total,
            expires: status.expires_at.map(|at| {
                kring_domain::time_text::moment(at, &context.time_zone(), context.viewer.language)
            }),
        }
    }))
}

/// Asks for a copy of everything Kring holds about the person; it is made in
/// the background and shown on the page when ready.
#[server(endpoint = "privacy/copy/request")]
pub async fn request_data_copy() -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_user()?;
    db().request_export(user.id, user.role).await?;
    crate::navigation::redirect("/profile/data");
    Ok(())
}

/// The person erases their own account after entering their password; they
/// are signed out, and told so on the home page.
#[server(endpoint = "privacy/erase")]
pub async fn erase_my_account(password: String) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_user()?;
    let db = db();
    match db.check_current_password(user.id, &password).await? {
        None => {}
        Some(kring_db::PasswordChange::Throttled {
            retry_after_minutes,
        }) => {
            return Err(context.error(ErrorCode::Throttled {
                minutes: retry_after_minutes,
            }))
        }
        Some(_) => return Err(context.error(ErrorCode::WrongCredentials)),
    }
    let promoted = db.erase_account(user.id, None).await?;
    tell_promoted(&db, &context, promoted).await;
    context.clear_session_cookie();
    context.clear_browser_storage();
    crate::navigation::redirect("/?erased=1");
    Ok(())
}

/// An admin erases someone's account on their request, typing its address to
/// confirm which.
#[server(endpoint = "privacy/erase-account")]
pub async fn erase_account(user: i64, confirm_email: String) -> Result<(), AppError> {
    let context = request_context();
    let admin = context.require_admin()?;
    let db = db();
    let person = db.user(kring_domain::UserId(user)).await?;
    if !person
        .email
        .as_str()
        .eq_ignore_ascii_case(confirm_email.trim())
    {
        return Err(context.error(ErrorCode::Invalid(
            kring_domain::DomainError::ErasureNotConfirmed,
        )));
    }
    let promoted = db
        .erase_account(person.id, Some((admin.id, admin.role)))
        .await?;
    tell_promoted(&db, &context, promoted).await;
    crate::navigation::redirect("/admin/audit?action=account_erased");
    Ok(())
}

/// Those who moved up from a waitlist into a seat the erased person held
/// hear of it as after any cancellation; a mail that fails is logged, as
/// the erasure is done.
#[cfg(feature = "ssr")]
async fn tell_promoted(
    db: &kring_db::Db,
    context: &crate::viewer::RequestContext,
    promoted: Vec<kring_domain::RegistrationId>,
) {
    for registration in promoted {
        if let Err(error) = crate::sessions::announce_promotion(db, context, registration).await {
            tracing::warn!(%error, "could not tell a visitor of their seat");
        }
    }
}

/// The administrative audit log, newest first, of one kind of action or all.
#[server(endpoint = "privacy/audit")]
pub async fn load_audit_log(
    action: Option<String>,
    before: Option<i64>,
) -> Result<AuditLogView, AppError> {
    use crate::i18n::*;
    use kring_db::AuditAction;
    let context = request_context();
    context.require_admin()?;
    let language = context.viewer.language;
    let t = locale(language);
    let chosen = action.as_deref().and_then(AuditAction::parse);
    let entries = db().audit_log(chosen, before).await?;
    let older = (entries.len() as i64 == kring_db::AUDIT_PER_PAGE)
        .then(|| entries.last().map(|entry| entry.id))
        .flatten();
    let zone = context.time_zone();
    Ok(AuditLogView {
        lines: entries
            .iter()
            .map(|entry| {
                (
                    kring_domain::time_text::moment(entry.created_at, &zone, language),
                    audit_sentence(t, entry),
                )
            })
            .collect(),
        action: chosen.map_or_else(String::new, |action| action.as_str().to_owned()),
        actions: AuditAction::ALL
            .into_iter()
            .map(|action| {
                (
                    action.as_str().to_owned(),
                    audit_action_name(t, action).to_owned(),
                )
            })
            .collect(),
        older,
    })
}
