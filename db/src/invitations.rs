//! Invitations into a cohort's language group: a link to share, or one mailed to one
//! address. Only a hash of an invitation's secret is stored; resending a mailed one
//! replaces its secret, so the older mail's link stops working.

use crate::accounts::new_token;
use crate::error::DbError;
use crate::pool::{now, sha256_hex, Db};
use kring_domain::invitation::{InvitationTerms, InvitationVerdict, Invitee};
use kring_domain::{CohortId, Email, Language, LanguageGroupId, Role, UserId};
use sqlx::{Any, Transaction};

/// How long an uploaded file waits for its preview to be confirmed.
const IMPORT_KEPT_SECS: i64 = 24 * 3600;

/// What every invitation of one request shares.
#[derive(Debug, Clone)]
pub struct NewInvitation {
    pub cohort: CohortId,
    pub group: Option<LanguageGroupId>,
    /// `Participant`, or `Facilitator` for a co-facilitator.
    pub role: Role,
    /// The language its mail and page speak.
    pub language: Language,
    pub expires_at: i64,
    pub created_by: UserId,
}

/// One invitation to mail: its terms, who, and what an imported file said of them.
#[derive(Debug, Clone)]
pub struct MailedInvitation {
    pub terms: NewInvitation,
    pub invitee: Invitee,
    pub organisation: Option<String>,
    pub country: Option<String>,
}

/// A mail to send with an invitation: written once its secret is known.
pub struct InvitationMail {
    pub subject: String,
    pub body: String,
}

/// An invitation as facilitators and the people following it see it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct InvitationRecord {
    pub id: i64,
    pub cohort_id: i64,
    pub cohort_name: String,
    pub language_group_id: Option<i64>,
    pub group_name: Option<String>,
    /// `link` or `email`.
    pub kind: String,
    pub role: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub language: String,
    pub uses_left: Option<i64>,
    pub accepted_count: i64,
    pub expires_at: i64,
    pub created_at: i64,
    pub created_by_name: Option<String>,
    pub sent_at: Option<i64>,
    pub opened_at: Option<i64>,
    pub accepted_at: Option<i64>,
    pub bounced_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl InvitationRecord {
    /// What following it finds at `now`, for someone signed in as `viewer` (if anyone).
    pub fn verdict(&self, viewer: Option<&Email>, now: i64) -> InvitationVerdict {
        InvitationTerms {
            expires_at: self.expires_at,
            revoked: self.revoked_at.is_some(),
            uses_left: self.uses_left,
            accepted: self.kind == "email" && self.accepted_at.is_some(),
            addressed_elsewhere: match (&self.email, viewer) {
                (Some(address), Some(viewer)) => address != viewer.as_str(),
                _ => false,
            },
        }
        .verdict(now)
    }

    pub fn cohort(&self) -> CohortId {
        CohortId(self.cohort_id)
    }
}

macro_rules! select_invitations {
    ($tail:literal) => {
        concat!(
            "SELECT i.id, i.cohort_id, c.name AS cohort_name, i.language_group_id, g.name AS group_name, \
             i.kind, i.role, i.email, i.name, i.language, i.uses_left, i.accepted_count, i.expires_at, \
             i.created_at, u.display_name AS created_by_name, i.sent_at, i.opened_at, i.accepted_at, \
             i.bounced_at, i.revoked_at \
             FROM invitations i JOIN cohorts c ON c.id = i.cohort_id \
             LEFT JOIN language_groups g ON g.id = i.language_group_id \
             LEFT JOIN users u ON u.id = i.created_by ",
            $tail
        )
    };
}

impl Db {
    /// A new invitation link, limited to `uses` accounts when given; its secret is
    /// returned once.
    pub async fn create_invitation_link(
        &self,
        new: &NewInvitation,
        uses: Option<i64>,
    ) -> Result<(i64, String), DbError> {
        let mut transaction = self.begin_write().await?;
        let token = new_token();
        let id = insert(&mut transaction, new, None, &token, uses).await?;
        transaction.commit().await?;
        Ok((id, token))
    }

    /// Mails each of `invitations`, all or none: `mail` writes each one's mail from its
    /// secret, and the mails wait in the outbox.
    pub async fn invite_by_email(
        &self,
        invitations: &[MailedInvitation],
        mail: impl Fn(&MailedInvitation, &str) -> InvitationMail,
    ) -> Result<Vec<i64>, DbError> {
        let at = now();
        let mut transaction = self.begin_write().await?;
        let mut ids = Vec::with_capacity(invitations.len());
        for invitation in invitations {
            let token = new_token();
            let terms = &invitation.terms;
            let id = insert(&mut transaction, terms, Some(invitation), &token, Some(1)).await?;
            let letter = mail(invitation, &token);
            let address = invitation.invitee.email.as_str();
            queue_invitation(&mut transaction, id, address, &letter, at).await?;
            ids.push(id);
        }
        transaction.commit().await?;
        Ok(ids)
    }

    /// How many invitations `user` created since `since`: the daily limit counts them.
    pub async fn invitations_created_since(
        &self,
        user: UserId,
        since: i64,
    ) -> Result<i64, DbError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS created FROM invitations WHERE created_by = $1 AND created_at > $2",
        )
        .bind(user.0)
        .bind(since)
        .fetch_one(&mut *self.connection().await?)
        .await?;
        crate::pool::get(&row, "created")
    }

    /// A cohort's invitations, newest first.
    pub async fn invitations(&self, cohort: CohortId) -> Result<Vec<InvitationRecord>, DbError> {
        Ok(sqlx::query_as(select_invitations!(
            "WHERE i.cohort_id = $1 ORDER BY i.created_at DESC, i.id DESC"
        ))
        .bind(cohort.0)
        .fetch_all(&mut *self.connection().await?)
        .await?)
    }

    /// One invitation by id.
    pub async fn invitation(&self, id: i64) -> Result<InvitationRecord, DbError> {
        sqlx::query_as(select_invitations!("WHERE i.id = $1"))
            .bind(id)
            .fetch_optional(&mut *self.connection().await?)
            .await?
            .ok_or(DbError::NotFound)
    }

    /// The invitation behind a secret, whatever its state.
    pub async fn invitation_by_token(&self, token: &str) -> Result<InvitationRecord, DbError> {
        sqlx::query_as(select_invitations!("WHERE i.token_hash = $1"))
            .bind(sha256_hex(token))
            .fetch_optional(&mut *self.connection().await?)
            .await?
            .ok_or(DbError::NotFound)
    }

    /// Notes that someone opened the invitation's page (the first time counts).
    pub async fn invitation_opened(&self, token: &str) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE invitations SET opened_at = $1 WHERE token_hash = $2 AND opened_at IS NULL",
        )
        .bind(now())
        .bind(sha256_hex(token))
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(())
    }

    /// Stops an invitation from working; what it brought in stays.
    pub async fn revoke_invitation(&self, id: i64) -> Result<(), DbError> {
        let revoked = sqlx::query(
            "UPDATE invitations SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(id)
        .execute(&mut *self.connection().await?)
        .await?
        .rows_affected();
        if revoked == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    /// Mails a pending e-mail invitation again with a new secret (the older mail's
    /// link stops working) and a new expiry.
    pub async fn resend_invitation(
        &self,
        id: i64,
        expires_at: i64,
        mail: impl FnOnce(&str) -> InvitationMail,
    ) -> Result<(), DbError> {
        let at = now();
        let token = new_token();
        let mut transaction = self.begin_write().await?;
        let row = sqlx::query(
            "UPDATE invitations SET token_hash = $1, expires_at = $2, sent_at = $3, bounced_at = NULL \
             WHERE id = $4 AND kind = 'email' AND accepted_at IS NULL AND revoked_at IS NULL \
             RETURNING email",
        )
        .bind(sha256_hex(&token))
        .bind(expires_at)
        .bind(at)
        .bind(id)
        .fetch_optional(&mut *transaction)
        .await?
        .ok_or(DbError::NotFound)?;
        let address: String = crate::pool::get(&row, "email")?;
        queue_invitation(&mut transaction, id, &address, &mail(&token), at).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// `user` accepts the invitation behind `token`: they join its cohort and language
    /// group (as a facilitator of it, for a co-facilitator's invitation), and a limited
    /// link has one use fewer. One transaction: two people taking a link's last use at
    /// once get one place between them.
    pub async fn accept_invitation(
        &self,
        token: &str,
        user: UserId,
        address: &Email,
    ) -> Result<CohortId, DbError> {
        let invitation = self.invitation_by_token(token).await?;
        let verdict = invitation.verdict(Some(address), now());
        if verdict != InvitationVerdict::Open {
            return Err(DbError::InvitationClosed(verdict));
        }
        let at = now();
        let mut transaction = self.begin_write().await?;
        let taken = sqlx::query(
            "UPDATE invitations SET uses_left = uses_left - 1, accepted_count = accepted_count + 1, \
             accepted_at = $1, accepted_by = $2 \
             WHERE id = $3 AND revoked_at IS NULL AND expires_at > $1 \
             AND (uses_left IS NULL OR uses_left > 0)",
        )
        .bind(at)
        .bind(user.0)
        .bind(invitation.id)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        if taken == 0 {
            return Err(DbError::InvitationClosed(InvitationVerdict::UsedUp));
        }
        let cohort = invitation.cohort();
        sqlx::query(
            "INSERT INTO cohort_members (cohort_id, user_id, language_group_id, joined_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (cohort_id, user_id) \
             DO UPDATE SET language_group_id = excluded.language_group_id",
        )
        .bind(cohort.0)
        .bind(user.0)
        .bind(invitation.language_group_id)
        .bind(at)
        .execute(&mut *transaction)
        .await?;
        if invitation.role == Role::Facilitator.as_str() {
            self.assign_in(&mut transaction, cohort, user, None).await?;
        }
        crate::audit::record_in(
            &mut transaction,
            &crate::audit::NewAudit::new(crate::audit::AuditAction::Enrolled, None)
                .subject(user)
                .cohort(cohort)
                .detail(invitation.role.clone()),
        )
        .await?;
        transaction.commit().await?;
        self.live_committed();
        Ok(cohort)
    }

    /// Keeps an uploaded file of people to invite until its preview is confirmed; files
    /// older than a day are dropped.
    pub async fn store_import(
        &self,
        cohort: CohortId,
        by: UserId,
        body: &str,
    ) -> Result<i64, DbError> {
        let at = now();
        sqlx::query("DELETE FROM invitation_imports WHERE created_at < $1")
            .bind(at - IMPORT_KEPT_SECS)
            .execute(&mut *self.connection().await?)
            .await?;
        let row = sqlx::query(
            "INSERT INTO invitation_imports (cohort_id, created_by, body, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(cohort.0)
        .bind(by.0)
        .bind(body)
        .bind(at)
        .fetch_one(&mut *self.connection().await?)
        .await?;
        crate::pool::get(&row, "id")
    }

    /// An uploaded file of `by`'s, still kept: (cohort, body).
    pub async fn import(&self, id: i64, by: UserId) -> Result<(CohortId, String), DbError> {
        let row = sqlx::query(
            "SELECT cohort_id, body FROM invitation_imports \
             WHERE id = $1 AND created_by = $2 AND created_at >= $3",
        )
        .bind(id)
        .bind(by.0)
        .bind(now() - IMPORT_KEPT_SECS)
        .fetch_optional(&mut *self.connection().await?)
        .await?
        .ok_or(DbError::NotFound)?;
        Ok((
            CohortId(crate::pool::get(&row, "cohort_id")?),
            crate::pool::get(&row, "body")?,
        ))
    }

    /// Forgets an uploaded file once its invitations went out.
    pub async fn drop_import(&self, id: i64) -> Result<(), DbError> {
        sqlx::query("DELETE FROM invitation_imports WHERE id = $1")
            .bind(id)
            .execute(&mut *self.connection().await?)
            .await?;
        Ok(())
    }

    /// Marks the invitation whose mail SMTP refused for good as bounced.
    pub async fn invitation_bounced(&self, mail: i64) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE invitations SET bounced_at = $1 WHERE id = (SELECT invitation_id FROM outbox WHERE id = $2)",
        )
        .bind(now())
        .bind(mail)
        .execute(&mut *self.connection().await?)
        .await?;
        Ok(())
    }
}

/// Stores an invitation: a link (`mailed` is `None`) or one mailed to one person.
async fn insert(
    transaction: &mut Transaction<'static, Any>,
    new: &NewInvitation,
    mailed: Option<&MailedInvitation>,
    token: &str,
    uses: Option<i64>,
) -> Result<i64, DbError> {
    let invitee = mailed.map(|mailed| &mailed.invitee);
    let row = sqlx::query(
        "INSERT INTO invitations (cohort_id, language_group_id, kind, role, token_hash, email, name, \
         organisation, country, language, uses_left, expires_at, created_by, created_at, sent_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(new.cohort.0)
    .bind(new.group.map(|group| group.0))
    .bind(if mailed.is_some() { "email" } else { "link" })
    .bind(new.role.as_str())
    .bind(sha256_hex(token))
    .bind(invitee.map(|person| person.email.as_str().to_owned()))
    .bind(invitee.and_then(|person| person.name.as_ref().map(|name| name.as_str().to_owned())))
    .bind(mailed.and_then(|mailed| mailed.organisation.clone()))
    .bind(mailed.and_then(|mailed| mailed.country.clone()))
    .bind(new.language.code())
    .bind(uses)
    .bind(new.expires_at)
    .bind(new.created_by.0)
    .bind(now())
    .bind(mailed.map(|_| now()))
    .fetch_one(&mut **transaction)
    .await?;
    crate::pool::get(&row, "id")
}

async fn queue_invitation(
    transaction: &mut Transaction<'static, Any>,
    invitation: i64,
    recipient: &str,
    mail: &InvitationMail,
    at: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO outbox (recipient, subject, body, created_at, invitation_id) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(recipient)
    .bind(&mail.subject)
    .bind(&mail.body)
    .bind(at)
    .bind(invitation)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}
