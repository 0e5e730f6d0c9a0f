/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite: or postgres://")]
    UnsupportedUrl,
    #[error("that e-mail address already has an account")]
    EmailTaken,
    #[error("an organisation with that name exists")]
    OrganisationNameTaken,
    #[error("a program with that name exists")]
    ProgramNameTaken,
    #[error("that program has a cohort with that name")]
    CohortNameTaken,
    #[error("already registered for that session")]
    AlreadyRegistered,
    #[error("no places left in that meeting")]
    MeetingFull,
    #[error("that circle is full")]
    CircleFull,
    #[error("that circle is closed")]
    CircleClosed,
    #[error("already a member of that circle")]
    AlreadyMember,
    #[error("that thread is locked")]
    ThreadLocked,
    #[error("not found")]
    NotFound,
    /// An invitation that can no longer be accepted, and why.
    #[error("that invitation cannot be accepted: {0:?}")]
    InvitationClosed(kring_domain::invitation::InvitationVerdict),
    #[error("the password could not be hashed")]
    Hashing,
    #[error("too many passwords are being checked at once; try again shortly")]
    Busy,
    /// The request asked for something the rules refuse (a circle over ten,
    /// an ordering that does not match the module): the requester's to fix.
    #[error("refused: {0}")]
    Refused(kring_domain::DomainError),
    /// A stored value Kring cannot read back (written by hand, or by a newer
    /// version): the server's problem, never the requester's.
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Io(std::io::Error),
}

/// Values read back from the database are parsed with the domain's rules; one
/// that fails them is corrupt data, never the requester's mistake.
impl From<kring_domain::DomainError> for DbError {
    fn from(error: kring_domain::DomainError) -> DbError {
        DbError::Corrupt(error.to_string())
    }
}

/// A storage failure that the request caused, not the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientFault {
    /// It named something that does not exist (a foreign key found nothing).
    Missing,
    /// It carried text the database cannot store (a NUL character on PostgreSQL).
    UnstorableText,
}

impl DbError {
    /// Whether every connection stayed busy for the pool's whole wait: the
    /// server is flooded, and the requester may try again shortly.
    pub fn pool_exhausted(&self) -> bool {
        matches!(self, DbError::Sqlx(sqlx::Error::PoolTimedOut))
    }

    /// Whether the request, not the server, caused this failure, and how.
    pub fn client_fault(&self) -> Option<ClientFault> {
        let DbError::Sqlx(sqlx::Error::Database(error)) = self else {
            return None;
        };
        if error.is_foreign_key_violation() {
            return Some(ClientFault::Missing);
        }
        // PostgreSQL: character_not_in_repertoire, untranslatable_character.
        matches!(error.code().as_deref(), Some("22021" | "22P05"))
            .then_some(ClientFault::UnstorableText)
    }

    /// Turns a unique-constraint violation into `conflict`; other errors pass through.
    pub(crate) fn on_unique_violation(error: sqlx::Error, conflict: DbError) -> DbError {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => conflict,
            _ => DbError::Sqlx(error),
        }
    }
}
