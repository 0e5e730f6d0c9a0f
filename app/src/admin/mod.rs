//! Administration: people and their roles, organisations, cohorts and their members.
//! Every function here checks on the server that the caller is an administrator.
//!
//! Here: the types the browser sees; `api` holds the server functions, `pages` the page.

mod api;
mod pages;

pub use api::*;
pub use pages::*;

use kring_domain::Role;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub organisation: Option<String>,
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationRow {
    pub name: String,
    pub country: String,
    pub member_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortRow {
    pub id: i64,
    pub name: String,
    pub groups: Vec<(i64, String)>,
    /// (user, name, language group)
    pub members: Vec<(i64, String, Option<String>)>,
    /// Who runs it: (user, name)
    pub facilitators: Vec<(i64, String)>,
}

/// People listed on one page of the administration.
pub const PEOPLE_PER_PAGE: i64 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminData {
    pub programs: Vec<(i64, String)>,
    /// One page of people, by name.
    pub people: Vec<PersonRow>,
    pub people_pages: crate::components::Pages,
    pub organisations: Vec<OrganisationRow>,
    pub cohorts: Vec<CohortRow>,
    /// The IANA tz database version every time is computed with, e.g. `2026f`.
    pub tzdb_version: String,
}

/// The cohort form: a program, a name, the first and last day, and a
/// checkbox per language that gets a language group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCohortForm {
    pub program: i64,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub group_en: Option<String>,
    pub group_es: Option<String>,
    pub group_de: Option<String>,
    pub group_nl: Option<String>,
}
