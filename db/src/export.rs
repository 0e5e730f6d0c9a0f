//! A copy of everything Kring holds about one person (GDPR's right of
//! access), gathered part by part in the background, and the requests for
//! it. Only the person's own rows: never another person's name, address or
//! words (thread and session titles say where their own words stand).

use crate::audit::{record_in, AuditAction, NewAudit};
use crate::error::DbError;
use crate::pool::{get, now, Db};
use kring_domain::{Role, UserId};
use sqlx::{Column, Row};

/// One kind of data in the copy; each becomes a JSON file and a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Profile,
    Memberships,
    Registrations,
    Attendance,
    Posts,
    PostEdits,
    UnitRevisions,
    UnitDrafts,
    ProgramTexts,
    Reading,
    ForumReading,
    Notifications,
    SessionNotices,
    Mail,
    SignIns,
    Audit,
}

impl ExportKind {
    pub const ALL: [ExportKind; 16] = [
        ExportKind::Profile,
        ExportKind::Memberships,
        ExportKind::Registrations,
        ExportKind::Attendance,
        ExportKind::Posts,
        ExportKind::PostEdits,
        ExportKind::UnitRevisions,
        ExportKind::UnitDrafts,
        ExportKind::ProgramTexts,
        ExportKind::Reading,
        ExportKind::ForumReading,
        ExportKind::Notifications,
        ExportKind::SessionNotices,
        ExportKind::Mail,
        ExportKind::SignIns,
        ExportKind::Audit,
    ];

    /// The file name in the copy (`posts.json`, `posts.html`).
    pub fn file_stem(self) -> &'static str {
        match self {
            ExportKind::Profile => "profile",
            ExportKind::Memberships => "memberships",
            ExportKind::Registrations => "registrations",
            ExportKind::Attendance => "attendance",
            ExportKind::Posts => "posts",
            ExportKind::PostEdits => "post-edits",
            ExportKind::UnitRevisions => "unit-revisions",
            ExportKind::UnitDrafts => "unit-drafts",
            ExportKind::ProgramTexts => "program-texts",
            ExportKind::Reading => "reading",
            ExportKind::ForumReading => "forum-reading",
            ExportKind::Notifications => "notifications",
            ExportKind::SessionNotices => "session-notices",
            ExportKind::Mail => "mail",
            ExportKind::SignIns => "sign-ins",
            ExportKind::Audit => "audit",
        }
    }

    /// The queries that gather this kind for the person `$1` (their
    /// language is `$2`, where sessions are named); every query of a kind has the same columns. A
    /// column ending in `_at` is an instant.
    fn queries(self) -> &'static [&'static str] {
        match self {
            ExportKind::Profile => &[
                "SELECT u.display_name AS name, u.email, u.handle, u.role, o.name AS organisation, \
                 u.country, u.language, u.time_zone, u.email_verified_at, u.session_reminders, \
                 u.forum_digest, u.bio, u.learn_share, u.spoken_languages, u.shows_country, \
                 u.shows_languages, u.shows_local_time, u.shows_about, u.created_at, u.last_seen_at, \
                 (SELECT v.email FROM email_verifications v WHERE v.user_id = u.id) AS pending_email \
                 FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id \
                 WHERE u.id = $1",
            ],
            ExportKind::Memberships => &[
                "SELECT 'cohort' AS membership, c.name AS cohort, g.name AS language_group, \
                 '' AS circle, m.joined_at FROM cohort_members m JOIN cohorts c ON c.id = m.cohort_id \
                 LEFT JOIN language_groups g ON g.id = m.language_group_id WHERE m.user_id = $1",
                "SELECT 'circle' AS membership, c.name AS cohort, '' AS language_group, \
                 k.question AS circle, m.joined_at FROM circle_members m JOIN circles k ON k.id = m.circle_id \
                 JOIN cohorts c ON c.id = k.cohort_id WHERE m.user_id = $1",
                "SELECT 'facilitates' AS membership, c.name AS cohort, '' AS language_group, \
                 '' AS circle, f.assigned_at AS joined_at FROM cohort_facilitators f \
                 JOIN cohorts c ON c.id = f.cohort_id WHERE f.user_id = $1",
            ],
            ExportKind::Registrations => &[
                "SELECT (SELECT t.title FROM session_translations t WHERE t.session_id = s.id \
                 ORDER BY CASE WHEN t.language = $2 THEN 0 ELSE 1 END, t.language LIMIT 1) AS session, \
                 s.starts_at, r.status, r.created_at, r.updated_at \
                 FROM registrations r JOIN calendar_sessions s ON s.id = r.session_id WHERE r.user_id = $1",
                "SELECT (SELECT t.title FROM session_translations t WHERE t.session_id = s.id \
                 ORDER BY CASE WHEN t.language = $2 THEN 0 ELSE 1 END, t.language LIMIT 1) AS session, \
                 s.starts_at, 'cannot_come' AS status, a.created_at, a.created_at AS updated_at \
                 FROM session_absences a JOIN calendar_sessions s ON s.id = a.session_id WHERE a.user_id = $1",
            ],
            ExportKind::Attendance => &[
                "SELECT (SELECT t.title FROM session_translations t WHERE t.session_id = s.id \
                 ORDER BY CASE WHEN t.language = $2 THEN 0 ELSE 1 END, t.language LIMIT 1) AS session, \
                 s.starts_at, a.status, a.recorded_at \
                 FROM attendance a JOIN calendar_sessions s ON s.id = a.session_id WHERE a.user_id = $1",
            ],
            ExportKind::Posts => &[
                "SELECT p.id AS post, t.title AS thread, p.body, p.tag, p.created_at, p.edited_at, \
                 p.deleted_at, p.hidden_reason FROM forum_posts p JOIN forum_threads t ON t.id = p.thread_id \
                 WHERE p.author_id = $1 ORDER BY p.id",
            ],
            ExportKind::PostEdits => &[
                "SELECT e.post_id AS post, e.body, e.replaced_at FROM forum_post_edits e \
                 JOIN forum_posts p ON p.id = e.post_id WHERE p.author_id = $1 ORDER BY e.id",
            ],
            ExportKind::UnitRevisions => &[
                "SELECT unit_id AS unit, language, number AS revision, title, body, created_at \
                 FROM unit_revisions WHERE author_id = $1 ORDER BY id",
            ],
            ExportKind::UnitDrafts => &[
                "SELECT unit_id AS unit, language, title, body, updated_at \
                 FROM unit_drafts WHERE author_id = $1 ORDER BY unit_id, language",
            ],
            ExportKind::ProgramTexts => &[
                "SELECT kind, owner_id AS item, language, number AS revision, title, summary, created_at \
                 FROM outline_revisions WHERE author_id = $1 ORDER BY id",
                "SELECT kind, owner_id AS item, language, 0 AS revision, title, summary, updated_at AS created_at \
                 FROM outline_drafts WHERE author_id = $1",
            ],
            ExportKind::Reading => &[
                "SELECT unit_id AS unit, visited_at, done_at FROM unit_progress \
                 WHERE user_id = $1 ORDER BY unit_id"
            ],
            ExportKind::ForumReading => &[
                "SELECT t.title AS thread, r.last_read_post_id AS post FROM forum_reads r \
                 JOIN forum_threads t ON t.id = r.thread_id WHERE r.user_id = $1 ORDER BY r.thread_id",
            ],
            ExportKind::SessionNotices => &[
                "SELECT n.kind, (SELECT t.title FROM session_translations t WHERE t.session_id = s.id \
                 ORDER BY CASE WHEN t.language = $2 THEN 0 ELSE 1 END, t.language LIMIT 1) AS session, \
                 n.previous_start AS previous_start_at, n.created_at, n.emailed_at \
                 FROM session_notices n JOIN calendar_sessions s ON s.id = n.session_id \
                 WHERE n.user_id = $1 ORDER BY n.id",
            ],
            ExportKind::Mail => &[
                "SELECT subject, created_at, sent_at FROM outbox \
                 WHERE LOWER(recipient) = (SELECT LOWER(email) FROM users WHERE id = $1) ORDER BY id",
            ],
            ExportKind::Notifications => &[
                "SELECT n.kind, n.post_id AS post, t.title AS thread, n.created_at, n.read_at, n.emailed_at \
                 FROM notifications n JOIN forum_posts p ON p.id = n.post_id \
                 JOIN forum_threads t ON t.id = p.thread_id WHERE n.user_id = $1 ORDER BY n.id",
            ],
            ExportKind::SignIns => &[
                "SELECT 'session' AS kind, created_at, last_seen_at FROM sessions WHERE user_id = $1",
                "SELECT 'trusted_browser' AS kind, created_at, created_at AS last_seen_at \
                 FROM trusted_devices WHERE user_id = $1",
            ],
            ExportKind::Audit => &[
                "SELECT action, CASE WHEN actor_id = $1 THEN 'you' ELSE 'about_you' END AS role_in_it, \
                 actor_role, detail, created_at FROM audit_log \
                 WHERE (actor_id = $1 OR subject_id = $1) ORDER BY id",
            ],
        }
    }
}

/// A value in the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportValue {
    Empty,
    Number(i64),
    Text(String),
    /// UTC unix seconds.
    Instant(i64),
}

/// One kind of the person's data: named columns and rows of values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportPart {
    pub kind: ExportKind,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<ExportValue>>,
}

/// Where a requested copy stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportStatus {
    pub id: i64,
    /// `queued`, `building`, `ready` or `failed`.
    pub status: String,
    pub parts_done: i64,
    pub parts_total: i64,
    pub created_at: i64,
    /// When the download stops working (once ready).
    pub expires_at: Option<i64>,
}

/// How long a finished copy can be downloaded.
pub const EXPORT_KEPT_SECS: i64 = 24 * 3600;
/// A copy asked for again within this long is the one already made.
const EXPORT_REUSED_SECS: i64 = 600;
/// A copy claimed this long ago and not finished (its instance stopped) is built again.
const EXPORT_CLAIM_SECS: i64 = 600;

fn value_of(row: &sqlx::any::AnyRow, index: usize, column: &str) -> Result<ExportValue, DbError> {
    if let Ok(number) = row.try_get::<Option<i64>, _>(index) {
        return Ok(match number {
            None => ExportValue::Empty,
            Some(at) if column.ends_with("_at") => ExportValue::Instant(at),
            Some(number) => ExportValue::Number(number),
        });
    }
    Ok(match row.try_get::<Option<String>, _>(index)? {
        None => ExportValue::Empty,
        Some(text) => ExportValue::Text(text),
    })
}

fn status_from_row(row: &sqlx::any::AnyRow) -> Result<ExportStatus, DbError> {
    Ok(ExportStatus {
        id: get(row, "id")?,
        status: get(row, "status")?,
        parts_done: get(row, "parts_done")?,
        parts_total: get(row, "parts_total")?,
        created_at: get(row, "created_at")?,
        expires_at: get(row, "expires_at")?,
    })
}

const STATUS_COLUMNS: &str = "id, status, parts_done, parts_total, created_at, expires_at";

impl Db {
    /// One kind of `user`'s data, `language` naming sessions.
    pub async fn export_part(
        &self,
        user: UserId,
        language: kring_domain::Language,
        kind: ExportKind,
    ) -> Result<ExportPart, DbError> {
        let mut part = ExportPart {
            kind,
            columns: Vec::new(),
            rows: Vec::new(),
        };
        for query in kind.queries() {
            let mut gather = sqlx::query(sqlx::AssertSqlSafe(*query)).bind(user.0);
            if query.contains("$2") {
                gather = gather.bind(language.code());
            }
            let rows = gather.fetch_all(&mut *self.connection().await?).await?;
            for row in &rows {
                if part.columns.is_empty() {
                    part.columns = row.columns().iter().map(|c| c.name().to_owned()).collect();
                }
                let values = (0..part.columns.len())
                    .map(|index| value_of(row, index, &part.columns[index]))
                    .collect::<Result<_, _>>()?;
                part.rows.push(values);
            }
        }
        Ok(part)
    }

    /// Asks for a copy of `user`'s data; one already being made is
    /// returned instead of a second.
    pub async fn request_export(&self, user: UserId, role: Role) -> Result<ExportStatus, DbError> {
        let mut transaction = self.begin_write().await?;
        // A copy underway, or one made in the last ten minutes, is what a
        // second request gets: asking again and again stores nothing more.
        let recent = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {STATUS_COLUMNS} FROM data_exports WHERE user_id = $1 \
             AND (status IN ('queued', 'building') OR (status = 'ready' AND created_at > $2)) \
             ORDER BY id DESC LIMIT 1"
        )))
        .bind(user.0)
        .bind(now() - EXPORT_REUSED_SECS)
        .fetch_optional(&mut *transaction)
        .await?;
        if let Some(row) = recent {
            return status_from_row(&row);
        }
        let inserted = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO data_exports (user_id, status, parts_total, created_at) \
             VALUES ($1, 'queued', $2, $3) ON CONFLICT DO NOTHING RETURNING {STATUS_COLUMNS}"
        )))
        .bind(user.0)
        .bind(ExportKind::ALL.len() as i64)
        .bind(now())
        .fetch_optional(&mut *transaction)
        .await?;
        let Some(row) = inserted else {
            // Another request of theirs queued one at the same moment.
            transaction.rollback().await?;
            return self.latest_export(user).await?.ok_or(DbError::NotFound);
        };
        record_in(
            &mut transaction,
            &NewAudit::new(AuditAction::DataExported, Some((user, role))).subject(user),
        )
        .await?;
        transaction.commit().await?;
        status_from_row(&row)
    }

    /// `user`'s newest copy, if any is underway or can still be downloaded.
    pub async fn latest_export(&self, user: UserId) -> Result<Option<ExportStatus>, DbError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {STATUS_COLUMNS} FROM data_exports WHERE user_id = $1 \
             AND (expires_at IS NULL OR expires_at > $2) ORDER BY id DESC LIMIT 1"
        )))
        .bind(user.0)
        .bind(now())
        .fetch_optional(&mut *self.connection().await?)
        .await?;
        row.as_ref().map(status_from_row).transpose()
    }

    /// Takes the oldest copy waiting to be made (or abandoned by a stopped
    /// instance): its id and whose data it is. Two instances never take the same.
    pub async fn claim_export(&self) -> Result<Option<(i64, UserId)>, DbError> {
        let at = now();
        let mut transaction = self.begin_write().await?;
        let row = sqlx::query(
            "UPDATE data_exports SET status = 'building', claimed_at = $1, parts_done = 0 \
             WHERE id = (SELECT id FROM data_exports WHERE status = 'queued' \
                 OR (status = 'building' AND claimed_at < $2) ORDER BY id LIMIT 1) \
             AND (status = 'queued' OR (status = 'building' AND claimed_at < $2)) RETURNING id, user_id",
        )
        .bind(at)
        .bind(at - EXPORT_CLAIM_SECS)
        .fetch_optional(&mut *transaction)
        .await?;
        transaction.commit().await?;
        row.map(|row| Ok((get(&row, "id")?, UserId(get(&row, "user_id")?))))
            .transpose()
    }

    /// Shows progress on a copy being made.
    pub async fn export_progress(&self, export: i64, parts_done: i64) -> Result<(), DbError> {
        sqlx::query("UPDATE data_exports SET parts_done = $2, claimed_at = $3 WHERE id = $1")
            .bind(export)
            .bind(parts_done)
            .bind(now())
            .execute(&mut *self.connection().await?)
            .await?;
        Ok(())
    }

    /// Stores the finished copy (a ZIP file), downloadable for 24 hours;
    /// `None` marks it failed.
    pub async fn finish_export(
        &self,
        export: i64,
        archive: Option<Vec<u8>>,
    ) -> Result<(), DbError> {
        let at = now();
        let ready = archive.is_some();
        sqlx::query(
            "UPDATE data_exports SET status = $2, archive = $3, parts_done = parts_total, expires_at = $4 \
             WHERE id = $1",
        )
        .bind(export)
        .bind(if ready { "ready" } else { "failed" })
        .bind(archive)
        .bind(at + EXPORT_KEPT_SECS)
        .execute(&mut *self.connection().await?)
        .await?;
        // Only the newest copy is kept.
        sqlx::query(
            "DELETE FROM data_exports WHERE id < $1 AND status IN ('ready', 'failed') \
             AND user_id = (SELECT user_id FROM data_exports WHERE id = $1)",
        )
        .bind(export)
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(())
    }

    /// A finished copy of `user`'s own data, while it may be downloaded.
    pub async fn export_archive(&self, user: UserId, export: i64) -> Result<Vec<u8>, DbError> {
        let row = sqlx::query(
            "SELECT archive FROM data_exports WHERE id = $1 AND user_id = $2 \
             AND status = 'ready' AND expires_at > $3",
        )
        .bind(export)
        .bind(user.0)
        .bind(now())
        .fetch_optional(&mut *self.connection().await?)
        .await?
        .ok_or(DbError::NotFound)?;
        get(&row, "archive")
    }
}
