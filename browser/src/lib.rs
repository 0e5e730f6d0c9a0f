//! Kring's browser side that needs no Leptos, shared by both WebAssembly
//! modules: posting a page's form fields to a server function (`post`),
//! yielding to the browser (`tasks`), the live connection all of a browser's
//! tabs share (`live`), and the behaviours of reading pages (`behaviours`),
//! which the small module starts on its own.
//!
//! It compiles for the server too (never run there), so the Leptos app can
//! call it without a stand-in for each function.

pub mod behaviours;
mod live;
pub mod post;
pub mod tasks;
mod timers;
