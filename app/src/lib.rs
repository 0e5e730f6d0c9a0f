//! Kring's interface: pages rendered on the server, a few islands hydrated in
//! the browser, and the server functions both of them call.

pub mod accounts;
pub mod admin;
mod browser;
mod built_files;
pub mod components;
pub mod content;
pub mod error;
pub mod forum;
pub mod home;
pub mod i18n;
mod island_loader;
pub mod islands;
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
