//! Erasing an account (GDPR's right to erasure), in one transaction: the
//! person's profile, address, sign-ins, drafts, links and notifications go;
//! their posts and unit revisions stay for the cohort as "Former member"
//! (the foreign keys set their author to NULL); case threads they started go
//! unless a facilitator kept them. What the audit log keeps is one entry:
//! that account number N was erased, when, and by whom.

use crate::audit::{record_in, AuditAction, NewAudit};
use crate::error::DbError;
use crate::pool::{get, Db, Engine};
use crate::registrations::cancel_in;
use kring_domain::{DomainError, RegistrationId, Role, SessionId, UserId};

/// What replaces their name in mail already written to others.
const FORMER_MEMBER: &str = "Former member";

fn row_lock(engine: Engine) -> &'static str {
    match engine {
        Engine::Postgres => " FOR UPDATE",
        Engine::Sqlite => "",
    }
}

/// Refuses to let `leaving` stop being an admin (erased, or given another
/// role) when no other admin would remain. Locks every admin row, in order,
/// before anything else, so two admins leaving at once cannot both pass and
/// never wait on each other in a circle (SQLite's write lock serialises anyway).
pub(crate) async fn keep_an_admin(
    transaction: &mut sqlx::Transaction<'static, sqlx::Any>,
    engine: Engine,
    leaving: UserId,
) -> Result<(), DbError> {
    let admins = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM users WHERE role = 'admin' ORDER BY id{}",
        row_lock(engine)
    )))
    .fetch_all(&mut **transaction)
    .await?;
    let ids: Vec<i64> = admins
        .iter()
        .map(|row| get::<i64>(row, "id"))
        .collect::<Result<_, _>>()?;
    if ids.contains(&leaving.0) && ids.len() <= 1 {
        return Err(DbError::Refused(DomainError::LastAdmin));
    }
    Ok(())
}

/// `text` as a LIKE pattern matching itself anywhere (`\` escapes).
fn containing(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

impl Db {
    /// Erases `user`'s account; `by` is the admin who did it on request, or
    /// none when the person did it themselves. The only admin cannot be
    /// erased. Returns the waitlisted registrations that took the seats
    /// the person held, so that they can be told.
    pub async fn erase_account(
        &self,
        user: UserId,
        by: Option<(UserId, Role)>,
    ) -> Result<Vec<RegistrationId>, DbError> {
        let mut transaction = self.begin_write().await?;
        keep_an_admin(&mut transaction, self.engine(), user).await?;
        let person = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT email, display_name FROM users WHERE id = $1{}",
            row_lock(self.engine())
        )))
        .bind(user.0)
        .fetch_optional(&mut *transaction)
        .await?
        .ok_or(DbError::NotFound)?;
        let email = get::<String>(&person, "email")?.to_lowercase();
        let name: String = get(&person, "display_name")?;
        // Every address they had: the current one, one being confirmed, and
        // those their invitations were mailed to.
        let mut addresses = vec![email.clone()];
        for row in sqlx::query(
            "SELECT email FROM email_verifications WHERE user_id = $1 \
             UNION SELECT email FROM invitations WHERE accepted_by = $1 AND email IS NOT NULL",
        )
        .bind(user.0)
        .fetch_all(&mut *transaction)
        .await?
        {
            let address = get::<String>(&row, "email")?.to_lowercase();
            if !addresses.contains(&address) {
                addresses.push(address);
            }
        }

        // Places they held: a circle's count, a session's seat.
        crate::circles::give_back_places(&mut transaction, user, None).await?;
        let mut promoted = Vec::new();
        for address in &addresses {
            // One seat at a time, read afresh: giving one back may have moved
            // another of theirs up from the waitlist.
            while let Some(seat) = sqlx::query(
                "SELECT id, session_id, status FROM registrations \
                 WHERE (user_id = $1 OR LOWER(guest_email) = $2) AND status <> 'cancelled' \
                 ORDER BY id LIMIT 1",
            )
            .bind(user.0)
            .bind(address)
            .fetch_optional(&mut *transaction)
            .await?
            {
                let session = SessionId(get(&seat, "session_id")?);
                let status: String = get(&seat, "status")?;
                if let Some(next) =
                    cancel_in(&mut transaction, session, get(&seat, "id")?, &status).await?
                {
                    promoted.push(next);
                }
            }
        }

        // Case threads they started, unless kept for the cohort.
        sqlx::query("DELETE FROM forum_threads WHERE author_id = $1 AND is_case = 1 AND kept_for_cohort = 0")
            .bind(user.0)
            .execute(&mut *transaction)
            .await?;

        // What holds their address or name as text rather than by reference.
        // Mail to them goes; mail to others keeps its words but not their
        // name or address (the exact text, the same on both engines).
        for address in &addresses {
            for statement in [
                "DELETE FROM outbox WHERE LOWER(recipient) = $1",
                "DELETE FROM registrations WHERE LOWER(guest_email) = $1",
                "DELETE FROM guest_confirmations WHERE LOWER(email) = $1",
                "DELETE FROM invitations WHERE LOWER(email) = $1",
                "UPDATE outbox SET subject = REPLACE(subject, $1, ''), body = REPLACE(body, $1, '')",
            ] {
                sqlx::query(statement)
                    .bind(address)
                    .execute(&mut *transaction)
                    .await?;
            }
            sqlx::query("DELETE FROM invitation_imports WHERE LOWER(body) LIKE $1 ESCAPE '\\'")
                .bind(containing(address))
                .execute(&mut *transaction)
                .await?;
        }
        sqlx::query(
            "UPDATE outbox SET subject = REPLACE(subject, $1, $2), body = REPLACE(body, $1, $2)",
        )
        .bind(&name)
        .bind(FORMER_MEMBER)
        .execute(&mut *transaction)
        .await?;
        sqlx::query("DELETE FROM invitations WHERE accepted_by = $1 AND kind = 'email'")
            .bind(user.0)
            .execute(&mut *transaction)
            .await?;
        // Their open pages close through their sessions, which go with them;
        // nothing needs the access-change rows any more. A row naming no one
        // tells live connections to drop the posts they keep loaded, which
        // may show the person's name.
        sqlx::query("DELETE FROM access_changes WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *transaction)
            .await?;
        self.record_access_change(&mut transaction, crate::live::SOMEONE_ERASED)
            .await?;
        sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(user.0)
            .execute(&mut *transaction)
            .await?;
        let by_admin = by.filter(|(admin, _)| *admin != user);
        record_in(
            &mut transaction,
            &NewAudit::new(AuditAction::AccountErased, by_admin).detail(user.0.to_string()),
        )
        .await?;
        transaction.commit().await?;
        self.live_committed();
        Ok(promoted)
    }
}
