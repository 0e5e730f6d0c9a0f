//! The SQLite and PostgreSQL migration trees are written twice; this keeps
//! them describing one schema.

use kring_db::testing::TestDatabase;

#[tokio::test]
async fn both_migration_trees_build_the_same_schema() {
    let sqlite = TestDatabase::sqlite().await;
    let Some(postgres) = TestDatabase::postgres().await else {
        return;
    };
    let (on_sqlite, on_postgres) = (sqlite.schema().await, postgres.schema().await);
    assert!(
        on_sqlite.iter().any(|fact| fact.starts_with("index ")),
        "the comparison sees indexes: {on_sqlite:#?}"
    );
    let only_sqlite: Vec<_> = on_sqlite.difference(&on_postgres).collect();
    let only_postgres: Vec<_> = on_postgres.difference(&on_sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the migration trees differ:\n only on SQLite: {only_sqlite:#?}\n only on PostgreSQL: {only_postgres:#?}"
    );
    sqlite.finish().await;
    postgres.finish().await;
}

/// The comparison notices a difference (so the test above can fail).
#[tokio::test]
async fn a_column_added_to_one_engine_shows_as_a_difference() {
    let sqlite = TestDatabase::sqlite().await;
    let Some(postgres) = TestDatabase::postgres().await else {
        return;
    };
    let before = postgres.schema().await;
    postgres
        .execute("ALTER TABLE users ADD COLUMN nickname TEXT")
        .await;
    let after = postgres.schema().await;
    let added: Vec<_> = after.difference(&before).collect();
    assert_eq!(added, ["users.nickname: text null"]);
    assert!(!sqlite.schema().await.contains("users.nickname: text null"));
    sqlite.finish().await;
    postgres.finish().await;
}
