//! Meetings (the live sessions of a program): planned series, who may see which, moving and cancelling,
//! calendar feed tokens. Registrations are in `registrations`, reminders and change notices in `notices`.

use crate::accounts::new_token;
use crate::error::DbError;
use crate::notices::NoticeKind;
use crate::pool::{get, id_list, now, Db};
use kring_domain::{
    CohortId, Language, LanguageGroupId, SeriesId, SessionId, SessionKind, SessionMinutes,
    SessionStatus, SessionTitle, TimeZone, UnitId, UserId, VideoLink,
};
use sqlx::any::AnyRow;
use std::collections::HashMap;

/// What a facilitator plans; every occurrence of a series shares it.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub kind: SessionKind,
    pub cohort_id: Option<CohortId>,
    pub language_group_id: Option<LanguageGroupId>,
    pub host_zone: TimeZone,
    pub minutes: SessionMinutes,
    pub video_link: VideoLink,
    pub capacity: Option<i64>,
    pub unit_id: Option<UnitId>,
    /// (language, title, description); at least one.
    pub texts: Vec<(Language, SessionTitle, String)>,
    pub created_by: Option<UserId>,
}

/// A meeting as a reader sees it: title and description in their language where translated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRecord {
    pub id: SessionId,
    pub uid: String,
    pub series_id: Option<SeriesId>,
    pub kind: SessionKind,
    pub cohort_id: Option<CohortId>,
    pub cohort_name: Option<String>,
    pub language_group_id: Option<LanguageGroupId>,
    pub language_group_name: Option<String>,
    pub starts_at: i64,
    pub host_zone: TimeZone,
    pub minutes: i64,
    pub video_link: String,
    pub capacity: Option<i64>,
    pub confirmed_count: i64,
    pub waitlisted_count: i64,
    pub unit_id: Option<UnitId>,
    pub status: SessionStatus,
    pub sequence: i64,
    pub updated_at: i64,
    /// Added by facilitators after the session (Markdown), and a recording (https).
    pub notes: String,
    pub recording_link: String,
    pub title: String,
    pub description: String,
    /// The language title and description are in (differs from the reader's when untranslated).
    pub shown_language: Language,
}

impl MeetingRecord {
    pub fn ends_at(&self) -> i64 {
        self.starts_at + self.minutes * 60
    }
}

/// Whose meetings to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Public information meetings only.
    Visitor,
    /// Public meetings, those of the person's cohorts and language groups, and
    /// every meeting of the cohorts they run.
    Member(UserId),
    /// Everything: administrators, and Kring's own jobs.
    All,
}

/// Someone a feed or reminder is rendered for: their language and zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedOwner {
    pub user_id: UserId,
    pub role: kring_domain::Role,
    pub audience: Audience,
    pub language: Language,
    pub time_zone: TimeZone,
}

/// The columns of [`MEETING_COLUMNS`].
#[derive(sqlx::FromRow)]
struct MeetingRow {
    id: i64,
    uid: String,
    series_id: Option<i64>,
    kind: String,
    cohort_id: Option<i64>,
    cohort_name: Option<String>,
    language_group_id: Option<i64>,
    group_name: Option<String>,
    starts_at: i64,
    host_zone: String,
    duration_minutes: i64,
    video_link: String,
    capacity: Option<i64>,
    confirmed_count: i64,
    waitlisted: i64,
    unit_id: Option<i64>,
    status: String,
    sequence: i64,
    updated_at: i64,
    notes: String,
    recording_link: String,
}

/// One translation of a meeting's title and description.
#[derive(sqlx::FromRow)]
struct TextRow {
    session_id: i64,
    language: String,
    title: String,
    description: String,
}

/// What is read of a meeting (`s`).
pub(crate) const MEETING_COLUMNS: &str = "SELECT s.id, s.uid, s.series_id, s.kind, s.cohort_id, c.name AS cohort_name, \
     s.language_group_id, g.name AS group_name, s.starts_at, s.host_zone, s.duration_minutes, \
     s.video_link, s.capacity, s.confirmed_count, \
     (SELECT COUNT(*) FROM registrations w WHERE w.session_id = s.id AND w.status = 'waitlisted') AS waitlisted, \
     s.unit_id, s.status, s.sequence, s.updated_at, s.notes, s.recording_link";

/// Meetings (`s`) with their cohort's and language group's names.
pub(crate) const MEETING_TABLES: &str = "FROM calendar_sessions s \
     LEFT JOIN cohorts c ON c.id = s.cohort_id \
     LEFT JOIN language_groups g ON g.id = s.language_group_id";

impl Db {
    /// Creates the meetings of a series (one or more start instants) with
    /// their texts, all or nothing.
    pub async fn create_series(
        &self,
        meeting: &NewMeeting,
        wall_clock: &str,
        every_weeks: i64,
        starts: &[i64],
    ) -> Result<(SeriesId, Vec<SessionId>), DbError> {
        let created = now();
        let mut transaction = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO session_series (host_zone, wall_clock, every_weeks, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(meeting.host_zone.as_str())
        .bind(wall_clock)
        .bind(every_weeks)
        .bind(meeting.created_by.map(|id| id.0))
        .bind(created)
        .fetch_one(&mut *transaction)
        .await?;
        let series = SeriesId(get(&row, "id")?);
        let mut ids = Vec::with_capacity(starts.len());
        for starts_at in starts {
            let row = sqlx::query(
                "INSERT INTO calendar_sessions (uid, series_id, kind, cohort_id, language_group_id, starts_at, host_zone, \
                 duration_minutes, video_link, capacity, unit_id, status, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'scheduled', $12, $12) RETURNING id",
            )
            .bind(format!("{}@kring", &new_token()[..32]))
            .bind(series.0)
            .bind(meeting.kind.code())
            .bind(meeting.cohort_id.map(|id| id.0))
            .bind(meeting.language_group_id.map(|id| id.0))
            .bind(*starts_at)
            .bind(meeting.host_zone.as_str())
            .bind(meeting.minutes.get())
            .bind(meeting.video_link.as_str())
            .bind(meeting.capacity)
            .bind(meeting.unit_id.map(|id| id.0))
            .bind(created)
            .fetch_one(&mut *transaction)
            .await?;
            let id: i64 = get(&row, "id")?;
            for (language, title, description) in &meeting.texts {
                sqlx::query(
                    "INSERT INTO session_translations (session_id, language, title, description) VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(language.code())
                .bind(title.as_str())
                .bind(description)
                .execute(&mut *transaction)
                .await?;
            }
            ids.push(SessionId(id));
        }
        transaction.commit().await?;
        Ok((series, ids))
    }

    /// One meeting, if `audience` may see it.
    pub async fn meeting(
        &self,
        id: SessionId,
        audience: Audience,
        language: Language,
    ) -> Result<MeetingRecord, DbError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{MEETING_COLUMNS} {MEETING_TABLES} WHERE s.id = $1"
        )))
        .bind(id.0)
        .fetch_optional(&mut *self.connection().await?)
        .await?
        .ok_or(DbError::NotFound)?;
        let meeting = self
            .with_texts(vec![row], language)
            .await?
            .pop()
            .ok_or(DbError::NotFound)?;
        if self.may_see(&meeting, audience).await? {
            Ok(meeting)
        } else {
            Err(DbError::NotFound)
        }
    }

    async fn may_see(&self, meeting: &MeetingRecord, audience: Audience) -> Result<bool, DbError> {
        let Some(cohort) = meeting.cohort_id else {
            return Ok(true);
        };
        match audience {
            Audience::All => Ok(true),
            Audience::Visitor => Ok(false),
            Audience::Member(user) => {
                let row = sqlx::query(concat!(
                    "SELECT COUNT(*) AS found FROM users u WHERE u.id = $2 AND (",
                    runs_cohort!("$1"),
                    " OR EXISTS (SELECT 1 FROM cohort_members m WHERE m.cohort_id = $1 AND m.user_id = $2 \
                     AND ($3 < 0 OR m.language_group_id IS NULL OR m.language_group_id = $3)))"
                ))
                .bind(cohort.0)
                .bind(user.0)
                .bind(meeting.language_group_id.map_or(-1, |id| id.0))
                .fetch_one(&mut *self.connection().await?)
                .await?;
                Ok(get::<i64>(&row, "found")? > 0)
            }
        }
    }

    /// Reads meeting rows and picks each one's texts: the reader's language, else
    /// English, else any.
    pub(crate) async fn with_texts(
        &self,
        rows: Vec<AnyRow>,
        language: Language,
    ) -> Result<Vec<MeetingRecord>, DbError> {
        let ids: Vec<i64> = rows
            .iter()
            .map(|row| get(row, "id"))
            .collect::<Result<_, _>>()?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // The texts of these meetings alone, found by their key.
        let texts = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT t.session_id, t.language, t.title, t.description FROM session_translations t \
             WHERE t.session_id IN ({})",
            id_list(&ids)
        )))
        .fetch_all(&mut *self.connection().await?)
        .await?;
        let mut by_meeting: HashMap<i64, Vec<(Language, String, String)>> = HashMap::new();
        for text in &texts {
            let text = <TextRow as sqlx::FromRow<_>>::from_row(text)?;
            by_meeting.entry(text.session_id).or_default().push((
                Language::parse(&text.language)?,
                text.title,
                text.description,
            ));
        }
        rows.iter()
            .map(|row| {
                let row = <MeetingRow as sqlx::FromRow<_>>::from_row(row)?;
                let (shown_language, title, description) = by_meeting
                    .get(&row.id)
                    .and_then(|texts| {
                        texts
                            .iter()
                            .find(|(l, _, _)| *l == language)
                            .or_else(|| texts.iter().find(|(l, _, _)| *l == Language::En))
                            .or_else(|| texts.first())
                    })
                    .cloned()
                    .unwrap_or((Language::En, String::new(), String::new()));
                Ok(MeetingRecord {
                    id: SessionId(row.id),
                    uid: row.uid,
                    series_id: row.series_id.map(SeriesId),
                    kind: SessionKind::parse(&row.kind)?,
                    cohort_id: row.cohort_id.map(CohortId),
                    cohort_name: row.cohort_name,
                    language_group_id: row.language_group_id.map(LanguageGroupId),
                    language_group_name: row.group_name,
                    starts_at: row.starts_at,
                    host_zone: TimeZone::parse(&row.host_zone)?,
                    minutes: row.duration_minutes,
                    video_link: row.video_link,
                    capacity: row.capacity,
                    confirmed_count: row.confirmed_count,
                    waitlisted_count: row.waitlisted,
                    unit_id: row.unit_id.map(UnitId),
                    status: SessionStatus::parse(&row.status)?,
                    sequence: row.sequence,
                    updated_at: row.updated_at,
                    notes: row.notes,
                    recording_link: row.recording_link,
                    title,
                    description,
                    shown_language,
                })
            })
            .collect()
    }

    /// Cancels a meeting; calendars pick it up through the raised sequence. A
    /// cancelled meeting is not found again.
    pub async fn cancel_meeting(&self, id: SessionId) -> Result<(), DbError> {
        self.change_meeting(id, None).await
    }

    /// Moves a meeting to a new start; calendars pick it up through the raised sequence.
    pub async fn move_meeting(&self, id: SessionId, starts_at: i64) -> Result<(), DbError> {
        self.change_meeting(id, Some(starts_at)).await
    }

    async fn change_meeting(&self, id: SessionId, new_start: Option<i64>) -> Result<(), DbError> {
        let (status, kind) = match new_start {
            Some(_) => (SessionStatus::Moved, NoticeKind::Moved),
            None => (SessionStatus::Cancelled, NoticeKind::Cancelled),
        };
        let mut transaction = self.begin_write().await?;
        // Locked on PostgreSQL (SQLite lets one writer in at a time): two changes at
        // once each see the start the other left.
        let lock = match self.engine {
            crate::pool::Engine::Postgres => {
                "SELECT starts_at FROM calendar_sessions WHERE id = $1 AND status <> 'cancelled' FOR UPDATE"
            }
            crate::pool::Engine::Sqlite => {
                "SELECT starts_at FROM calendar_sessions WHERE id = $1 AND status <> 'cancelled'"
            }
        };
        let previous_start: i64 = get(
            &sqlx::query(lock)
                .bind(id.0)
                .fetch_optional(&mut *transaction)
                .await?
                .ok_or(DbError::NotFound)?,
            "starts_at",
        )?;
        sqlx::query(
            "UPDATE calendar_sessions SET status = $1, starts_at = COALESCE($2, starts_at), \
             sequence = sequence + 1, updated_at = $3 WHERE id = $4",
        )
        .bind(status.code())
        .bind(new_start)
        .bind(now())
        .bind(id.0)
        .execute(&mut *transaction)
        .await?;
        crate::notices::record_change(&mut transaction, id, kind, previous_start).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// When the sessions of each of `series` that take place start, in time
    /// order: what the shift notices of a page of meetings compare with.
    pub async fn starts_of_series(
        &self,
        series: &[SeriesId],
    ) -> Result<HashMap<SeriesId, Vec<i64>>, DbError> {
        let mut starts: HashMap<SeriesId, Vec<i64>> = HashMap::new();
        if series.is_empty() {
            return Ok(starts);
        }
        let ids: Vec<i64> = series.iter().map(|id| id.0).collect();
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT series_id, starts_at FROM calendar_sessions \
             WHERE series_id IN ({}) AND status <> 'cancelled' ORDER BY starts_at",
            id_list(&ids)
        )))
        .fetch_all(&mut *self.connection().await?)
        .await?;
        for row in &rows {
            starts
                .entry(SeriesId(get(row, "series_id")?))
                .or_default()
                .push(get(row, "starts_at")?);
        }
        Ok(starts)
    }

    /// When the sessions of `series` that take place start, in time order: what
    /// a shift notice compares with.
    pub async fn series_starts(&self, series: SeriesId) -> Result<Vec<i64>, DbError> {
        let rows = sqlx::query(
            "SELECT starts_at FROM calendar_sessions WHERE series_id = $1 AND status <> 'cancelled' \
             ORDER BY starts_at",
        )
        .bind(series.0)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter().map(|row| get(row, "starts_at")).collect()
    }

    /// A new subscription token; the old address stops working.
    pub async fn regenerate_feed_token(&self, user: UserId) -> Result<String, DbError> {
        let token = new_token();
        sqlx::query(
            "INSERT INTO calendar_feeds (user_id, token, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET token = excluded.token, created_at = excluded.created_at",
        )
        .bind(user.0)
        .bind(&token)
        .bind(now())
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(token)
    }

    pub async fn revoke_feed_token(&self, user: UserId) -> Result<(), DbError> {
        sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *self.connection().await?)
            .await?;
        Ok(())
    }

    /// Whose feed `token` opens.
    pub async fn feed_owner(&self, token: &str) -> Result<FeedOwner, DbError> {
        let row = sqlx::query(
            "SELECT u.id, u.role, u.language, u.time_zone FROM calendar_feeds f JOIN users u ON u.id = f.user_id \
             WHERE f.token = $1",
        )
        .bind(token)
        .fetch_optional(&mut *self.connection().await?)
        .await?
        .ok_or(DbError::NotFound)?;
        let user_id = UserId(get(&row, "id")?);
        let role = kring_domain::Role::parse(&get::<String>(&row, "role")?)?;
        Ok(FeedOwner {
            user_id,
            role,
            audience: audience_of(user_id, role),
            language: Language::parse(&get::<String>(&row, "language")?)?,
            time_zone: TimeZone::parse(&get::<String>(&row, "time_zone")?)?,
        })
    }
}

/// What someone with `role` may see of the calendar.
pub fn audience_of(user: UserId, role: kring_domain::Role) -> Audience {
    if role.runs_cohort(false) {
        Audience::All
    } else {
        Audience::Member(user)
    }
}
