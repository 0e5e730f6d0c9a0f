//! The accounts' server functions: sign-up, login and logout, the profile,
//! the password and the language.
// `register` takes one argument per field of the sign-up form, which plain HTML forms post
// flat; the server-function macro also writes the browser side, so the allowance is here.
#![allow(clippy::too_many_arguments)]
use super::*;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use kring_domain::Language;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context, RequestContext},
};

#[server(endpoint = "organisations")]
pub async fn organisation_choices() -> Result<Vec<OrganisationChoice>, AppError> {
    let organisations = db().organisations().await?;
    Ok(organisations
        .into_iter()
        .map(|o| OrganisationChoice {
            id: o.id.0,
            name: o.name,
        })
        .collect())
}

#[server(endpoint = "login")]
pub async fn login(email: String, password: String, back: Option<String>) -> Result<(), AppError> {
    use kring_db::{LoginAttempt, LoginOutcome};
    let context = request_context();
    let db = db();
    let attempt = LoginAttempt {
        email: &email,
        password: &password,
        address: &context.client_address,
        device: context.device_token.as_deref(),
    };
    match db.log_in(attempt).await? {
        LoginOutcome::LoggedIn { token, device, .. } => {
            // A session token is never carried across a login.
            if let Some(previous) = &context.session_token {
                db.end_session(previous).await?;
            }
            context.set_session_cookie(&token);
            context.set_device_cookie(&device);
            // Back to the page that asked for a login (an invitation, say), on this site only.
            crate::navigation::redirect(back.as_deref().unwrap_or("/"));
            Ok(())
        }
        LoginOutcome::WrongCredentials => Err(context.error(ErrorCode::WrongCredentials)),
        LoginOutcome::Throttled {
            retry_after_minutes,
        } => Err(context.error(ErrorCode::Throttled {
            minutes: retry_after_minutes,
        })),
    }
}

/// Ends the session, and asks the browser to forget what Kring stored in it
/// (editor copies, drafts, offline copies of pages, cached pages): the next
/// person at a shared computer finds none.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let context = request_context();
    if let Some(token) = &context.session_token {
        db().end_session(token).await?;
    }
    context.clear_session_cookie();
    context.clear_browser_storage();
    crate::navigation::redirect("/");
    Ok(())
}

/// The fields of the register and profile forms, parsed into domain values.
#[cfg(feature = "ssr")]
struct PersonFields {
    display_name: kring_domain::DisplayName,
    organisation_id: Option<kring_domain::OrganisationId>,
    country: kring_domain::Country,
    language: Language,
    time_zone: kring_domain::TimeZone,
}

#[cfg(feature = "ssr")]
async fn person_fields(
    display_name: &str,
    organisation: &str,
    country: &str,
    language: &str,
    time_zone: &str,
) -> Result<PersonFields, AppError> {
    use kring_domain::{DisplayName, OrganisationId, TimeZone};
    let context = request_context();
    let organisation_id = match organisation.trim() {
        "" => None,
        id => {
            let id = OrganisationId(
                id.parse()
                    .map_err(|_| context.error(ErrorCode::OrganisationUnknown))?,
            );
            if !db().organisation_exists(id).await? {
                return Err(context.error(ErrorCode::OrganisationUnknown));
            }
            Some(id)
        }
    };
    Ok(PersonFields {
        display_name: DisplayName::parse(display_name)?,
        organisation_id,
        country: kring_domain::Country::parse(country)?,
        language: Language::parse(language)?,
        time_zone: TimeZone::parse(time_zone)?,
    })
}

#[server(endpoint = "register")]
pub async fn register(
    display_name: String,
    email: String,
    password: String,
    organisation: String,
    country: String,
    language: String,
    time_zone: String,
    invitation: Option<String>,
) -> Result<(), AppError> {
    use kring_domain::invitation::InvitationVerdict;
    use kring_domain::{AttemptLimit, Email, Role, ThrottleVerdict};
    let context = request_context();
    let email = Email::parse(&email)?;
    let db = db();
    // An invitation opens registration for its holder, even where it is closed; one that
    // was mailed to the address proves the address too.
    let address_proven = match &invitation {
        Some(token) => {
            let invitation = db.invitation_by_token(token).await?;
            let verdict = invitation.verdict(Some(&email), kring_db::now());
            if verdict != InvitationVerdict::Open {
                return Err(context.error(ErrorCode::InvitationClosed { verdict }));
            }
            invitation.email.is_some()
        }
        None if !registration_open() => {
            return Err(context.error(ErrorCode::RegistrationClosed));
        }
        None => false,
    };
    let person = person_fields(
        &display_name,
        &organisation,
        &country,
        &language,
        &time_zone,
    )
    .await?;
    // Counted, and the address checked, before the costly password checks.
    if let ThrottleVerdict::Blocked {
        retry_after_minutes,
    } = db
        .count_attempt(
            kring_db::Bucket::SignUps(&context.client_address),
            AttemptLimit::SIGN_UPS_PER_ADDRESS,
        )
        .await?
    {
        return Err(context.error(ErrorCode::TooManyRequests {
            minutes: retry_after_minutes,
        }));
    }
    if db.email_taken(&email).await? {
        return Err(context.error(ErrorCode::EmailTaken));
    }
    let password = new_password(password, [person.display_name.as_str(), email.as_str()]).await?;
    let user = db
        .create_user(kring_db::NewUser {
            email,
            display_name: person.display_name,
            password,
            role: Role::Participant,
            organisation_id: person.organisation_id,
            country: person.country,
            language: person.language,
            time_zone: person.time_zone,
        })
        .await?;
    if let Some(invitation) = &invitation {
        db.accept_invitation(invitation, user.id, &user.email)
            .await?;
    }
    if address_proven {
        db.mark_email_verified(user.id).await?;
    } else {
        super::send_verification(
            &context,
            &db,
            user.id,
            user.display_name.as_str(),
            &user.email,
            user.language,
        )
        .await?;
    }
    let token = db.start_session(user.id).await?;
    let device = db.trust_device(user.id).await?;
    context.set_session_cookie(&token);
    context.set_device_cookie(&device);
    crate::navigation::redirect(if invitation.is_some() {
        "/?joined=1"
    } else {
        "/"
    });
    Ok(())
}

/// Checks a new password (estimating how soon it is guessed takes a moment
/// of CPU, so off the request's worker thread).
#[cfg(feature = "ssr")]
async fn new_password(
    password: String,
    own_words: [&str; 2],
) -> Result<kring_domain::NewPassword, kring_domain::DomainError> {
    let own_words = own_words.map(str::to_owned);
    tokio::task::spawn_blocking(move || {
        kring_domain::NewPassword::parse_for(&password, &[&own_words[0], &own_words[1]])
    })
    .await
    .unwrap_or(Err(kring_domain::DomainError::PasswordTooCommon))
}

#[server(endpoint = "profile")]
pub async fn my_profile() -> Result<Profile, AppError> {
    let context = request_context();
    let user = context.require_user()?;
    let record = db().user(user.id).await?;
    Ok(Profile {
        display_name: record.display_name.as_str().to_owned(),
        email: record.email.as_str().to_owned(),
        handle: record.handle.clone(),
        role: record.role,
        organisation_id: record.organisation_id.map(|id| id.0),
        country: record.country.code().to_owned(),
        language: record.language,
        time_zone: record.time_zone.as_str().to_owned(),
        email_verified: record.email_verified,
        pending_email: db().pending_email(user.id).await?,
    })
}

#[server(endpoint = "update-profile")]
pub async fn update_profile(
    display_name: String,
    organisation: String,
    country: String,
    language: String,
    time_zone: String,
) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_user()?;
    let person = person_fields(
        &display_name,
        &organisation,
        &country,
        &language,
        &time_zone,
    )
    .await?;
    let update = kring_db::ProfileUpdate {
        display_name: person.display_name,
        organisation_id: person.organisation_id,
        country: person.country,
        language: person.language,
        time_zone: person.time_zone,
    };
    db().update_profile(user.id, &update).await?;
    crate::navigation::redirect("/profile?saved=profile");
    Ok(())
}

/// The person chooses how others @mention them.
#[server(endpoint = "handle")]
pub async fn set_handle(handle: String) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_user()?;
    let handle = kring_domain::Handle::parse(&handle)?;
    db().set_handle(user.id, &handle).await?;
    crate::navigation::redirect("/profile?saved=handle");
    Ok(())
}

#[server(endpoint = "change-password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use kring_db::PasswordChange;
    let context = request_context();
    let user = context.require_user()?;
    let db = db();
    let record = db.user(user.id).await?;
    let new = self::new_password(
        new_password,
        [record.display_name.as_str(), record.email.as_str()],
    )
    .await?;
    let token = context.session_token.clone().unwrap_or_default();
    match db
        .change_password(user.id, &current_password, &new, &token)
        .await?
    {
        PasswordChange::Changed => {
            crate::navigation::redirect("/profile?saved=password");
            Ok(())
        }
        PasswordChange::WrongPassword => Err(context.error(ErrorCode::WrongCredentials)),
        PasswordChange::Throttled {
            retry_after_minutes,
        } => Err(context.error(ErrorCode::Throttled {
            minutes: retry_after_minutes,
        })),
    }
}

/// The language switcher: remembered in a cookie, and in the profile of a signed-in user.
#[server(endpoint = "language")]
pub async fn set_language(language: String) -> Result<(), AppError> {
    let context = request_context();
    let language = Language::parse(&language)?;
    context.set_language_cookie(language);
    if let Some(user) = &context.viewer.user {
        db().set_language(user.id, language).await?;
    }
    Ok(())
}

/// "Forgot your password?": mails a reset link if an account uses `email`. The answer is
/// the same whether or not one does, so the form tells nobody who has an account.
#[server(endpoint = "forgot-password")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use kring_domain::AttemptLimit;
    let context = request_context();
    if !crate::outbound::mail_reaches_people() {
        return Err(context.error(ErrorCode::ResetUnavailable));
    }
    let db = db();
    let email = kring_domain::Email::parse(&email)?;
    context
        .count_attempts(
            &db,
            &[
                (
                    kring_db::Bucket::ResetsFrom(&context.client_address),
                    AttemptLimit::RESETS_PER_ADDRESS,
                ),
                (
                    kring_db::Bucket::ResetEmail(email.as_str()),
                    AttemptLimit::RESETS_PER_EMAIL,
                ),
            ],
        )
        .await?;
    match db.user_by_email(&email).await {
        Ok(user) => mail_reset_link(&context, &db, &user).await?,
        Err(kring_db::DbError::NotFound) => {}
        Err(error) => return Err(error.into()),
    }
    crate::navigation::redirect("/forgot-password?sent=1");
    Ok(())
}

/// Mails `user` a new reset link (an older one stops working), asked for by its owner or
/// sent by staff, who never see the link nor the password.
#[cfg(feature = "ssr")]
pub(crate) async fn mail_reset_link(
    context: &RequestContext,
    db: &kring_db::Db,
    user: &kring_db::UserRecord,
) -> Result<(), AppError> {
    let token = db.create_password_reset(user.id).await?;
    let (subject, body) = crate::outbound::mail::password_reset_mail(
        user.display_name.as_str(),
        &format!("{}/reset-password?token={token}", context.public_url),
        user.language,
    );
    Ok(db
        .enqueue_mail(user.email.as_str(), &subject, &body)
        .await?)
}

/// Staff send `user` a reset link (an admin anyone, a facilitator the members of their
/// cohorts, checked by the caller): counted per address like requests by the owner.
#[cfg(feature = "ssr")]
pub(crate) async fn send_reset_link(
    context: &RequestContext,
    user: kring_domain::UserId,
) -> Result<(), AppError> {
    if !crate::outbound::mail_reaches_people() {
        return Err(context.error(ErrorCode::ResetUnavailable));
    }
    let db = db();
    let user = db.user(user).await?;
    context
        .count_attempts(
            &db,
            &[(
                kring_db::Bucket::ResetEmail(user.email.as_str()),
                kring_domain::AttemptLimit::RESETS_PER_EMAIL,
            )],
        )
        .await?;
    mail_reset_link(context, &db, &user).await
}

/// Whose password the reset link behind `token` changes. Looking uses nothing up.
#[server(endpoint = "reset-link")]
pub async fn load_reset_link(token: String) -> Result<ResetLink, AppError> {
    let record = reset_link_owner(&db(), &token).await?;
    Ok(ResetLink {
        display_name: record.display_name.as_str().to_owned(),
    })
}

/// Sets a new password through a reset link: every other session of the account ends,
/// and whoever followed the link is logged in.
#[server(endpoint = "reset-password")]
pub async fn reset_password(token: String, new_password: String) -> Result<(), AppError> {
    let context = request_context();
    let db = db();
    let record = reset_link_owner(&db, &token).await?;
    let new = self::new_password(
        new_password,
        [record.display_name.as_str(), record.email.as_str()],
    )
    .await?;
    let (_, session) = db
        .reset_password(&token, &new)
        .await?
        .ok_or_else(|| context.error(ErrorCode::ResetLinkExpired))?;
    if let Some(previous) = &context.session_token {
        db.end_session(previous).await?;
    }
    context.set_session_cookie(&session);
    crate::navigation::redirect("/profile?saved=password");
    Ok(())
}

/// The account a working reset link belongs to; a used, replaced or old link is 410.
#[cfg(feature = "ssr")]
async fn reset_link_owner(
    db: &kring_db::Db,
    token: &str,
) -> Result<kring_db::UserRecord, AppError> {
    let user = db
        .password_reset_user(token)
        .await?
        .ok_or_else(|| request_context().error(ErrorCode::ResetLinkExpired))?;
    Ok(db.user(user).await?)
}
