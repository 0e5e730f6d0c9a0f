//! Consultation circles: a facilitator opens one on a question, members take
//! its (at most ten) places, and only they and facilitators read its threads.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use kring_domain::forum::CircleStatus;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::forum::access::*;
#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context},
};
#[cfg(feature = "ssr")]
use kring_db::AuditAction;
#[cfg(feature = "ssr")]
use kring_domain::{CircleId, CohortId};

/// A facilitator opens a circle in a cohort's forum.
#[server(endpoint = "forum/circles/open")]
pub async fn open_circle(cohort: i64, question: String, capacity: String) -> Result<(), AppError> {
    use kring_domain::{forum::ThreadTitle, DomainError, SessionKind};
    let context = request_context();
    let user = context.require_cohort_staff(Some(CohortId(cohort))).await?;
    let question = ThreadTitle::parse(&question)?;
    let capacity = capacity
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|capacity| (1..=SessionKind::CIRCLE_MAX).contains(capacity))
        .ok_or_else(|| context.error(ErrorCode::Invalid(DomainError::CircleTooLarge)))?;
    db().open_circle(CohortId(cohort), &question, capacity, user.id)
        .await?;
    crate::navigation::redirect(&format!("/forum/cohorts/{cohort}#circles-heading"));
    Ok(())
}

/// A cohort member takes a place in an open circle.
#[server(endpoint = "forum/circles/join")]
pub async fn join_circle(circle: i64) -> Result<(), AppError> {
    let context = request_context();
    let db = db();
    let record = db.circle(CircleId(circle)).await?;
    let user = require_forum_member(&context, record.cohort).await?;
    db.join_circle(record.id, user.id).await?;
    context
        .audit(AuditAction::CircleJoined, |entry| {
            entry.circle(record.id).cohort(record.cohort)
        })
        .await?;
    crate::navigation::redirect(&format!("/forum/categories/{}", record.category.0));
    Ok(())
}

/// A member leaves a circle, or a facilitator takes `member` out of it: their
/// place frees up, and any of their pages open on the circle stop receiving
/// its posts at once.
#[server(endpoint = "forum/circles/leave")]
pub async fn leave_circle(circle: i64, member: Option<i64>) -> Result<(), AppError> {
    use kring_domain::UserId;
    let context = request_context();
    let user = context.require_user()?;
    let leaving = member.map_or(user.id, UserId);
    let db = db();
    let record = db.circle(CircleId(circle)).await?;
    if leaving != user.id {
        context.require_cohort_staff(Some(record.cohort)).await?;
    }
    db.leave_circle(record.id, leaving).await?;
    let action = if leaving == user.id {
        AuditAction::CircleLeft
    } else {
        AuditAction::CircleMemberRemoved
    };
    context
        .audit(action, |entry| {
            entry
                .circle(record.id)
                .cohort(record.cohort)
                .subject(leaving)
        })
        .await?;
    crate::navigation::redirect(&format!(
        "/forum/cohorts/{}#circles-heading",
        record.cohort.0
    ));
    Ok(())
}

/// A facilitator closes a circle (read-only), archives it, or opens it again.
#[server(endpoint = "forum/circles/status")]
pub async fn set_circle_status(circle: i64, status: String) -> Result<(), AppError> {
    let context = request_context();
    let status = CircleStatus::parse(&status)?;
    let db = db();
    let record = db.circle(CircleId(circle)).await?;
    context.require_cohort_staff(Some(record.cohort)).await?;
    db.set_circle_status(record.id, status).await?;
    context
        .audit(AuditAction::CircleStatus, |entry| {
            entry
                .circle(record.id)
                .cohort(record.cohort)
                .detail(status.code())
        })
        .await?;
    crate::navigation::redirect(&format!(
        "/forum/cohorts/{}#circles-heading",
        record.cohort.0
    ));
    Ok(())
}
