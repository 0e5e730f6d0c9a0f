//! Fresh, real databases for tests: a new SQLite file, or a new PostgreSQL
//! database created on the server named by `KRING_TEST_POSTGRES_URL`. Either is
//! removed when the test's `TestDatabase` goes away, also when the test panics.

use crate::pool::{Db, Engine};
use sqlx::{Connection, Executor};
use std::sync::atomic::{AtomicU32, Ordering};

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A migrated database that exists only for one test: dropping it removes the database.
pub struct TestDatabase {
    pub db: Db,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

/// The PostgreSQL server's maintenance database, where test databases are made.
pub fn postgres_admin_url() -> String {
    std::env::var("KRING_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

fn unique_name() -> String {
    format!(
        "kring_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        crate::pool::now()
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
        let admin_url = postgres_admin_url();
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

    /// Every column that refers to a person by id, found from the schema (the
    /// foreign keys to `users`, columns named `user_id`, and `users.id`
    /// itself), with how many rows hold `user` there: "table.column: count",
    /// only where some do.
    pub async fn rows_referring_to(&self, user: i64) -> Vec<String> {
        use sqlx::Row;
        let pool = &self.db.pool;
        let columns_query = match self.engine() {
            Engine::Sqlite => {
                "SELECT m.name AS t, f.\"from\" AS c FROM sqlite_master m, pragma_foreign_key_list(m.name) f \
                 WHERE m.type = 'table' AND f.\"table\" = 'users' \
                 UNION SELECT m.name AS t, i.name AS c FROM sqlite_master m, pragma_table_info(m.name) i \
                 WHERE m.type = 'table' AND i.name = 'user_id'"
            }
            Engine::Postgres => {
                "SELECT CAST(kcu.table_name AS TEXT) AS t, CAST(kcu.column_name AS TEXT) AS c \
                 FROM information_schema.table_constraints tc \
                 JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name \
                   AND kcu.table_schema = tc.table_schema \
                 JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name \
                   AND ccu.table_schema = tc.table_schema \
                 WHERE tc.constraint_type = 'FOREIGN KEY' AND ccu.table_name = 'users' AND tc.table_schema = 'public' \
                 UNION SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c \
                 FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'user_id'"
            }
        };
        let mut columns: Vec<(String, String)> = sqlx::query(columns_query)
            .fetch_all(pool)
            .await
            .expect("the columns referring to people can be listed")
            .iter()
            .map(|row| (row.get::<String, _>("t"), row.get::<String, _>("c")))
            .collect();
        columns.push(("users".to_owned(), "id".to_owned()));
        columns.sort();
        columns.dedup();
        assert!(
            columns.len() > 20,
            "the schema's references were found: {columns:?}"
        );
        let mut found = Vec::new();
        for (table, column) in columns {
            let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) AS n FROM \"{table}\" WHERE \"{column}\" = $1"
            )))
            .bind(user)
            .fetch_one(pool)
            .await
            .expect("a column can be searched");
            let count: i64 = row.get("n");
            if count > 0 {
                found.push(format!("{table}.{column}: {count}"));
            }
        }
        found
    }

    /// Runs one statement that a test needs and no query of Kring's makes.
    pub async fn execute(&self, statement: &str) {
        sqlx::query(sqlx::AssertSqlSafe(statement.to_owned()))
            .execute(&self.db.pool)
            .await
            .expect("the test's statement runs");
    }

    /// PostgreSQL only: the plans that read a table from end to end among the
    /// SELECT `statements` (as Kring sent them, with `$n` parameters), each as
    /// the statement and its plan. Every statement is planned as a generic
    /// plan (its parameters unknown, as for any reader) with sequential scans
    /// ruled out, so one is left only where no index can serve, and an index
    /// walked without a condition reads the whole table too. Tables in `small`
    /// (a handful of rows by nature) may be read whole.
    pub async fn unindexed_reads(&self, statements: &[String], small: &[&str]) -> Vec<String> {
        self.generic_plans(statements, &["SET enable_seqscan = off"])
            .await
            .into_iter()
            .filter(|(_, plan)| {
                whole_reads(plan)
                    .iter()
                    .any(|table| !small.contains(&table.as_str()))
            })
            .map(|(statement, plan)| format!("{statement}\n{}", plan.join("\n")))
            .collect()
    }

    /// PostgreSQL only: the plans among the SELECT `statements` that read one of
    /// `large` from end to end as the planner chooses by itself, from the
    /// statistics it has (generic plans, nothing ruled out).
    pub async fn whole_reads_as_planned(
        &self,
        statements: &[String],
        large: &[&str],
    ) -> Vec<String> {
        self.generic_plans(statements, &[])
            .await
            .into_iter()
            .filter(|(_, plan)| {
                whole_reads(plan)
                    .iter()
                    .any(|table| large.contains(&table.as_str()))
            })
            .map(|(statement, plan)| format!("{statement}\n{}", plan.join("\n")))
            .collect()
    }

    /// Each of `statements` with its generic plan (its parameters unknown, as
    /// for any reader), planned after `settings`.
    async fn generic_plans(
        &self,
        statements: &[String],
        settings: &[&str],
    ) -> Vec<(String, Vec<String>)> {
        use sqlx::Row;
        assert_eq!(
            self.engine(),
            Engine::Postgres,
            "plans are read on PostgreSQL"
        );
        let mut connection = self.db.pool.acquire().await.expect("a connection");
        for setting in settings
            .iter()
            .chain(&["SET plan_cache_mode = force_generic_plan"])
        {
            sqlx::raw_sql(sqlx::AssertSqlSafe(setting.to_string()))
                .execute(&mut *connection)
                .await
                .expect("the planner takes the setting");
        }
        let mut plans = Vec::new();
        for (number, statement) in statements.iter().enumerate() {
            let name = format!("planned_{number}");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "PREPARE {name} AS {statement}"
            )))
            .execute(&mut *connection)
            .await
            .unwrap_or_else(|error| panic!("{error}: {statement}"));
            let types: String = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "SELECT CAST(parameter_types AS TEXT) FROM pg_prepared_statements WHERE name = '{name}'"
            )))
            .fetch_one(&mut *connection)
            .await
            .expect("the statement is prepared")
            .get(0);
            // Any value of the right type: a generic plan does not look at it.
            let values: Vec<&str> = types
                .trim_matches(['{', '}'])
                .split(',')
                .filter(|kind| !kind.is_empty())
                .map(|kind| match kind {
                    "bigint" | "integer" | "smallint" | "numeric" | "\"double precision\"" => "1",
                    "boolean" => "false",
                    "regconfig" => "'simple'",
                    "text" | "\"character varying\"" => "'x'",
                    _ => "NULL",
                })
                .collect();
            let execute = if values.is_empty() {
                format!("EXPLAIN EXECUTE {name}")
            } else {
                format!("EXPLAIN EXECUTE {name}({})", values.join(", "))
            };
            let plan: Vec<String> = sqlx::raw_sql(sqlx::AssertSqlSafe(execute))
                .fetch_all(&mut *connection)
                .await
                .unwrap_or_else(|error| panic!("{error}: {statement}"))
                .iter()
                .map(|row| row.get::<String, _>(0))
                .collect();
            plans.push((statement.clone(), plan));
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DEALLOCATE {name}")))
                .execute(&mut *connection)
                .await
                .expect("the statement is dropped");
        }
        // The connection goes back to the pool: its settings must not outlive the question.
        sqlx::raw_sql("RESET ALL")
            .execute(&mut *connection)
            .await
            .expect("the settings are reset");
        plans
    }

    /// The schema the migrations built, one fact per line in words both
    /// engines share: tables, columns (kind of type, nullability, default),
    /// primary, unique and foreign keys, indexes and how many checks a table
    /// has. Full-text search is each engine's own (an FTS5 table on SQLite, a
    /// `tsvector` column and its index on PostgreSQL) and is left out.
    pub async fn schema(&self) -> std::collections::BTreeSet<String> {
        match self.engine() {
            Engine::Sqlite => self.sqlite_schema().await,
            Engine::Postgres => self.postgres_schema().await,
        }
    }

    async fn lines(&self, query: String) -> Vec<Vec<String>> {
        use sqlx::Row;
        sqlx::query(sqlx::AssertSqlSafe(query))
            .fetch_all(&self.db.pool)
            .await
            .expect("the schema can be read")
            .iter()
            .map(|row| {
                (0..row.len())
                    .map(|column| row.get::<Option<String>, _>(column).unwrap_or_default())
                    .collect()
            })
            .collect()
    }

    async fn sqlite_schema(&self) -> std::collections::BTreeSet<String> {
        let mut facts = std::collections::BTreeSet::new();
        let tables = self
            .lines(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_sqlx%' ESCAPE '\\' \
                 AND name NOT LIKE 'unit_search%' AND name NOT LIKE 'post_search%' ORDER BY name"
                    .to_owned(),
            )
            .await;
        for table in &tables {
            let (name, sql) = (&table[0], table[1].to_uppercase());
            facts.insert(format!("table {name}"));
            let checks = sql.matches("CHECK (").count() + sql.matches("CHECK(").count();
            facts.insert(format!("{name}: {checks} checks"));
            let columns = self
                .lines(format!(
                    "SELECT name, type, CAST(\"notnull\" AS TEXT), dflt_value, CAST(pk AS TEXT) \
                     FROM pragma_table_info('{name}') ORDER BY pk, cid"
                ))
                .await;
            let key: Vec<&str> = columns
                .iter()
                .filter(|column| column[4] != "0")
                .map(|column| column[0].as_str())
                .collect();
            for column in &columns {
                let in_key = column[4] != "0";
                let generated = in_key
                    && key.len() == 1
                    && column[1] == "INTEGER"
                    && sql.contains("AUTOINCREMENT");
                facts.insert(column_fact(
                    name,
                    &column[0],
                    &column[1],
                    column[2] == "1" || in_key,
                    &column[3],
                    generated,
                ));
            }
            facts.insert(format!("{name}: primary key ({})", key.join(", ")));
            for index in self
                .lines(format!(
                    "SELECT name, CAST(\"unique\" AS TEXT), origin, CAST(partial AS TEXT) \
                     FROM pragma_index_list('{name}')"
                ))
                .await
            {
                let columns: Vec<String> = self
                    .lines(format!(
                        "SELECT COALESCE(name, '(expression)') FROM pragma_index_info('{}') ORDER BY seqno",
                        index[0]
                    ))
                    .await
                    .into_iter()
                    .map(|mut column| column.remove(0))
                    .collect();
                match index[2].as_str() {
                    "pk" => {}
                    "u" => {
                        facts.insert(format!("{name}: unique ({})", columns.join(", ")));
                    }
                    _ => {
                        facts.insert(index_fact(
                            &index[0],
                            name,
                            &columns,
                            index[1] == "1",
                            index[3] == "1",
                        ));
                    }
                }
            }
            let mut foreign_keys: std::collections::BTreeMap<String, [Vec<String>; 2]> =
                Default::default();
            let mut targets = std::collections::BTreeMap::new();
            for reference in self
                .lines(format!(
                    "SELECT CAST(id AS TEXT), \"table\", \"from\", COALESCE(\"to\", ''), on_delete \
                     FROM pragma_foreign_key_list('{name}') ORDER BY id, seq"
                ))
                .await
            {
                let columns = foreign_keys.entry(reference[0].clone()).or_default();
                columns[0].push(reference[2].clone());
                columns[1].push(reference[3].clone());
                targets.insert(
                    reference[0].clone(),
                    (reference[1].clone(), reference[4].clone()),
                );
            }
            for (id, [from, to]) in foreign_keys {
                let (target, on_delete) = &targets[&id];
                facts.insert(foreign_key_fact(name, &from, target, &to, on_delete));
            }
        }
        facts
    }

    async fn postgres_schema(&self) -> std::collections::BTreeSet<String> {
        let mut facts = std::collections::BTreeSet::new();
        let own = "n.nspname = 'public' AND t.relname <> '_sqlx_migrations'";
        for table in self
            .lines(format!(
                "SELECT CAST(t.relname AS TEXT), \
                 CAST((SELECT count(*) FROM pg_constraint c WHERE c.conrelid = t.oid AND c.contype = 'c') AS TEXT) \
                 FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace \
                 WHERE t.relkind = 'r' AND {own}"
            ))
            .await
        {
            facts.insert(format!("table {}", table[0]));
            facts.insert(format!("{}: {} checks", table[0], table[1]));
        }
        for column in self
            .lines(
                "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT), CAST(data_type AS TEXT), \
                 CAST(is_nullable AS TEXT), CAST(column_default AS TEXT), CAST(is_identity AS TEXT) \
                 FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations' \
                 AND data_type <> 'tsvector'"
                    .to_owned(),
            )
            .await
        {
            // PostgreSQL writes a default with its type (`'open'::text`).
            let default = match column[4].split_once("::") {
                Some((value, _)) => value,
                None => &column[4],
            };
            facts.insert(column_fact(
                &column[0],
                &column[1],
                &column[2],
                column[3] == "NO",
                default,
                column[5] == "YES",
            ));
        }
        let column_names = |keys: &str, relation: &str| {
            format!(
                "COALESCE((SELECT string_agg(COALESCE(CAST(a.attname AS TEXT), '(expression)'), ',' ORDER BY k.position) \
                 FROM unnest(CAST({keys} AS INT2[])) WITH ORDINALITY AS k(number, position) \
                 LEFT JOIN pg_attribute a ON a.attrelid = {relation} AND a.attnum = k.number), '')"
            )
        };
        for constraint in self
            .lines(format!(
                "SELECT CAST(t.relname AS TEXT), CAST(c.contype AS TEXT), {}, \
                 COALESCE(CAST(target.relname AS TEXT), ''), {}, CAST(c.confdeltype AS TEXT) \
                 FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
                 JOIN pg_namespace n ON n.oid = t.relnamespace \
                 LEFT JOIN pg_class target ON target.oid = c.confrelid \
                 WHERE c.contype IN ('p', 'u', 'f') AND {own}",
                column_names("c.conkey", "c.conrelid"),
                column_names("c.confkey", "c.confrelid"),
            ))
            .await
        {
            let table = &constraint[0];
            let columns = constraint[2].replace(',', ", ");
            match constraint[1].as_str() {
                "p" => facts.insert(format!("{table}: primary key ({columns})")),
                "u" => facts.insert(format!("{table}: unique ({columns})")),
                _ => {
                    let on_delete = match constraint[5].as_str() {
                        "c" => "CASCADE",
                        "n" => "SET NULL",
                        "d" => "SET DEFAULT",
                        "r" => "RESTRICT",
                        _ => "NO ACTION",
                    };
                    let from: Vec<String> = constraint[2].split(',').map(str::to_owned).collect();
                    let to: Vec<String> = constraint[4].split(',').map(str::to_owned).collect();
                    facts.insert(foreign_key_fact(
                        table,
                        &from,
                        &constraint[3],
                        &to,
                        on_delete,
                    ))
                }
            };
        }
        for index in self
            .lines(format!(
                "SELECT CAST(i.relname AS TEXT), CAST(t.relname AS TEXT), {}, \
                 CASE WHEN x.indisunique THEN '1' ELSE '0' END, \
                 CASE WHEN x.indpred IS NULL THEN '0' ELSE '1' END \
                 FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
                 JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
                 WHERE {own} AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) \
                 AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid \
                     AND a.attnum = ANY (CAST(x.indkey AS INT2[])) AND a.atttypid = CAST('tsvector' AS regtype))",
                column_names("x.indkey", "x.indrelid"),
            ))
            .await
        {
            let columns: Vec<String> = index[2].split(',').map(str::to_owned).collect();
            facts.insert(index_fact(&index[0], &index[1], &columns, index[3] == "1", index[4] == "1"));
        }
        facts
    }

    /// Closes the pool, then removes the database.
    pub async fn finish(self) {
        self.db.close().await;
    }
}

impl Drop for TestDatabase {
    /// Runs on panics too, so a failing test leaves no database behind. The
    /// pool may still be open here: SQLite files are unlinked anyway, and
    /// PostgreSQL's `WITH (FORCE)` ends the database's connections.
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                let drop_database = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                let admin_url = admin_url.clone();
                // `drop` cannot await, and may run on the test's own runtime
                // (which must not be blocked from inside): a runtime of its own
                // on a thread of its own does the work.
                let dropping = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("a runtime for dropping the test database");
                    runtime.block_on(async {
                        let mut admin = sqlx::PgConnection::connect(&admin_url).await?;
                        admin.execute(sqlx::AssertSqlSafe(drop_database)).await?;
                        admin.close().await
                    })
                });
                if let Ok(Err(error)) = dropping.join() {
                    eprintln!("!!! the test database {name} could not be dropped: {error}");
                }
            }
        }
    }
}

/// The tables a PostgreSQL plan reads whole: by a sequential scan, or along
/// an index with no condition on it (a filter then looks at every row).
fn whole_reads(plan: &[String]) -> Vec<String> {
    let table_after = |line: &str, marker: &str| {
        line.split(marker)
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .map(str::to_owned)
    };
    let mut tables = Vec::new();
    for (at, line) in plan.iter().enumerate() {
        if let Some(table) = table_after(line, "Seq Scan on ") {
            tables.push(table);
        } else if line.contains("Index Scan") || line.contains("Index Only Scan") {
            // The node's details run until the next node (`->`).
            let conditioned = plan[at + 1..]
                .iter()
                .take_while(|detail| !detail.contains("->"))
                .any(|detail| detail.contains("Index Cond:"));
            if !conditioned {
                tables.extend(table_after(line, " on "));
            }
        }
    }
    tables
}

/// A column as both engines describe it: integer types are one kind (SQLite
/// stores every integer in up to eight bytes), as are a generated key
/// (`AUTOINCREMENT`, `GENERATED ALWAYS AS IDENTITY`).
fn column_fact(
    table: &str,
    column: &str,
    declared_type: &str,
    not_null: bool,
    default: &str,
    generated: bool,
) -> String {
    let declared_type = declared_type.to_lowercase();
    let kind = if declared_type.contains("int") {
        "integer"
    } else if declared_type == "text" || declared_type.contains("char") {
        "text"
    } else if declared_type == "real" || declared_type.contains("double") {
        "real"
    } else if declared_type == "blob" || declared_type == "bytea" {
        "bytes"
    } else {
        declared_type.as_str()
    };
    let null = if not_null { "not null" } else { "null" };
    let default = match (generated, default) {
        (true, _) => " generated".to_owned(),
        (false, "") => String::new(),
        (false, value) => format!(" default {value}"),
    };
    format!("{table}.{column}: {kind} {null}{default}")
}

fn index_fact(name: &str, table: &str, columns: &[String], unique: bool, partial: bool) -> String {
    format!(
        "index {name} on {table} ({}){}{}",
        columns.join(", "),
        if unique { " unique" } else { "" },
        if partial { " partial" } else { "" }
    )
}

fn foreign_key_fact(
    table: &str,
    from: &[String],
    target: &str,
    to: &[String],
    on_delete: &str,
) -> String {
    format!(
        "{table}: ({}) references {target} ({}) on delete {}",
        from.join(", "),
        to.join(", "),
        on_delete.to_lowercase()
    )
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
