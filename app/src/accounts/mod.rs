//! Accounts: registering, logging in and out, the profile, the password and its recovery,
//! and confirming the address. Every form is a plain HTML form first: it works before (or
//! without) the WebAssembly.
//!
//! Here: the types the browser sees; `api` holds the server functions, `addresses` those of
//! address confirmation, `pages` and `address_pages` the pages.

mod address_pages;
mod addresses;
mod api;
mod pages;

pub use address_pages::*;
pub use addresses::*;
pub use api::*;
pub use pages::*;

use kring_domain::Language;
use serde::{Deserialize, Serialize};

/// Present in the server's context when anyone may create an account
/// (`KRING_OPEN_REGISTRATION`); otherwise people join by invitation.
#[derive(Debug, Clone, Copy)]
pub struct OpenRegistration;

/// Whether `/register` is open to anyone.
pub fn registration_open() -> bool {
    leptos::prelude::use_context::<OpenRegistration>().is_some()
}

/// An organisation to choose from in the account forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationChoice {
    pub id: i64,
    pub name: String,
}

/// The current profile, to pre-fill the profile form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub display_name: String,
    pub email: String,
    /// How others @mention them.
    pub handle: String,
    pub role: kring_domain::Role,
    pub organisation_id: Option<i64>,
    pub country: String,
    pub language: Language,
    pub time_zone: String,
    /// Whether the address was confirmed through a mailed link.
    pub email_verified: bool,
    /// The address being changed to, until its link is followed.
    pub pending_email: Option<String>,
}

/// Whose password a working reset link changes, for the page that asks for the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetLink {
    pub display_name: String,
}
