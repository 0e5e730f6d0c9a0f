//! The real server on a random port, against a fresh SQLite file and a fresh
//! PostgreSQL database, called as browsers and scripts call it. One test
//! binary for the crate: one link step, one set of shared helpers.

mod support;

mod addresses;
mod assets;
mod calendar;
mod content;
mod forum;
mod http;
mod live;
mod long_threads;
mod mail;
mod people;
mod privacy;
mod programs;
mod query_plans;
mod recovery;
mod running;
mod search;
mod security;
