//! In-app notifications: replies to your threads, quotes of your posts and
//! @mentions of you.

use crate::error::DbError;
use crate::pool::{get, now, Db};
use kring_domain::{Language, PostId, ThreadId, TimeZone, UserId};

/// Why someone is told about a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    /// A reply in a thread they started.
    Reply,
    /// Their post was quoted.
    Quote,
    /// They were @mentioned.
    Mention,
}

impl NotificationKind {
    pub(crate) fn parse(code: &str) -> Result<Self, DbError> {
        match code {
            "reply" => Ok(NotificationKind::Reply),
            "quote" => Ok(NotificationKind::Quote),
            "mention" => Ok(NotificationKind::Mention),
            other => Err(DbError::Corrupt(format!("notification kind {other:?}"))),
        }
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            NotificationKind::Reply => "reply",
            NotificationKind::Quote => "quote",
            NotificationKind::Mention => "mention",
        }
    }
}

/// One notification as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRecord {
    pub id: i64,
    pub kind: NotificationKind,
    pub post: PostId,
    pub thread: ThreadId,
    pub thread_title: String,
    /// Who wrote the post.
    pub actor: Option<String>,
    pub created_at: i64,
    pub read: bool,
}

/// Notifications someone has not read in the app, gathered for one e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub user: UserId,
    pub recipient: String,
    pub language: Language,
    pub time_zone: TimeZone,
    pub entries: Vec<NotificationRecord>,
    /// The newest notification included: the digest covers everything up to it.
    pub up_to: i64,
}

/// A notification's post `p` is still there for its person `u` to read, in category `c`.
macro_rules! still_readable {
    () => {
        concat!(
            "p.deleted_at IS NULL AND p.hidden_reason IS NULL AND ",
            may_read_category!()
        )
    };
}

/// How many notifications the person `u` has not read, of posts they may still read.
/// Every request counts them, so the count starts from the person's unread
/// notifications (their index) and looks up each one's post, thread and category
/// by key. Written as a join, PostgreSQL could choose to walk every post in id
/// order up to the notified one and merge: with a few notifications against
/// 200,000 posts it did, and one unread notification on a recent post cost every
/// page of that person 236 ms. A scalar subquery is never turned into a join.
macro_rules! unread_notifications_of_u {
    () => {
        concat!(
            "(SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL \
             AND (SELECT COUNT(*) FROM forum_posts p JOIN forum_threads t ON t.id = p.thread_id \
               JOIN forum_categories c ON c.id = t.category_id WHERE p.id = n.post_id AND ",
            still_readable!(),
            ") > 0)"
        )
    };
}

impl Db {
    /// How many notifications `user` has not read (of posts they may still read).
    pub async fn unread_notifications(&self, user: UserId) -> Result<i64, DbError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            unread_notifications_of_u!(),
            " AS unread FROM users u WHERE u.id = $1"
        ))
        .bind(user.0)
        .fetch_one(&mut *self.connection().await?)
        .await?;
        get(&row, "unread")
    }

    /// A page of `user`'s notifications, newest first: at most `limit`, older
    /// than notification `before` when given. Notifications of posts since
    /// hidden or removed, or in places they may no longer read, are left out.
    pub async fn notifications(
        &self,
        user: UserId,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<NotificationRecord>, DbError> {
        let rows = sqlx::query(concat!(
            "SELECT n.id, n.kind, n.post_id, p.thread_id, t.title, a.display_name AS actor, n.created_at, \
             n.read_at FROM notifications n JOIN users u ON u.id = n.user_id \
             JOIN forum_posts p ON p.id = n.post_id \
             JOIN forum_threads t ON t.id = p.thread_id JOIN forum_categories c ON c.id = t.category_id \
             LEFT JOIN users a ON a.id = n.actor_id \
             WHERE n.user_id = $1 AND n.id < $2 AND ",
            still_readable!(),
            " ORDER BY n.id DESC LIMIT $3"
        ))
        .bind(user.0)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        rows.iter().map(notification_from_row).collect()
    }

    /// Marks `user`'s notifications up to notification `up_to` read (those
    /// that arrived after the list was shown stay unread).
    pub async fn mark_notifications_read(&self, user: UserId, up_to: i64) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND id <= $3 AND read_at IS NULL",
        )
        .bind(user.0)
        .bind(now())
        .bind(up_to)
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(())
    }

    /// Whether `user` wants unread notifications by e-mail.
    pub async fn wants_digest(&self, user: UserId) -> Result<bool, DbError> {
        let row = sqlx::query("SELECT forum_digest FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(&mut *self.connection().await?)
            .await?
            .ok_or(DbError::NotFound)?;
        Ok(get::<i64>(&row, "forum_digest")? != 0)
    }

    pub async fn set_wants_digest(&self, user: UserId, wanted: bool) -> Result<(), DbError> {
        sqlx::query("UPDATE users SET forum_digest = $2 WHERE id = $1")
            .bind(user.0)
            .bind(i64::from(wanted))
            .execute(&mut *self.connection().await?)
            .await?;
        Ok(())
    }

    /// For each person with a verified address who wants them, the notifications not read
    /// and not yet e-mailed that are at least as old as `written_before` (time enough to see
    /// them in the app).
    pub async fn digests_due(&self, written_before: i64) -> Result<Vec<Digest>, DbError> {
        let rows = sqlx::query(concat!(
            "SELECT n.id, n.user_id, u.email, u.language, u.time_zone, n.kind, n.post_id, p.thread_id, t.title, \
             a.display_name AS actor, n.created_at, n.read_at FROM notifications n JOIN users u ON u.id = n.user_id \
             JOIN forum_posts p ON p.id = n.post_id JOIN forum_threads t ON t.id = p.thread_id \
             JOIN forum_categories c ON c.id = t.category_id LEFT JOIN users a ON a.id = n.actor_id \
             WHERE n.read_at IS NULL AND n.emailed_at IS NULL AND n.created_at <= $1 AND u.forum_digest <> 0 \
             AND u.email_verified_at IS NOT NULL AND ",
            still_readable!(),
            " ORDER BY n.user_id, n.id"
        ))
        .bind(written_before)
        .fetch_all(&mut *self.connection().await?)
        .await?;
        let mut digests: Vec<Digest> = Vec::new();
        for row in &rows {
            let user = UserId(get(row, "user_id")?);
            let entry = notification_from_row(row)?;
            match digests.last_mut() {
                Some(digest) if digest.user == user => {
                    digest.up_to = entry.id;
                    digest.entries.push(entry);
                }
                _ => digests.push(Digest {
                    user,
                    recipient: get(row, "email")?,
                    language: Language::parse(&get::<String>(row, "language")?)?,
                    time_zone: TimeZone::parse(&get::<String>(row, "time_zone")?)?,
                    up_to: entry.id,
                    entries: vec![entry],
                }),
            }
        }
        Ok(digests)
    }

    /// Puts a digest's e-mail in the outbox and marks its notifications
    /// e-mailed, once: of two instances preparing the same digest, one wins.
    pub async fn enqueue_digest(
        &self,
        digest: &Digest,
        subject: &str,
        body: &str,
    ) -> Result<bool, DbError> {
        let mut transaction = self.begin_write().await?;
        let at = now();
        let won = sqlx::query(
            "UPDATE notifications SET emailed_at = $1 WHERE user_id = $2 AND id <= $3 \
             AND emailed_at IS NULL AND read_at IS NULL",
        )
        .bind(at)
        .bind(digest.user.0)
        .bind(digest.up_to)
        .execute(&mut *transaction)
        .await?
        .rows_affected()
            > 0;
        if won {
            crate::mail::queue_in(&mut transaction, &digest.recipient, subject, body, at).await?;
        }
        transaction.commit().await?;
        Ok(won)
    }
}

/// A notification's columns as the list queries read them.
#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: i64,
    kind: String,
    post_id: i64,
    thread_id: i64,
    title: String,
    actor: Option<String>,
    created_at: i64,
    read_at: Option<i64>,
}

fn notification_from_row(row: &sqlx::any::AnyRow) -> Result<NotificationRecord, DbError> {
    let row = <NotificationRow as sqlx::FromRow<_>>::from_row(row)?;
    Ok(NotificationRecord {
        id: row.id,
        kind: NotificationKind::parse(&row.kind)?,
        post: PostId(row.post_id),
        thread: ThreadId(row.thread_id),
        thread_title: row.title,
        actor: row.actor,
        created_at: row.created_at,
        read: row.read_at.is_some(),
    })
}
