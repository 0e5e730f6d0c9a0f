//! A test that fails half-way still removes its databases.

use kring_db::testing::{postgres_admin_url, TestDatabase};
use sqlx::Connection;

#[tokio::test]
async fn a_panicking_test_leaves_no_database_behind() {
    let (urls, made) = tokio::sync::oneshot::channel();
    let test = tokio::spawn(async move {
        let sqlite = TestDatabase::sqlite().await;
        let postgres = TestDatabase::postgres().await;
        let _ = urls.send((
            sqlite.url.clone(),
            postgres.as_ref().map(|db| db.url.clone()),
        ));
        panic!("a test that fails before it finishes");
    })
    .await;
    assert!(test.unwrap_err().is_panic());
    let (sqlite_url, postgres_url) = made.await.unwrap();

    let file = sqlite_url.strip_prefix("sqlite:").unwrap();
    assert!(
        !std::path::Path::new(file).exists(),
        "{file} is left behind"
    );

    if let Some(url) = postgres_url {
        let name = url.rsplit('/').next().unwrap().to_owned();
        let mut admin = sqlx::PgConnection::connect(&postgres_admin_url())
            .await
            .unwrap();
        let left: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname = $1")
            .bind(&name)
            .fetch_one(&mut admin)
            .await
            .unwrap();
        assert_eq!(left, 0, "the database {name} is left behind");
    }
}
