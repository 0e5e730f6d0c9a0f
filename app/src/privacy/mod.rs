//! Privacy: a person's copy of their data and the erasure of their account
//! (`/profile/data`), the privacy page (`/privacy`), and the administrative
//! audit log (`/admin/audit`), where admins also erase an account on request.
//!
//! Here: the types the browser sees; `api` holds the server functions,
//! `pages` the pages, `policy_page` the privacy page.

mod api;
mod pages;
mod policy_page;

pub use api::*;
pub use pages::*;
pub use policy_page::*;

use serde::{Deserialize, Serialize};

/// Where the person's copy of their data stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataCopyView {
    pub id: i64,
    pub state: CopyState,
    pub parts_done: i64,
    pub parts_total: i64,
    /// When the download stops working, in the reader's words (once ready).
    pub expires: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CopyState {
    Underway,
    Ready,
    Failed,
}

/// A page of the administrative audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLogView {
    /// (when, what), each a sentence in the reader's language.
    pub lines: Vec<(String, String)>,
    /// The kind of action shown (empty: all).
    pub action: String,
    /// Every kind of action: (code, name).
    pub actions: Vec<(String, String)>,
    /// Where the next (older) page starts, when there is one.
    pub older: Option<i64>,
}
