//! Verified addresses: the link mailed to a new account's address or to the address
//! someone changes to, following it, and sending it again. Reminders and digests go to
//! verified addresses only; a changed address counts once verified.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context, RequestContext},
};

/// Mails a link verifying `email` for `user`, in `language`, where mail reaches people
/// (SMTP, or the demo's log); without it the address stays unverified.
#[cfg(feature = "ssr")]
pub(crate) async fn send_verification(
    context: &RequestContext,
    db: &kring_db::Db,
    user: kring_domain::UserId,
    name: &str,
    email: &kring_domain::Email,
    language: kring_domain::Language,
) -> Result<(), AppError> {
    if !crate::outbound::mail_reaches_people() {
        return Ok(());
    }
    let token = db.start_email_verification(user, email).await?;
    let link = format!("{}/verify-email?token={token}", context.public_url);
    let (subject, body) = crate::outbound::mail::verification_mail(name, &link, language);
    Ok(db.enqueue_mail(email.as_str(), &subject, &body).await?)
}

/// Mails a verification link for `address` asked for by its account's owner, a few an
/// hour at most: nobody can make Kring flood an address with links.
#[cfg(feature = "ssr")]
async fn resend_counted(
    context: &RequestContext,
    db: &kring_db::Db,
    record: &kring_db::UserRecord,
    address: &kring_domain::Email,
) -> Result<(), AppError> {
    if !crate::outbound::mail_reaches_people() {
        return Err(context.error(ErrorCode::VerificationUnavailable));
    }
    context
        .count_attempts(
            db,
            &[(
                kring_db::Bucket::VerificationMail(record.id),
                kring_domain::AttemptLimit::VERIFICATIONS_PER_ACCOUNT,
            )],
        )
        .await?;
    let name = record.display_name.as_str();
    send_verification(context, db, record.id, name, address, record.language).await
}

/// The address a verification link confirms, for the page that asks to confirm it.
#[server(endpoint = "verify-email/load")]
pub async fn load_email_verification(token: String) -> Result<String, AppError> {
    let context = request_context();
    match db().email_verification(&token).await? {
        Some((_, email)) => Ok(email),
        None => Err(context.error(ErrorCode::LinkExpired)),
    }
}

/// Follows a verification link: its address is the account's, verified.
#[server(endpoint = "verify-email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    let context = request_context();
    match db().verify_email(&token).await? {
        Some(_) => {
            crate::navigation::redirect(if context.viewer.user.is_some() {
                "/profile?saved=verified"
            } else {
                "/login?verified=1"
            });
            Ok(())
        }
        None => Err(context.error(ErrorCode::LinkExpired)),
    }
}

/// Mails the signed-in person's verification link again: to the address they are
/// changing to, else to their unverified address.
#[server(endpoint = "verify-email/resend")]
pub async fn resend_verification() -> Result<(), AppError> {
    use kring_domain::Email;
    let context = request_context();
    let user = context.require_user()?;
    let db = db();
    let record = db.user(user.id).await?;
    let address = match db.pending_email(user.id).await? {
        Some(pending) => Email::parse(&pending)?,
        None if !record.email_verified => record.email.clone(),
        None => {
            crate::navigation::redirect("/profile?saved=verified");
            return Ok(());
        }
    };
    resend_counted(&context, &db, &record, &address).await?;
    crate::navigation::redirect("/profile?saved=sent");
    Ok(())
}

/// Changes the signed-in person's address, after their password: the new address gets a
/// link, and counts (for logins too) only once it is followed.
#[server(endpoint = "change-email")]
pub async fn change_email(email: String, current_password: String) -> Result<(), AppError> {
    use kring_db::PasswordChange;
    use kring_domain::Email;
    let context = request_context();
    let user = context.require_user()?;
    let email = Email::parse(&email)?;
    let db = db();
    if !crate::outbound::mail_reaches_people() {
        return Err(context.error(ErrorCode::VerificationUnavailable));
    }
    match db
        .check_current_password(user.id, &current_password)
        .await?
    {
        None => {}
        Some(PasswordChange::Throttled {
            retry_after_minutes,
        }) => {
            return Err(context.error(ErrorCode::Throttled {
                minutes: retry_after_minutes,
            }))
        }
        Some(_) => return Err(context.error(ErrorCode::WrongCredentials)),
    }
    if db.email_taken(&email).await? {
        return Err(context.error(ErrorCode::EmailTaken));
    }
    let record = db.user(user.id).await?;
    resend_counted(&context, &db, &record, &email).await?;
    crate::navigation::redirect("/profile?saved=sent");
    Ok(())
}
