//! Every member's @handle: from their name (`handle_candidates`), unique,
//! given when the account is made and, for accounts from before handles, at
//! start-up.

use crate::error::DbError;
use crate::pool::{get, Db};
use kring_domain::{handle_candidates, DisplayName};
use sqlx::{Any, Transaction};

/// The first of `name`'s handles nobody has, else the first one numbered
/// (`lucia2`, `lucia3`…). Run in the transaction that stores it; the unique
/// index refuses a handle taken meanwhile.
pub(crate) async fn free_handle(
    transaction: &mut Transaction<'static, Any>,
    name: &DisplayName,
) -> Result<String, DbError> {
    let candidates = handle_candidates(name);
    let first = &candidates[0];
    let rows =
        sqlx::query("SELECT handle FROM users WHERE SUBSTR(handle, 1, CAST($2 AS INTEGER)) = $1")
            .bind(first.as_str())
            .bind(first.chars().count() as i64)
            .fetch_all(&mut **transaction)
            .await?;
    let taken: Vec<String> = rows
        .iter()
        .map(|row| get::<String>(row, "handle"))
        .collect::<Result<_, _>>()?;
    let free = candidates
        .iter()
        .cloned()
        .chain((2..).map(|number| format!("{first}{number}")))
        .find(|handle| !taken.contains(handle))
        .expect("the numbered handles never run out");
    Ok(free)
}

/// Whether storing a user failed because another took the same handle meanwhile.
pub(crate) fn is_handle_taken(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(error) if error.is_unique_violation() => {
            error
                .constraint()
                .is_some_and(|name| name.contains("handle"))
                || error.message().contains("handle")
        }
        _ => false,
    }
}

impl Db {
    /// Gives a handle to every member who has none (accounts from before
    /// handles). Two instances starting at once may race for one: the loser
    /// tries again with what the winner left.
    pub(crate) async fn give_handles_to_members_without_one(&self) -> Result<(), DbError> {
        let rows =
            sqlx::query("SELECT id, display_name FROM users WHERE handle IS NULL ORDER BY id")
                .fetch_all(&mut *self.connection().await?)
                .await?;
        for row in rows {
            let id: i64 = get(&row, "id")?;
            let name = DisplayName::parse(&get::<String>(&row, "display_name")?)?;
            loop {
                let mut transaction = self.begin_write().await?;
                let handle = free_handle(&mut transaction, &name).await?;
                let stored =
                    sqlx::query("UPDATE users SET handle = $1 WHERE id = $2 AND handle IS NULL")
                        .bind(handle)
                        .bind(id)
                        .execute(&mut *transaction)
                        .await;
                match stored {
                    Ok(_) => {
                        transaction.commit().await?;
                        break;
                    }
                    Err(error) if is_handle_taken(&error) => continue,
                    Err(error) => return Err(error.into()),
                }
            }
        }
        Ok(())
    }
}
