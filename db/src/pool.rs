//! The connection pool and what every query needs: the engine it talks to,
//! migrations, write transactions, and reading a column.

use crate::error::DbError;
use crate::hashing::{hashing_turns, DEFAULT_HASHING_MEMORY_MIB};
use crate::hub::LiveHub;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Connection, Executor, Row, SqlSafeStr, Transaction};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::Duration;

/// Which database engine a deployment runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// What `/healthz` reports about storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    pub engine: Engine,
    pub migration_version: i64,
}

/// A connection pool with the engine it talks to.
#[derive(Clone)]
pub struct Db {
    pub(crate) pool: AnyPool,
    /// For a page's render: the one connection all its statements share (see
    /// `holding_one_connection`). `None`: each statement takes one from the pool.
    held: Option<Arc<tokio::sync::Mutex<HeldConnection>>>,
    /// A connection kept for `/healthz` alone.
    health_pool: AnyPool,
    pub(crate) engine: Engine,
    /// The URL connected to, for PostgreSQL's `LISTEN` connection.
    pub(crate) url: String,
    pub(crate) live: std::sync::Arc<LiveHub>,
    /// Turns at password hashing, each worth 19 MiB (see `passwords`).
    pub(crate) hashing: std::sync::Arc<tokio::sync::Semaphore>,
}

/// How long a pooled connection may sit unused before it is checked on its next use.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(30);

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

impl Db {
    /// Connects to `url` (`sqlite:path` or `postgres://…`). A SQLite file and
    /// its folder are created when missing.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let (engine, url) = if let Some(rest) = url.strip_prefix("sqlite:") {
            (Engine::Sqlite, sqlite_url(rest)?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Engine::Postgres, url.to_owned())
        } else {
            return Err(DbError::UnsupportedUrl);
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if engine == Engine::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            // A page runs ten statements or so, each taking a connection from the
            // pool; pinging every one first doubled the round trips. A connection
            // is checked only after sitting idle long enough for a restarted
            // database or a firewall to have dropped it.
            .test_before_acquire(false)
            .before_acquire(|connection, metadata| {
                Box::pin(async move {
                    if metadata.idle_for >= IDLE_BEFORE_PING {
                        connection.ping().await?;
                    }
                    Ok(true)
                })
            })
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        // WAL lets readers work while one writer writes; the busy
                        // timeout makes a second writer wait instead of failing.
                        connection
                            .execute(sqlx::raw_sql(
                                "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                                 PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                            ))
                            .await?;
                    } else {
                        // Kring's statements each read a page's worth of rows; a
                        // cost estimate over PostgreSQL's JIT threshold (a search
                        // across a member's many threads) would otherwise spend
                        // 30 ms and more compiling a statement that runs in 5.
                        connection.execute(sqlx::raw_sql("SET jit = off")).await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        // One connection of its own for the health check: it answers at once
        // while every other connection serves a flood.
        let health_pool = AnyPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(2))
            .connect_lazy(&url)?;
        Ok(Db {
            pool,
            held: None,
            health_pool,
            engine,
            url,
            live: std::sync::Arc::new(LiveHub::new()),
            hashing: std::sync::Arc::new(hashing_turns(DEFAULT_HASHING_MEMORY_MIB)),
        })
    }

    /// This database for one page's render: its statements share one pooled
    /// connection, taken at the first and given back when the last clone is
    /// dropped, as a web framework's request holds its connection. A
    /// statement taken from the pool costs the pool's bookkeeping and, when
    /// the connection goes back, a ping: on PostgreSQL a second round trip
    /// for every statement; on SQLite a second hand-off to its thread.
    pub fn holding_one_connection(&self) -> Db {
        Db {
            held: Some(Arc::default()),
            ..self.clone()
        }
    }

    /// The connection for the next statement: the held one, or one from the
    /// pool while the held one is busy (a statement of the page running at the
    /// same time, or a transaction) or given back: a statement never waits for
    /// the page's own connection, so none can wait for itself.
    pub(crate) async fn connection(&self) -> Result<DbConnection<'_>, DbError> {
        if let Some(mut held) = self.held.as_ref().and_then(|held| held.try_lock().ok()) {
            if matches!(*held, HeldConnection::NotYet) {
                *held = HeldConnection::Holding(self.pool.acquire().await?);
            }
            if let Ok(connection) = tokio::sync::MutexGuard::try_map(held, |held| match held {
                HeldConnection::Holding(connection) => Some(connection),
                HeldConnection::NotYet | HeldConnection::GivenBack => None,
            }) {
                return Ok(DbConnection::Held(connection));
            }
        }
        Ok(DbConnection::Pooled(self.pool.acquire().await?))
    }

    /// Ends a page's hold once it is rendered: a slow phone reading the page
    /// must not keep a connection from everyone else. A statement still
    /// running on it finishes first; any later one takes a pooled connection.
    pub async fn give_back_held_connection(&self) {
        if let Some(held) = &self.held {
            *held.lock().await = HeldConnection::GivenBack;
        }
    }

    /// Lets password hashes running at once take at most `memory_mib` MiB together.
    pub fn with_hashing_memory(mut self, memory_mib: usize) -> Db {
        self.hashing = std::sync::Arc::new(hashing_turns(memory_mib));
        self
    }

    /// Applies the checked-in migrations for this engine.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self.engine {
            Engine::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Engine::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        self.index_unindexed_texts().await?;
        self.give_handles_to_members_without_one().await
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub async fn close(&self) {
        self.pool.close().await;
        self.health_pool.close().await;
    }

    /// The engine and the newest applied migration; fails when the database is unreachable.
    pub async fn health(&self) -> Result<Health, DbError> {
        let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS version FROM _sqlx_migrations")
            .fetch_one(&self.health_pool)
            .await?;
        Ok(Health {
            engine: self.engine,
            migration_version: row.try_get("version")?,
        })
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock
    /// up front (`BEGIN IMMEDIATE`), so a transaction that reads before it writes
    /// can never fail with "database is locked" when it upgrades.
    /// A render that holds a connection writes on it when it is free (and
    /// takes one anew afterwards), so it does not hold two.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Any>, DbError> {
        let held = self
            .held
            .as_ref()
            .and_then(|held| held.try_lock().ok())
            .and_then(|mut held| held.take());
        let connection = match held {
            Some(connection) => connection,
            None => self.pool.acquire().await?,
        };
        let begin = match self.engine {
            Engine::Sqlite => Some("BEGIN IMMEDIATE".into_sql_str()),
            Engine::Postgres => None,
        };
        Ok(Transaction::begin(connection, begin).await?)
    }
}

/// What a page's render holds (see `Db::holding_one_connection`).
#[derive(Default)]
enum HeldConnection {
    /// Taken from the pool at the page's first statement.
    #[default]
    NotYet,
    Holding(PoolConnection<Any>),
    /// The page is rendered: its connection is back in the pool for good.
    GivenBack,
}

impl HeldConnection {
    /// The connection for a write transaction; a later statement takes a new one.
    fn take(&mut self) -> Option<PoolConnection<Any>> {
        match std::mem::take(self) {
            HeldConnection::Holding(connection) => Some(connection),
            other => {
                *self = other;
                None
            }
        }
    }
}

/// A connection a statement runs on (see `Db::connection`).
pub(crate) enum DbConnection<'held> {
    Pooled(PoolConnection<Any>),
    Held(tokio::sync::MappedMutexGuard<'held, PoolConnection<Any>>),
}

impl Deref for DbConnection<'_> {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        match self {
            DbConnection::Pooled(connection) => connection,
            DbConnection::Held(connection) => connection,
        }
    }
}

impl DerefMut for DbConnection<'_> {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self {
            DbConnection::Pooled(connection) => connection,
            DbConnection::Held(connection) => connection,
        }
    }
}

fn sqlite_url(rest: &str) -> Result<String, DbError> {
    let path = rest.trim_start_matches("//");
    let file = path.split('?').next().unwrap_or_default();
    if file.is_empty() || file == ":memory:" {
        return Err(DbError::UnsupportedUrl);
    }
    if let Some(parent) = std::path::Path::new(file)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(DbError::Io)?;
    }
    let separator = if path.contains('?') { '&' } else { '?' };
    Ok(if path.contains("mode=") {
        format!("sqlite:{path}")
    } else {
        format!("sqlite:{path}{separator}mode=rwc")
    })
}

/// The SHA-256 of `text` in hex: how tokens and counted identities are stored.
pub(crate) fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Now, in UTC unix seconds: the unit every instant is stored in.
pub fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

pub(crate) fn get<T>(row: &AnyRow, column: &str) -> Result<T, DbError>
where
    T: for<'r> sqlx::Decode<'r, Any> + sqlx::Type<Any>,
{
    Ok(row.try_get(column)?)
}

/// Ids for an SQL `IN (…)` list, written into the statement: both engines
/// take a list of numbers there, and numbers cannot carry SQL.
pub(crate) fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `NotFound` when an update touched no row.
pub(crate) fn found(changed: u64) -> Result<(), DbError> {
    if changed == 0 {
        Err(DbError::NotFound)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_gain_create_mode_and_keep_options() {
        let dir = std::env::temp_dir().join(format!("kring-url-{}", std::process::id()));
        let file = dir.join("x.sqlite");
        let url = sqlite_url(file.to_str().unwrap()).unwrap();
        assert_eq!(url, format!("sqlite:{}?mode=rwc", file.display()));
        assert!(dir.exists(), "the folder is created");
        let url = sqlite_url(&format!("{}?mode=ro", file.display())).unwrap();
        assert!(url.ends_with("?mode=ro"));
        assert!(sqlite_url(":memory:").is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// A temporary table lives on the connection that made it: whether a
    /// statement sees `page_marker` tells which connection it ran on.
    async fn sees_marker(connection: &mut AnyConnection) -> bool {
        sqlx::query("SELECT COUNT(*) FROM page_marker")
            .fetch_one(connection)
            .await
            .is_ok()
    }

    async fn a_page_shares_one_connection_and_never_waits_for_it(db: &Db) {
        let page = db.holding_one_connection();
        sqlx::raw_sql("CREATE TEMPORARY TABLE page_marker (x INTEGER)")
            .execute(&mut *page.connection().await.unwrap())
            .await
            .unwrap();
        for _ in 0..3 {
            assert!(sees_marker(&mut page.connection().await.unwrap()).await);
        }
        assert!(sees_marker(&mut page.clone().connection().await.unwrap()).await);

        // Busy with one statement, the page runs another on a pooled connection.
        let busy = page.connection().await.unwrap();
        let mut other = page.connection().await.unwrap();
        assert!(matches!(other, DbConnection::Pooled(_)));
        assert!(!sees_marker(&mut other).await);
        drop(other);
        // So does a write that starts meanwhile.
        let mut write = page.begin_write().await.unwrap();
        assert!(!sees_marker(&mut write).await);
        write.rollback().await.unwrap();
        drop(busy);

        // A write on a free page runs on its connection, which goes back to
        // the pool with the transaction; the page then takes another.
        let mut write = page.begin_write().await.unwrap();
        assert!(sees_marker(&mut write).await);
        write.commit().await.unwrap();
        assert!(matches!(
            page.connection().await.unwrap(),
            DbConnection::Held(_)
        ));

        // Rendered, the page gives its connection back while a slow reader is
        // still being sent it; statements after that take pooled ones.
        page.give_back_held_connection().await;
        all_connections_are_back(db).await;
        assert!(matches!(
            page.connection().await.unwrap(),
            DbConnection::Pooled(_)
        ));
        page.begin_write().await.unwrap().commit().await.unwrap();
        assert!(matches!(
            page.connection().await.unwrap(),
            DbConnection::Pooled(_)
        ));
        all_connections_are_back(db).await;
        drop(page);

        // Dropped without giving back (a page that failed), it goes back too.
        let page = db.holding_one_connection();
        assert!(matches!(
            page.connection().await.unwrap(),
            DbConnection::Held(_)
        ));
        drop(page);
        all_connections_are_back(db).await;
    }

    /// A connection returns to the pool in the background.
    async fn all_connections_are_back(db: &Db) {
        for _ in 0..100 {
            if db.pool.num_idle() == db.pool.size() as usize {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!(
            "{} of {} connections are back",
            db.pool.num_idle(),
            db.pool.size()
        );
    }

    #[tokio::test]
    async fn a_page_shares_one_connection_on_sqlite() {
        let test = crate::testing::TestDatabase::sqlite().await;
        a_page_shares_one_connection_and_never_waits_for_it(&test.db).await;
        test.finish().await;
    }

    #[tokio::test]
    async fn a_page_shares_one_connection_on_postgresql() {
        let Some(test) = crate::testing::TestDatabase::postgres().await else {
            return;
        };
        a_page_shares_one_connection_and_never_waits_for_it(&test.db).await;
        test.finish().await;
    }
}
