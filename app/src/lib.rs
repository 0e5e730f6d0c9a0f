//! Kring's interface: pages rendered on the server, the behaviours and the few
//! islands that run in the browser, and the server functions they all call.

pub mod accounts;
pub mod admin;
pub mod behaviours;
mod built_files;
pub mod components;
pub mod content;
pub mod error;
pub mod forum;
pub mod home;
pub mod i18n;
mod island_loader;
pub mod layout;
pub mod navigation;
#[cfg(feature = "ssr")]
pub mod outbound;
pub mod people;
pub mod privacy;
#[cfg(feature = "ssr")]
pub mod rendered;
pub mod search;
pub mod sessions;
pub mod viewer;

#[cfg(test)]
mod translations_test;

pub use layout::{shell, App};
