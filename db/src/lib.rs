//! Kring's storage. The same queries run on SQLite (the embedded default) and
//! PostgreSQL (deployments with several app instances) through sqlx's `Any`
//! driver; `$1`-style parameters are understood by both engines.

#[macro_use]
mod access;
// Its statement pieces serve the session lookup too.
#[macro_use]
mod notifications;
mod accounts;
mod attendance;
mod audit;
mod circles;
mod cohorts;
mod content;
pub mod demo;
mod directory;
mod erasure;
mod error;
mod events;
mod export;
mod forum;
mod forum_heads;
mod handles;
mod hashing;
mod hub;
mod invitations;
mod limits;
mod live;
mod mail;
mod meeting_lists;
mod meetings;
mod notices;
mod outline;
mod passwords;
mod pool;
mod posts;
mod program_folders;
mod reading;
mod recovery;
mod registrations;
mod retention;
mod search;
mod staffing;
#[cfg(feature = "testing")]
pub mod testing;
mod verification;
mod visitors;

pub use accounts::{
    LoginAttempt, LoginOutcome, NewUser, PasswordChange, ProfileUpdate, SessionPolicy, UserRecord,
};
pub use attendance::{AttendanceEntry, DashboardMember, DashboardModule, ATTENDANCE_OPENS_SECS};
pub use audit::{AuditAction, AuditEntry, NewAudit, AUDIT_KEPT_SECS, AUDIT_PER_PAGE};
pub use circles::CircleRecord;
pub use cohorts::{CohortMember, CohortSummary, OrganisationRecord};
pub use content::{Draft, NewText, Published, Revision, UnitText, UnitTexts};
pub use directory::DirectoryPerson;
pub use error::{ClientFault, DbError};
pub use events::{CategoryOpening, ThreadOpening, FORUM_CHANNEL, MAX_REPLAY};
pub use export::{ExportKind, ExportPart, ExportStatus, ExportValue, EXPORT_KEPT_SECS};
pub use forum::{
    Category, CategoryKind, CategoryOverview, Standing, ThreadRecord, ThreadSummary,
    THREADS_PER_PAGE,
};
pub use forum_heads::{CategoryHead, ThreadHead};
pub use hashing::{hashes_at_once, DEFAULT_HASHING_MEMORY_MIB};
pub use hub::{EventKind, ForumEvent, LiveEvent};
pub use invitations::{InvitationMail, InvitationRecord, MailedInvitation, NewInvitation};
pub use limits::Bucket;
pub use mail::{OutgoingMail, Recipient};
pub use meeting_lists::Span;
pub use meetings::{audience_of, Audience, FeedOwner, MeetingRecord, NewMeeting};
pub use notices::{NoticeKind, NoticeMail, SessionNotice};
pub use notifications::{Digest, NotificationKind, NotificationRecord};
pub use outline::{
    NewOutlineText, OutlineDraft, OutlineItem, OutlinePublished, OutlineRevision, OutlineText,
    OutlineTexts,
};
pub use pool::{now, Db, Engine, Health};
pub use posts::{NewReply, PostRecord, POSTS_PER_PAGE};
pub use reading::{ModuleOutline, OutlineUnit, Reader, Siblings, UnitStatuses};
pub use recovery::RESET_MINUTES;
pub use registrations::{Guest, OwnCalendar, Registrant, RegistrantRecord, RegistrationStatus};
pub use retention::SENT_MAIL_KEPT_SECS;
pub use search::{Found, PostHit, UnitHit};
pub use verification::VERIFICATION_HOURS;
pub use visitors::CONFIRMATION_HOURS;
