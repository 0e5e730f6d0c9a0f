//! How many live connections are open on this instance, per person and in
//! all: each holds a place while it is open, and past either limit a new one
//! is refused (a live stream stays open as long as its page, so the request
//! limits that bound pages do not apply).

use crate::AppState;
use app::error::ErrorCode;
use app::viewer::RequestContext;
use kring_domain::UserId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// How many live connections are open on this instance, per person and in
/// all; past either limit a new one is refused.
#[derive(Clone)]
pub struct LiveConnections {
    open: Arc<Mutex<(usize, HashMap<UserId, usize>)>>,
    per_person: usize,
    in_all: usize,
}

/// One open connection; closing it (dropping this) frees its place.
pub struct LivePlace {
    connections: LiveConnections,
    user: UserId,
}

impl LiveConnections {
    pub fn new(per_person: usize, in_all: usize) -> Self {
        LiveConnections {
            open: Arc::default(),
            per_person,
            in_all,
        }
    }

    fn take(&self, user: UserId) -> Option<LivePlace> {
        let mut open = self
            .open
            .lock()
            .expect("the connection count is never poisoned");
        let (total, per_user) = &mut *open;
        let mine = per_user.entry(user).or_default();
        if *mine >= self.per_person || *total >= self.in_all {
            return None;
        }
        *mine += 1;
        *total += 1;
        Some(LivePlace {
            connections: self.clone(),
            user,
        })
    }
}

impl Drop for LivePlace {
    fn drop(&mut self) {
        let mut open = self
            .connections
            .open
            .lock()
            .expect("the connection count is never poisoned");
        let (total, per_user) = &mut *open;
        *total = total.saturating_sub(1);
        if let Some(mine) = per_user.get_mut(&self.user) {
            *mine = mine.saturating_sub(1);
            if *mine == 0 {
                per_user.remove(&self.user);
            }
        }
    }
}

/// This person's place among the open connections, or the refusal.
pub(super) fn take_place(
    state: &AppState,
    context: &RequestContext,
) -> Result<LivePlace, ErrorCode> {
    let user = context
        .viewer
        .user
        .as_ref()
        .ok_or(ErrorCode::Unauthenticated)?;
    state
        .live_connections
        .take(user.id)
        .ok_or(ErrorCode::TooManyConnections)
}
