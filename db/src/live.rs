//! Live forum events within one instance. A single pump per database reads each
//! newly committed event once and broadcasts it to every open connection of this
//! instance; the connections filter by thread or category. Changes to who may
//! read what (a session ended, a password or role changed, a membership ended)
//! travel the same way, so a stream that may no longer deliver ends at once.
//!
//! The pump wakes when this instance commits an event, when PostgreSQL announces
//! one committed by any instance (`LISTEN`, payload = event id), and every few
//! seconds in case an announcement was lost while the listener reconnected. It
//! always reads "everything after the last id it broadcast", so a lost wake-up
//! delays an event but never drops it.

use crate::error::DbError;
use crate::events::{FORUM_CHANNEL, PUMP_BATCH};
use crate::hub::LiveEvent;
use crate::pool::{get, now, Db, Engine};
use kring_domain::UserId;
use sqlx::postgres::PgListener;
use sqlx::{Any, Transaction};
use std::time::Duration;
use tokio::sync::broadcast;

/// The access change an erasure records: no account has id 0, so the row
/// names no one, and tells every instance that some name left the forum.
pub(crate) const SOMEONE_ERASED: UserId = UserId(0);

/// How often the pump looks for events even without an announcement.
const SAFETY_POLL: Duration = Duration::from_secs(5);

impl Db {
    /// Every forum event committed after this call, by any instance, in id
    /// order. The first call starts the pump: on PostgreSQL it listens first
    /// and then reads the newest id, so every later event is either announced
    /// or already in the database when a caller reads its backlog.
    pub async fn live_events(&self) -> Result<broadcast::Receiver<LiveEvent>, DbError> {
        let receiver = self.live.sender.subscribe();
        self.live
            .started
            .get_or_try_init(|| async {
                let listener = match self.engine {
                    Engine::Postgres => self.listen().await,
                    Engine::Sqlite => None,
                };
                let last = Seen {
                    forum: self.latest_id("forum_events").await?,
                    access: self.latest_id("access_changes").await?,
                };
                tokio::spawn(self.clone().pump(last, listener));
                Ok::<_, DbError>(())
            })
            .await?;
        Ok(receiver)
    }

    /// This instance committed an event or an access change: the pump reads it now.
    pub(crate) fn live_committed(&self) {
        self.live.committed();
    }

    /// Records that `user`'s sessions, role, memberships or name changed, in
    /// the transaction that changes them; their open streams check again once
    /// it commits, and every instance forgets the posts of theirs it keeps
    /// loaded. `SOMEONE_ERASED` records an erasure without naming the person.
    pub(crate) async fn record_access_change(
        &self,
        transaction: &mut Transaction<'static, Any>,
        user: UserId,
    ) -> Result<(), DbError> {
        if self.engine == Engine::Postgres {
            // Ids follow commit order, as for forum events (a different lock).
            sqlx::query("SELECT pg_advisory_xact_lock(7265747)")
                .execute(&mut **transaction)
                .await?;
        }
        sqlx::query("INSERT INTO access_changes (user_id, created_at) VALUES ($1, $2)")
            .bind(user.0)
            .bind(now())
            .execute(&mut **transaction)
            .await?;
        if self.engine == Engine::Postgres {
            sqlx::query("SELECT pg_notify($1, 'access')")
                .bind(FORUM_CHANNEL)
                .execute(&mut **transaction)
                .await?;
        }
        Ok(())
    }

    /// Drops access changes older than a day: every pump has long read them.
    pub async fn prune_access_changes(&self) -> Result<u64, DbError> {
        let pruned = sqlx::query("DELETE FROM access_changes WHERE created_at < $1")
            .bind(now() - 24 * 3600)
            .execute(&mut *self.connection().await?)
            .await?
            .rows_affected();
        Ok(pruned)
    }

    async fn pump(self, mut last: Seen, mut listener: Option<PgListener>) {
        loop {
            if self.engine == Engine::Postgres && listener.is_none() {
                // Reconnected or not, read what was committed meanwhile.
                listener = self.listen().await;
                if listener.is_none() {
                    tokio::time::sleep(SAFETY_POLL).await;
                }
            } else {
                tokio::select! {
                    () = self.live.wake.notified() => {}
                    announced = next_announcement(&mut listener) => {
                        if let Err(error) = announced {
                            tracing::warn!(%error, "live events: PostgreSQL listener lost; reconnecting");
                            listener = None;
                        }
                    }
                    () = tokio::time::sleep(SAFETY_POLL) => {}
                }
            }
            if let Err(error) = self.broadcast_after(&mut last).await {
                tracing::warn!(%error, "live events: cannot read new events");
            }
        }
    }

    async fn listen(&self) -> Option<PgListener> {
        let result = async {
            let mut listener = PgListener::connect(&self.url).await?;
            listener.listen(FORUM_CHANNEL).await?;
            Ok::<_, sqlx::Error>(listener)
        }
        .await;
        result
            .inspect_err(|error| tracing::warn!(%error, "live events: cannot LISTEN"))
            .ok()
    }

    /// Broadcasts what was committed since `last`: forum events, and before
    /// them the access changes. The changes are read after the events, so one
    /// committed before a post always reaches a stream before that post does
    /// (a member removed from a circle never receives its next post).
    async fn broadcast_after(&self, last: &mut Seen) -> Result<(), DbError> {
        loop {
            let events = self.all_events_after(last.forum).await?;
            loop {
                let rows = sqlx::query(
                    "SELECT id, user_id FROM access_changes WHERE id > $1 ORDER BY id LIMIT $2",
                )
                .bind(last.access)
                .bind(PUMP_BATCH)
                .fetch_all(&mut *self.connection().await?)
                .await?;
                for row in &rows {
                    // No receivers is fine: nobody has a stream open on this instance.
                    let user = UserId(get(row, "user_id")?);
                    let _ = self.live.sender.send(if user == SOMEONE_ERASED {
                        LiveEvent::SomeoneErased
                    } else {
                        LiveEvent::AccessChanged(user)
                    });
                    last.access = get(row, "id")?;
                }
                if (rows.len() as i64) < PUMP_BATCH {
                    break;
                }
            }
            for event in &events {
                let _ = self.live.sender.send(LiveEvent::Forum(*event));
                last.forum = event.id;
            }
            if (events.len() as i64) < PUMP_BATCH {
                return Ok(());
            }
        }
    }

    /// The newest id of `table` (a fixed name from this module), 0 when empty.
    async fn latest_id(&self, table: &'static str) -> Result<i64, DbError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COALESCE(MAX(id), 0) AS latest FROM {table}"
        )))
        .fetch_one(&mut *self.connection().await?)
        .await?;
        get(&row, "latest")
    }
}

/// The newest forum event and access change the pump has broadcast.
#[derive(Debug, Clone, Copy)]
struct Seen {
    forum: i64,
    access: i64,
}

/// The next announcement, or never when there is no listener (SQLite).
async fn next_announcement(listener: &mut Option<PgListener>) -> Result<(), sqlx::Error> {
    match listener {
        Some(listener) => listener.recv().await.map(drop),
        None => std::future::pending().await,
    }
}
