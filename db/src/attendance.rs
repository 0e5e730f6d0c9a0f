//! After a session: who was there (taken down by a facilitator for every member
//! expected at it), and the cohort dashboard's figures per member.

use crate::error::DbError;
use crate::pool::{get, now, Db};
use kring_domain::{
    AttendanceMark, CohortId, ModuleId, RecordingLink, SessionId, SessionNotes, UserId,
};
use std::collections::HashMap;

/// A member expected at a session, with what is known of their attendance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceEntry {
    pub user_id: UserId,
    pub name: String,
    pub group: Option<String>,
    pub mark: Option<AttendanceMark>,
    /// They said beforehand that they cannot come.
    pub said_absent: bool,
}

/// One member's line on the cohort dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardMember {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub group: Option<String>,
    /// Sessions of their group whose attendance may be taken by now (not cancelled).
    pub held: i64,
    pub present: i64,
    pub excused: i64,
    /// Units marked done, per module of the cohort's program.
    pub done: HashMap<ModuleId, i64>,
    pub last_seen_at: Option<i64>,
    pub last_post_at: Option<i64>,
}

/// A module of the cohort's program, with how many published units it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardModule {
    pub id: ModuleId,
    pub title: String,
    pub units: i64,
}

/// Attendance may be taken from this long before a session starts; from then on the
/// session counts as held on the dashboard.
pub const ATTENDANCE_OPENS_SECS: i64 = 15 * 60;

fn mark(code: Option<String>) -> Result<Option<AttendanceMark>, DbError> {
    code.map(|code| AttendanceMark::parse(&code).map_err(DbError::from))
        .transpose()
}

impl Db {
    /// Every member expected at `session`, by name, with their attendance so far.
    pub async fn attendance_sheet(
        &self,
        session: SessionId,
    ) -> Result<Vec<AttendanceEntry>, DbError> {
        let rows = sqlx::query(concat!(
            "SELECT m.user_id, u.display_name, g.name AS group_name, a.status, \
             (SELECT COUNT(*) FROM session_absences x WHERE x.session_id = s.id AND x.user_id = m.user_id) AS said_absent \
             FROM calendar_sessions s JOIN cohort_members m ON ",
            expected_at_session!(),
            " JOIN users u ON u.id = m.user_id \
             LEFT JOIN language_groups g ON g.id = m.language_group_id \
             LEFT JOIN attendance a ON a.session_id = s.id AND a.user_id = m.user_id \
             WHERE s.id = $1 ORDER BY u.display_name, m.user_id"
        ))
        .bind(session.0)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AttendanceEntry {
                    user_id: UserId(get(row, "user_id")?),
                    name: get(row, "display_name")?,
                    group: get(row, "group_name")?,
                    mark: mark(get(row, "status")?)?,
                    said_absent: get::<i64>(row, "said_absent")? > 0,
                })
            })
            .collect()
    }

    /// Takes attendance down, all or nothing. Every mark must be for a member
    /// expected at the session; otherwise nothing is stored.
    pub async fn record_attendance(
        &self,
        session: SessionId,
        marks: &[(UserId, AttendanceMark)],
        by: UserId,
    ) -> Result<(), DbError> {
        let at = now();
        let mut transaction = self.begin_write().await?;
        for (user, mark) in marks {
            let stored = sqlx::query(concat!(
                "INSERT INTO attendance (session_id, user_id, status, recorded_by, recorded_at) \
                 SELECT s.id, m.user_id, $3, $4, $5 FROM calendar_sessions s JOIN cohort_members m ON ",
                expected_at_session!(),
                " WHERE s.id = $1 AND m.user_id = $2 \
                 ON CONFLICT (session_id, user_id) DO UPDATE SET status = excluded.status, \
                 recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at"
            ))
            .bind(session.0)
            .bind(user.0)
            .bind(mark.code())
            .bind(by.0)
            .bind(at)
            .execute(&mut *transaction)
            .await?
            .rows_affected();
            if stored == 0 {
                return Err(DbError::NotFound);
            }
        }
        transaction.commit().await?;
        Ok(())
    }

    /// What facilitators add after a session.
    pub async fn set_session_follow_up(
        &self,
        session: SessionId,
        notes: &SessionNotes,
        recording: &RecordingLink,
    ) -> Result<(), DbError> {
        crate::pool::found(
            sqlx::query(
                "UPDATE calendar_sessions SET notes = $1, recording_link = $2, updated_at = $3 WHERE id = $4",
            )
            .bind(notes.as_str())
            .bind(recording.as_str())
            .bind(now())
            .bind(session.0)
            .execute(&mut *self.connection().await?)
            .await?
            .rows_affected(),
        )
    }

    /// The cohort's program modules (titles in `language` where translated) and,
    /// per member, attendance of their group's sessions whose attendance may be
    /// taken by `at` (held, under way or about to start),
    /// units done per module, when they were last seen and last posted.
    pub async fn cohort_dashboard(
        &self,
        cohort: CohortId,
        language: kring_domain::Language,
        at: i64,
    ) -> Result<(Vec<DashboardModule>, Vec<DashboardMember>), DbError> {
        let modules = sqlx::query(
            "SELECT mo.id, COALESCE(t.title, s.title, '') AS title, \
             (SELECT COUNT(*) FROM units un WHERE un.module_id = mo.id AND un.published <> 0) AS units \
             FROM cohorts c JOIN modules mo ON mo.program_id = c.program_id \
             LEFT JOIN module_translations t ON t.module_id = mo.id AND t.language = $2 \
             LEFT JOIN module_translations s ON s.module_id = mo.id AND s.language = mo.source_language \
             WHERE c.id = $1 AND mo.archived_at IS NULL ORDER BY mo.position, mo.id",
        )
        .bind(cohort.0)
        .bind(language.code())
        .fetch_all(&mut *self.connection().await?)
        .await?
        .iter()
        .map(|row| {
            Ok(DashboardModule {
                id: ModuleId(get(row, "id")?),
                title: get(row, "title")?,
                units: get(row, "units")?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
        let members = sqlx::query(concat!(
            "SELECT m.user_id, u.display_name, u.email, g.name AS group_name, u.last_seen_at, \
             (SELECT COUNT(*) FROM calendar_sessions s WHERE ",
            expected_at_session!(),
            " AND s.status <> 'cancelled' AND s.starts_at <= $2 + $3) AS held, \
             (SELECT COUNT(*) FROM attendance a JOIN calendar_sessions s ON s.id = a.session_id \
              WHERE a.user_id = m.user_id AND a.status = 'present' AND ",
            expected_at_session!(),
            " AND s.status <> 'cancelled' AND s.starts_at <= $2 + $3) AS present, \
             (SELECT COUNT(*) FROM attendance a JOIN calendar_sessions s ON s.id = a.session_id \
              WHERE a.user_id = m.user_id AND a.status = 'excused' AND ",
            expected_at_session!(),
            " AND s.status <> 'cancelled' AND s.starts_at <= $2 + $3) AS excused, \
             (SELECT MAX(p.created_at) FROM forum_posts p JOIN forum_threads t ON t.id = p.thread_id \
              JOIN forum_categories c ON c.id = t.category_id \
              WHERE p.author_id = m.user_id AND c.cohort_id = m.cohort_id) AS last_post_at \
             FROM cohort_members m JOIN users u ON u.id = m.user_id \
             LEFT JOIN language_groups g ON g.id = m.language_group_id \
             WHERE m.cohort_id = $1 ORDER BY u.display_name, m.user_id"
        ))
        .bind(cohort.0)
        .bind(at)
        .bind(ATTENDANCE_OPENS_SECS)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        let done_rows = sqlx::query(
            "SELECT p.user_id, un.module_id, COUNT(*) AS done FROM unit_progress p \
             JOIN units un ON un.id = p.unit_id JOIN modules mo ON mo.id = un.module_id \
             JOIN cohorts c ON c.program_id = mo.program_id \
             JOIN cohort_members m ON m.cohort_id = c.id AND m.user_id = p.user_id \
             WHERE c.id = $1 AND p.done_at IS NOT NULL AND un.published <> 0 AND mo.archived_at IS NULL \
             GROUP BY p.user_id, un.module_id",
        )
        .bind(cohort.0)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        let mut done: HashMap<i64, HashMap<ModuleId, i64>> = HashMap::new();
        for row in &done_rows {
            done.entry(get(row, "user_id")?)
                .or_default()
                .insert(ModuleId(get(row, "module_id")?), get(row, "done")?);
        }
        let members = members
            .iter()
            .map(|row| {
                let user_id: i64 = get(row, "user_id")?;
                Ok(DashboardMember {
                    user_id: UserId(user_id),
                    name: get(row, "display_name")?,
                    email: get(row, "email")?,
                    group: get(row, "group_name")?,
                    held: get(row, "held")?,
                    present: get(row, "present")?,
                    excused: get(row, "excused")?,
                    done: done.remove(&user_id).unwrap_or_default(),
                    last_seen_at: get(row, "last_seen_at")?,
                    last_post_at: get(row, "last_post_at")?,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        Ok((modules, members))
    }
}
