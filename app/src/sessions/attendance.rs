//! Around a session: a member says they cannot come; facilitators take
//! attendance (from a quarter of an hour before the start) and add notes and a
//! recording link afterwards; everyone chooses whether they are reminded.

use crate::error::AppError;
use leptos::prelude::*;
use std::collections::HashMap;

#[cfg(feature = "ssr")]
use super::*;
#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context},
};

#[cfg(feature = "ssr")]
use kring_db::ATTENDANCE_OPENS_SECS;

/// What the session page shows around `session` for this viewer.
#[cfg(feature = "ssr")]
pub(super) async fn follow_up_for(
    db: &kring_db::Db,
    context: &crate::viewer::RequestContext,
    session: &kring_db::MeetingRecord,
    staff: bool,
    may_join: bool,
) -> Result<FollowUp, AppError> {
    let now = kring_db::now();
    let takes_place = session.status != SessionStatus::Cancelled;
    let (expected, said_absent) = match &context.viewer.user {
        Some(user) => (
            db.expected_at(session.id, user.id).await?,
            db.is_absent(session.id, user.id).await?,
        ),
        None => (false, false),
    };
    // Notes and the recording are for those who may join: the group, those with a
    // seat, and the cohort's staff.
    let sees_follow_up = staff || expected || may_join;
    let staff = if staff && session.cohort_id.is_some() {
        Some(StaffFollowUp {
            may_take_attendance: takes_place && session.starts_at - ATTENDANCE_OPENS_SECS <= now,
            sheet: db
                .attendance_sheet(session.id)
                .await?
                .into_iter()
                .map(|entry| AttendanceRow {
                    user: entry.user_id.0,
                    name: entry.name,
                    group: entry.group,
                    mark: entry.mark,
                    said_absent: entry.said_absent,
                })
                .collect(),
            notes: session.notes.clone(),
            recording_link: session.recording_link.clone(),
        })
    } else {
        None
    };
    Ok(FollowUp {
        session: session.id.0,
        expected,
        said_absent,
        may_say_absent: expected && takes_place && session.starts_at > now,
        notes_html: (sees_follow_up && !session.notes.is_empty())
            .then(|| kring_domain::markdown::render(&session.notes)),
        recording_link: (sees_follow_up && !session.recording_link.is_empty())
            .then(|| session.recording_link.clone()),
        staff,
    })
}

/// Session `id`, if the requester runs its cohort.
#[cfg(feature = "ssr")]
async fn staff_session<'a>(
    db: &kring_db::Db,
    context: &'a crate::viewer::RequestContext,
    id: i64,
) -> Result<(kring_db::MeetingRecord, &'a crate::viewer::ViewerUser), AppError> {
    let session = db
        .meeting(
            kring_domain::SessionId(id),
            kring_db::Audience::All,
            context.viewer.language,
        )
        .await?;
    let user = context.require_cohort_staff(session.cohort_id).await?;
    Ok((session, user))
}

/// "I can't come" (`coming` false), or "I can come after all": only for a member
/// expected at a session still ahead. They get no reminders of it while away.
#[server(endpoint = "calendar/coming")]
pub async fn set_coming(id: i64, coming: bool) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_user()?;
    let db = db();
    let session = db
        .meeting(
            kring_domain::SessionId(id),
            audience(&context),
            context.viewer.language,
        )
        .await?;
    if !db.expected_at(session.id, user.id).await? {
        return Err(context.error(ErrorCode::Forbidden));
    }
    if session.starts_at <= kring_db::now() {
        return Err(context.error(ErrorCode::SessionEnded));
    }
    db.set_absence(session.id, user.id, !coming).await?;
    crate::navigation::redirect(&format!("/sessions/{id}#coming"));
    Ok(())
}

/// Takes attendance down: `marks[<member id>]` is `present`, `absent` or
/// `excused` (members left out keep what they had). All or nothing.
#[server(endpoint = "calendar/attendance")]
pub async fn take_attendance(
    id: i64,
    #[server(default)] marks: HashMap<String, String>,
) -> Result<(), AppError> {
    use kring_domain::{AttendanceMark, UserId};
    let context = request_context();
    let db = db();
    let (session, user) = staff_session(&db, &context, id).await?;
    if session.cohort_id.is_none() {
        return Err(context.error(ErrorCode::NotFound));
    }
    if session.status == SessionStatus::Cancelled {
        return Err(context.error(ErrorCode::SessionEnded));
    }
    if session.starts_at - ATTENDANCE_OPENS_SECS > kring_db::now() {
        return Err(context.error(ErrorCode::SessionNotStarted));
    }
    let marks = marks
        .iter()
        .map(|(member, mark)| {
            let member = member
                .parse::<i64>()
                .map_err(|_| context.error(ErrorCode::BadRequest))?;
            Ok((UserId(member), AttendanceMark::parse(mark)?))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    db.record_attendance(session.id, &marks, user.id).await?;
    crate::navigation::redirect(&format!("/sessions/{id}?attendance=saved#attendance"));
    Ok(())
}

/// Notes (Markdown) and a recording link (https only), after the session.
#[server(endpoint = "calendar/follow-up/save")]
pub async fn save_follow_up(id: i64, notes: String, recording: String) -> Result<(), AppError> {
    use kring_domain::{RecordingLink, SessionNotes};
    let context = request_context();
    let db = db();
    let (session, _) = staff_session(&db, &context, id).await?;
    let notes = SessionNotes::parse(&notes)?;
    match RecordingLink::parse(&recording) {
        Ok(recording) => {
            db.set_session_follow_up(session.id, &notes, &recording)
                .await?;
            crate::navigation::redirect(&format!("/sessions/{id}?notes=saved#follow-up"));
            Ok(())
        }
        Err(error) => {
            // The notes may be long and are fine: they are kept, with the link there was.
            let kept = RecordingLink::parse(&session.recording_link)?;
            db.set_session_follow_up(session.id, &notes, &kept).await?;
            Err(error.into())
        }
    }
}

/// Whether the viewer is reminded of sessions.
#[server(endpoint = "calendar/reminders")]
pub async fn reminder_setting() -> Result<bool, AppError> {
    let context = request_context();
    let user = context.require_user()?;
    Ok(db().wants_session_reminders(user.id).await?)
}

/// Turns reminders on (the box ticked) or off; changes of sessions are still told.
#[server(endpoint = "calendar/reminders/set")]
pub async fn set_reminders(wanted: Option<String>) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_user()?;
    db().set_wants_session_reminders(user.id, wanted.is_some())
        .await?;
    crate::navigation::redirect("/profile?saved=reminders#reminders");
    Ok(())
}
