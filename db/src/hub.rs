//! What one instance's live hub carries, and the hub itself: numbered forum
//! events and changes of access, broadcast to every open stream. The pump
//! that fills it is in `live`, the event log it reads in `events`.

use crate::error::DbError;
use kring_domain::{CategoryId, PostId, ThreadId, UserId};
use tokio::sync::{broadcast, Notify, OnceCell};

/// Events buffered for connections that fall behind; one that falls further
/// catches up from the database instead.
const BUFFERED_EVENTS: usize = 4096;

/// A change live clients must see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Created,
    Edited,
    Hidden,
    Deleted,
}

impl EventKind {
    pub(crate) fn code(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Edited => "edited",
            EventKind::Hidden => "hidden",
            EventKind::Deleted => "deleted",
        }
    }

    pub(crate) fn parse(code: &str) -> Result<Self, DbError> {
        match code {
            "created" => Ok(EventKind::Created),
            "edited" => Ok(EventKind::Edited),
            "hidden" => Ok(EventKind::Hidden),
            "deleted" => Ok(EventKind::Deleted),
            other => Err(DbError::Corrupt(format!("forum event kind {other:?}"))),
        }
    }
}

/// One numbered change. Ids rise in commit order on both engines, so "everything
/// after the last id I saw" misses nothing and repeats nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForumEvent {
    pub id: i64,
    pub thread: ThreadId,
    pub category: CategoryId,
    pub post: PostId,
    pub kind: EventKind,
}

/// What an open stream hears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveEvent {
    Forum(ForumEvent),
    /// This person's sessions, role or memberships changed: streams of theirs
    /// check again. Or their name did: posts of theirs kept loaded are loaded again.
    AccessChanged(UserId),
    /// Someone's account was erased (which names no one: nothing of theirs
    /// stays behind): every post kept loaded, which may show their name, is
    /// loaded again.
    SomeoneErased,
}

pub(crate) struct LiveHub {
    pub(crate) sender: broadcast::Sender<LiveEvent>,
    pub(crate) wake: Notify,
    pub(crate) started: OnceCell<()>,
}

impl LiveHub {
    pub(crate) fn new() -> Self {
        LiveHub {
            sender: broadcast::channel(BUFFERED_EVENTS).0,
            wake: Notify::new(),
            started: OnceCell::new(),
        }
    }

    /// This instance committed an event.
    pub(crate) fn committed(&self) {
        self.wake.notify_one();
    }
}
