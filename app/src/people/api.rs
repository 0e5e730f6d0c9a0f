//! The server functions of a cohort's people page and of the invitation page. Each one
//! that manages people asks `RequestContext::require_cohort_staff` for the cohort the
//! target (member, invitation) belongs to, looked up by id on the server.

use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context, RequestContext, ViewerUser},
};
#[cfg(feature = "ssr")]
use kring_domain::{invitation, CohortId, LanguageGroupId, UserId};

/// How long a new link's secret is shown to its creator.
#[cfg(feature = "ssr")]
const NEW_LINK_SHOWN_SECS: i64 = 15 * 60;

#[cfg(feature = "ssr")]
pub(super) fn people_page(cohort: i64) -> String {
    format!("/cohorts/{cohort}/people")
}

/// The link an invitation's secret opens.
#[cfg(feature = "ssr")]
fn join_link(context: &RequestContext, token: &str) -> String {
    format!("{}/join?token={token}", context.public_url)
}

/// The cohort summary, if the requester runs it.
#[cfg(feature = "ssr")]
pub(super) async fn run_cohort(
    context: &RequestContext,
    cohort: i64,
) -> Result<(&ViewerUser, kring_db::CohortSummary), AppError> {
    let user = context.require_cohort_staff(Some(CohortId(cohort))).await?;
    Ok((user, db().cohort(CohortId(cohort)).await?))
}

/// The language group picked in a form, which must be one of the cohort's; its
/// language is what the invitation speaks.
#[cfg(feature = "ssr")]
fn chosen_group(
    context: &RequestContext,
    cohort: &kring_db::CohortSummary,
    group: &str,
) -> Result<(Option<LanguageGroupId>, kring_domain::Language), AppError> {
    if group.trim().is_empty() {
        return Ok((None, context.viewer.language));
    }
    cohort
        .language_groups
        .iter()
        .find(|(id, _, _)| id.0.to_string() == group.trim())
        .map(|(id, _, language)| (Some(*id), *language))
        .ok_or_else(|| context.error(ErrorCode::NotFound))
}

/// Refuses `count` more invitations when the requester would pass the daily limit.
#[cfg(feature = "ssr")]
async fn check_daily_limit(
    context: &RequestContext,
    user: &ViewerUser,
    count: usize,
) -> Result<(), AppError> {
    let sent = db()
        .invitations_created_since(user.id, kring_db::now() - 24 * 3600)
        .await?;
    if sent + count as i64 > invitation::MAX_PER_DAY {
        return Err(context.error(ErrorCode::InvitationsPerDay));
    }
    Ok(())
}

#[server(endpoint = "people/cohort")]
pub async fn load_people(cohort: i64, draft: Option<i64>) -> Result<PeopleView, AppError> {
    use kring_domain::time_text::moment;
    let context = request_context();
    let (user, summary) = run_cohort(&context, cohort).await?;
    let db = db();
    // A refused list comes back as typed, with why it was refused.
    let draft = match draft {
        Some(draft) => match db.import(draft, user.id).await {
            Ok((of, text)) if of == summary.id => Some(text),
            Ok(_) | Err(kring_db::DbError::NotFound) => None,
            Err(error) => return Err(error.into()),
        },
        None => None,
    };
    let draft_error = draft.as_deref().and_then(|text| {
        invitation::invitee_list(text)
            .err()
            .map(|error| AppError::new(list_refused(error), context.viewer.language))
    });
    let now = kring_db::now();
    let zone = context.time_zone();
    let members = db
        .cohort_members(Some(CohortId(cohort)))
        .await?
        .into_iter()
        .map(|member| MemberRow {
            id: member.user_id.0,
            name: member.display_name,
            organisation: member.organisation_name,
            group: member.language_group,
        })
        .collect();
    let invitations = db
        .invitations(CohortId(cohort))
        .await?
        .into_iter()
        .map(|record| InvitationRow {
            id: record.id,
            state: state_of(&record, now),
            email: record.email,
            name: record.name,
            group: record.group_name,
            facilitator: record.role == kring_domain::Role::Facilitator.as_str(),
            accepted: record.accepted_count,
            uses_left: record.uses_left,
            expires: moment(record.expires_at, &zone, context.viewer.language),
        })
        .collect();
    Ok(PeopleView {
        cohort,
        cohort_name: summary.name,
        groups: summary
            .language_groups
            .into_iter()
            .map(|(id, name, _)| (id.0, name))
            .collect(),
        facilitators: db
            .cohort_facilitators(Some(CohortId(cohort)))
            .await?
            .into_iter()
            .map(|(_, id, name)| (id.0, name))
            .collect(),
        members,
        invitations,
        new_link: context
            .request_cookie(NEW_LINK_COOKIE)
            .filter(|token| token.len() == 64 && token.chars().all(|c| c.is_ascii_hexdigit()))
            .map(|token| join_link(&context, &token)),
        mail: crate::outbound::mail_reaches_people(),
        draft,
        draft_error,
    })
}

#[cfg(feature = "ssr")]
fn state_of(record: &kring_db::InvitationRecord, now: i64) -> InvitationState {
    use kring_domain::invitation::InvitationVerdict;
    match record.verdict(None, now) {
        InvitationVerdict::Revoked => InvitationState::Revoked,
        InvitationVerdict::UsedUp if record.kind == "email" => InvitationState::Accepted,
        InvitationVerdict::UsedUp => InvitationState::UsedUp,
        InvitationVerdict::Expired => InvitationState::Expired,
        InvitationVerdict::Open | InvitationVerdict::Foreign => {
            if record.bounced_at.is_some() {
                InvitationState::Bounced
            } else if record.opened_at.is_some() {
                InvitationState::Opened
            } else {
                InvitationState::Pending
            }
        }
    }
}

/// Creates an invitation link into a language group; its secret comes back to the
/// creator's page for a few minutes.
#[server(endpoint = "people/links/create")]
pub async fn create_invitation_link(link: LinkForm) -> Result<(), AppError> {
    let context = request_context();
    let (user, summary) = run_cohort(&context, link.cohort).await?;
    let (group, language) = chosen_group(&context, &summary, &link.group)?;
    let days = invitation::valid_days(&link.days)?;
    let uses = invitation::use_limit(&link.uses)?;
    check_daily_limit(&context, user, 1).await?;
    let new = kring_db::NewInvitation {
        cohort: summary.id,
        group,
        role: kring_domain::Role::Participant,
        language,
        expires_at: kring_db::now() + days * 86_400,
        created_by: user.id,
    };
    let (_, token) = db().create_invitation_link(&new, uses).await?;
    context
        .audit(kring_db::AuditAction::Invited, |entry| {
            entry.cohort(summary.id).detail("link")
        })
        .await?;
    let page = people_page(link.cohort);
    context.set_page_secret(NEW_LINK_COOKIE, &token, &page, NEW_LINK_SHOWN_SECS);
    crate::navigation::redirect(&format!("{page}#new-link"));
    Ok(())
}

/// Mails an invitation to each person of a pasted list, in the group's language: all
/// of them, or none when a line is wrong.
#[server(endpoint = "people/invite")]
pub async fn invite_people(invite: MailForm) -> Result<(), AppError> {
    let context = request_context();
    let (user, summary) = run_cohort(&context, invite.cohort).await?;
    let (group, language) = chosen_group(&context, &summary, &invite.group)?;
    let days = invitation::valid_days(&invite.days)?;
    let invitees = match invitation::invitee_list(&invite.people) {
        Ok(invitees) => invitees,
        // A plain form keeps what was typed: the list waits (as an uploaded file does)
        // and the page shows it again with the reason.
        Err(_) if context.accepts_html && !invite.people.trim().is_empty() => {
            let draft = db()
                .store_import(summary.id, user.id, &invite.people)
                .await?;
            crate::navigation::redirect(&format!(
                "{}?draft={draft}#invite-mail",
                people_page(invite.cohort)
            ));
            return Ok(());
        }
        Err(error) => return Err(context.error(list_refused(error))),
    };
    let role = if invite.role == "facilitator" {
        kring_domain::Role::Facilitator
    } else {
        kring_domain::Role::Participant
    };
    let terms = kring_db::NewInvitation {
        cohort: summary.id,
        group,
        role,
        language,
        expires_at: kring_db::now() + days * 86_400,
        created_by: user.id,
    };
    let invitations: Vec<_> = invitees
        .into_iter()
        .map(|invitee| kring_db::MailedInvitation {
            terms: terms.clone(),
            invitee,
            organisation: None,
            country: None,
        })
        .collect();
    mail_invitations(&context, user, &summary, &invitations).await?;
    crate::navigation::redirect(&format!(
        "{}?invited={}",
        people_page(invite.cohort),
        invitations.len()
    ));
    Ok(())
}

/// Why a list of people (pasted, or an imported file) is refused, for the requester: the
/// first bad line with its reason, and how many more there are.
#[cfg(feature = "ssr")]
pub(super) fn list_refused(error: invitation::InviteeListError) -> ErrorCode {
    use kring_domain::invitation::InviteeListError;
    match error {
        InviteeListError::Empty => ErrorCode::NoInvitees,
        InviteeListError::TooMany => ErrorCode::TooManyInvitees,
        InviteeListError::Lines(lines) => ErrorCode::InviteeLine {
            line: lines[0].line as i64,
            reason: lines[0].reason,
            more: lines.len() as i64 - 1,
        },
    }
}

/// Mails `invitations` into `cohort`, each in its group's language, all or none, within
/// the requester's daily limit.
#[cfg(feature = "ssr")]
pub(super) async fn mail_invitations(
    context: &RequestContext,
    user: &ViewerUser,
    cohort: &kring_db::CohortSummary,
    invitations: &[kring_db::MailedInvitation],
) -> Result<(), AppError> {
    if !crate::outbound::mail_reaches_people() {
        return Err(context.error(ErrorCode::InvitationMailUnavailable));
    }
    check_daily_limit(context, user, invitations.len()).await?;
    db().invite_by_email(invitations, |invitation, token| {
        let group = invitation.terms.group.and_then(|id| {
            cohort
                .language_groups
                .iter()
                .find(|(group, _, _)| *group == id)
                .map(|(_, name, _)| name.as_str())
        });
        let name = invitation.invitee.name.as_ref();
        let (subject, body) = crate::outbound::mail::invitation_mail(
            name.map_or("", |name| name.as_str()),
            &cohort.name,
            group,
            &user.display_name,
            &join_link(context, token),
            invitation.terms.language,
        );
        kring_db::InvitationMail { subject, body }
    })
    .await?;
    context
        .audit(kring_db::AuditAction::Invited, |entry| {
            entry
                .cohort(cohort.id)
                .detail(invitations.len().to_string())
        })
        .await?;
    Ok(())
}

/// The invitation `id`, if the requester runs its cohort.
#[cfg(feature = "ssr")]
async fn run_invitation(
    context: &RequestContext,
    id: i64,
) -> Result<(&ViewerUser, kring_db::InvitationRecord), AppError> {
    let record = db().invitation(id).await?;
    let user = context.require_cohort_staff(Some(record.cohort())).await?;
    Ok((user, record))
}

#[server(endpoint = "people/invitations/cancel")]
pub async fn cancel_invitation(id: i64) -> Result<(), AppError> {
    let context = request_context();
    let (_, record) = run_invitation(&context, id).await?;
    db().revoke_invitation(id).await?;
    crate::navigation::redirect(&people_page(record.cohort_id));
    Ok(())
}

/// Mails a pending invitation again, with a new link valid for as long as the first.
#[server(endpoint = "people/invitations/resend")]
pub async fn resend_invitation(id: i64) -> Result<(), AppError> {
    let context = request_context();
    let (user, record) = run_invitation(&context, id).await?;
    if !crate::outbound::mail_reaches_people() {
        return Err(context.error(ErrorCode::InvitationMailUnavailable));
    }
    check_daily_limit(&context, user, 1).await?;
    let language = kring_domain::Language::parse(&record.language)?;
    let valid_for =
        (record.expires_at - record.created_at).clamp(86_400, invitation::MAX_DAYS * 86_400);
    db().resend_invitation(id, kring_db::now() + valid_for, |token| {
        let (subject, body) = crate::outbound::mail::invitation_mail(
            record.name.as_deref().unwrap_or_default(),
            &record.cohort_name,
            record.group_name.as_deref(),
            &user.display_name,
            &join_link(&context, token),
            language,
        );
        kring_db::InvitationMail { subject, body }
    })
    .await?;
    crate::navigation::redirect(&people_page(record.cohort_id));
    Ok(())
}

/// Moves a member to another of the cohort's language groups.
#[server(endpoint = "people/members/move")]
pub async fn move_member(cohort: i64, user: i64, group: i64) -> Result<(), AppError> {
    let context = request_context();
    context.require_cohort_staff(Some(CohortId(cohort))).await?;
    db().move_cohort_member(CohortId(cohort), UserId(user), LanguageGroupId(group))
        .await?;
    crate::navigation::redirect(&people_page(cohort));
    Ok(())
}

/// Takes a member out of the cohort and its circles; their posts stay, with their name.
#[server(endpoint = "people/members/remove")]
pub async fn remove_member(cohort: i64, user: i64) -> Result<(), AppError> {
    let context = request_context();
    context.require_cohort_staff(Some(CohortId(cohort))).await?;
    db().remove_cohort_member(CohortId(cohort), UserId(user))
        .await?;
    context
        .audit(kring_db::AuditAction::Removed, |entry| {
            entry.subject(UserId(user)).cohort(CohortId(cohort))
        })
        .await?;
    crate::navigation::redirect(&people_page(cohort));
    Ok(())
}

/// Mails a member of the cohort a link to choose a new password (the facilitator never
/// sees it, nor any password).
#[server(endpoint = "people/members/reset")]
pub async fn send_member_reset(cohort: i64, user: i64) -> Result<(), AppError> {
    let context = request_context();
    context.require_cohort_staff(Some(CohortId(cohort))).await?;
    if !db()
        .is_cohort_member(UserId(user), CohortId(cohort))
        .await?
    {
        return Err(context.error(ErrorCode::NotFound));
    }
    crate::accounts::send_reset_link(&context, UserId(user)).await?;
    crate::navigation::redirect(&format!("{}?reset=1", people_page(cohort)));
    Ok(())
}

/// What the invitation behind `token` offers, and whether it can still be accepted
/// by whoever asks.
#[server(endpoint = "join/invitation")]
pub async fn load_invitation(token: String) -> Result<JoinView, AppError> {
    use kring_domain::invitation::InvitationVerdict;
    let context = request_context();
    let db = db();
    let record = db.invitation_by_token(&token).await?;
    let viewer_email = match &context.viewer.user {
        Some(user) => Some(db.user(user.id).await?.email),
        None => None,
    };
    let verdict = record.verdict(viewer_email.as_ref(), kring_db::now());
    Ok(JoinView {
        cohort_name: record.cohort_name.clone(),
        group: record.group_name.clone(),
        inviter: record.created_by_name.clone(),
        email: record.email.clone(),
        name: record.name.clone(),
        language: kring_domain::Language::parse(&record.language)?,
        facilitator: record.role == kring_domain::Role::Facilitator.as_str(),
        closed: (verdict != InvitationVerdict::Open).then(|| {
            AppError::new(
                ErrorCode::InvitationClosed { verdict },
                context.viewer.language,
            )
        }),
    })
}

/// The page of an invitation was shown: its facilitators see it as opened.
#[server(endpoint = "join/opened")]
pub async fn invitation_opened(token: String) -> Result<(), AppError> {
    Ok(db().invitation_opened(&token).await?)
}

/// The signed-in person accepts an invitation and lands in its cohort.
#[server(endpoint = "join/accept")]
pub async fn accept_invitation(token: String) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_user()?;
    let db = db();
    let email = db.user(user.id).await?.email;
    db.accept_invitation(&token, user.id, &email).await?;
    crate::navigation::redirect("/?joined=1");
    Ok(())
}
