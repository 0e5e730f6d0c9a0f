//! Fresh, real databases for tests: a new SQLite file, or a new PostgreSQL
//! database created on the server named by `KRING_TEST_POSTGRES_URL` and dropped afterwards.

use crate::{Db, Engine};
use sqlx::{Connection, Executor};
use std::sync::atomic::{AtomicU32, Ordering};

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A migrated database that exists only for one test.
pub struct TestDatabase {
    pub db: Db,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

fn unique_name() -> String {
    format!(
        "kring_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        crate::now()
    )
}

impl TestDatabase {
    pub async fn sqlite() -> TestDatabase {
        let path = std::env::temp_dir()
            .join("kring-tests")
            .join(format!("{}.sqlite", unique_name()));
        let url = format!("sqlite:{}", path.display());
        let db = Db::connect(&url)
            .await
            .expect("a SQLite file can be created");
        db.migrate().await.expect("migrations apply on SQLite");
        TestDatabase {
            db,
            url,
            cleanup: Cleanup::File(path),
        }
    }

    /// A fresh PostgreSQL database, or `None` when `KRING_SKIP_POSTGRES=1` and none is reachable.
    pub async fn postgres() -> Option<TestDatabase> {
        let admin_url = std::env::var("KRING_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
        let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
            Ok(connection) => connection,
            Err(error) if std::env::var("KRING_SKIP_POSTGRES").as_deref() == Ok("1") => {
                eprintln!("!!! PostgreSQL at {admin_url} is unreachable ({error}); skipped because KRING_SKIP_POSTGRES=1");
                return None;
            }
            Err(error) => panic!(
                "\n\n!!! PostgreSQL at {admin_url} is unreachable: {error}\n!!! Start it, point KRING_TEST_POSTGRES_URL \
                 at one, or set KRING_SKIP_POSTGRES=1 to skip the PostgreSQL tests.\n\n"
            ),
        };
        let name = unique_name();
        admin
            .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await
            .expect("a test database can be created");
        admin.close().await.ok();
        let url = match admin_url.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("KRING_TEST_POSTGRES_URL must name a database"),
        };
        let db = Db::connect(&url)
            .await
            .expect("the new test database accepts connections");
        db.migrate().await.expect("migrations apply on PostgreSQL");
        Some(TestDatabase {
            db,
            url,
            cleanup: Cleanup::Postgres { admin_url, name },
        })
    }

    pub fn engine(&self) -> Engine {
        self.db.engine()
    }

    /// Every row of every table, as text, in a stable order: equal before and
    /// after anything that must not write.
    pub async fn contents(&self) -> Vec<String> {
        use sqlx::Row;
        let pool = &self.db.pool;
        let tables: Vec<String> = match self.engine() {
            Engine::Sqlite => sqlx::query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            ),
            Engine::Postgres => sqlx::query(
                "SELECT CAST(tablename AS TEXT) AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
            ),
        }
        .fetch_all(pool)
        .await
        .expect("the tables can be listed")
        .iter()
        .map(|row| row.get::<String, _>("name"))
        .collect();
        let mut contents = Vec::new();
        for table in tables {
            let select = match self.engine() {
                Engine::Sqlite => {
                    let columns: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "SELECT name FROM pragma_table_info('{table}')"
                    )))
                    .fetch_all(pool)
                    .await
                    .expect("the columns can be listed")
                    .iter()
                    .map(|row| format!("quote(\"{}\")", row.get::<String, _>("name")))
                    .collect();
                    format!(
                        "SELECT {} AS line FROM \"{table}\"",
                        columns.join(" || ',' || ")
                    )
                }
                Engine::Postgres => format!("SELECT CAST(t AS TEXT) AS line FROM \"{table}\" t"),
            };
            let mut lines: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(select))
                .fetch_all(pool)
                .await
                .expect("a table can be read")
                .iter()
                .map(|row| format!("{table}: {}", row.get::<String, _>("line")))
                .collect();
            lines.sort();
            contents.extend(lines);
        }
        contents
    }

    /// Closes the pool and removes the database.
    pub async fn finish(self) {
        self.db.close().await;
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = admin
                        .execute(sqlx::AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                        )))
                        .await;
                    let _ = admin.close().await;
                }
            }
        }
    }
}

/// Runs `test` against a fresh SQLite database and a fresh PostgreSQL database in turn.
#[macro_export]
macro_rules! on_both_engines {
    ($test:expr) => {{
        let sqlite = $crate::testing::TestDatabase::sqlite().await;
        $test(&sqlite).await;
        sqlite.finish().await;
        if let Some(postgres) = $crate::testing::TestDatabase::postgres().await {
            $test(&postgres).await;
            postgres.finish().await;
        }
    }};
}
