//! Live forum events within one instance. A single pump per database reads each
//! newly committed event once and broadcasts it to every open connection of this
//! instance; the connections filter by thread or category.
//!
//! The pump wakes when this instance commits an event, when PostgreSQL announces
//! one committed by any instance (`LISTEN`, payload = event id), and every few
//! seconds in case an announcement was lost while the listener reconnected. It
//! always reads "everything after the last id it broadcast", so a lost wake-up
//! delays an event but never drops it.

use crate::{get, Db, DbError, Engine, ForumEvent, FORUM_CHANNEL};
use kring_domain::{CategoryId, PostId, ThreadId};
use sqlx::postgres::PgListener;
use std::time::Duration;
use tokio::sync::{broadcast, Notify, OnceCell};

/// Events buffered for connections that fall behind; one that falls further
/// catches up from the database instead.
const BUFFERED_EVENTS: usize = 4096;
/// How often the pump looks for events even without an announcement.
const SAFETY_POLL: Duration = Duration::from_secs(5);
const BATCH: i64 = 500;

pub(crate) struct LiveHub {
    sender: broadcast::Sender<ForumEvent>,
    wake: Notify,
    started: OnceCell<()>,
}

impl LiveHub {
    pub(crate) fn new() -> Self {
        LiveHub {
            sender: broadcast::channel(BUFFERED_EVENTS).0,
            wake: Notify::new(),
            started: OnceCell::new(),
        }
    }

    /// This instance committed an event.
    pub(crate) fn committed(&self) {
        self.wake.notify_one();
    }
}

impl Db {
    /// Every forum event committed after this call, by any instance, in id
    /// order. The first call starts the pump: on PostgreSQL it listens first
    /// and then reads the newest id, so every later event is either announced
    /// or already in the database when a caller reads its backlog.
    pub async fn live_events(&self) -> Result<broadcast::Receiver<ForumEvent>, DbError> {
        let receiver = self.live.sender.subscribe();
        self.live
            .started
            .get_or_try_init(|| async {
                let listener = match self.engine {
                    Engine::Postgres => self.listen().await,
                    Engine::Sqlite => None,
                };
                let last = self.latest_event_id().await?;
                tokio::spawn(self.clone().pump(last, listener));
                Ok::<_, DbError>(())
            })
            .await?;
        Ok(receiver)
    }

    async fn pump(self, mut last: i64, mut listener: Option<PgListener>) {
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

    async fn broadcast_after(&self, last: &mut i64) -> Result<(), DbError> {
        loop {
            let events = self.all_events_after(*last).await?;
            for event in &events {
                // No receivers is fine: nobody has a thread open on this instance.
                let _ = self.live.sender.send(*event);
                *last = event.id;
            }
            if (events.len() as i64) < BATCH {
                return Ok(());
            }
        }
    }

    async fn latest_event_id(&self) -> Result<i64, DbError> {
        let row = sqlx::query("SELECT COALESCE(MAX(id), 0) AS latest FROM forum_events")
            .fetch_one(&self.pool)
            .await?;
        get(&row, "latest")
    }

    async fn all_events_after(&self, after: i64) -> Result<Vec<ForumEvent>, DbError> {
        let rows = sqlx::query(
            "SELECT id, thread_id, category_id, post_id, kind FROM forum_events WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(BATCH)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }
}

pub(crate) fn event_from_row(row: &sqlx::any::AnyRow) -> Result<ForumEvent, DbError> {
    Ok(ForumEvent {
        id: get(row, "id")?,
        thread: ThreadId(get(row, "thread_id")?),
        category: CategoryId(get(row, "category_id")?),
        post: PostId(get(row, "post_id")?),
        kind: crate::forum::EventKind::parse(&get::<String>(row, "kind")?)?,
    })
}

/// The next announcement, or never when there is no listener (SQLite).
async fn next_announcement(listener: &mut Option<PgListener>) -> Result<(), sqlx::Error> {
    match listener {
        Some(listener) => listener.recv().await.map(drop),
        None => std::future::pending().await,
    }
}
