use serde::{Deserialize, Serialize};

macro_rules! id_newtype {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_newtype!(
    /// A person with an account.
    UserId,
    /// An NGO, family alliance or other member organisation.
    OrganisationId,
    /// A learning program, e.g. "Mutual Learning Program".
    ProgramId,
    /// One six-month run of a program.
    CohortId,
    /// The people of a cohort who meet in one language.
    LanguageGroupId,
    /// A module of a program.
    ModuleId,
    /// A unit of a module.
    UnitId,
    /// A live session, information meeting or consultation circle.
    SessionId,
    /// A series of sessions planned together.
    SeriesId,
    /// One person's (or one visitor's) place in a session.
    RegistrationId,
    /// A forum category of a cohort: a module's, cases, general, or a circle's.
    CategoryId,
    /// A forum thread.
    ThreadId,
    /// A post in a thread.
    PostId,
    /// A consultation circle of at most 10 members.
    CircleId,
);
