//! Storage against real databases: every test runs on a fresh SQLite file and
//! a fresh PostgreSQL database. One test binary for the crate.

mod content;
mod forum;
mod meetings;
mod privacy;
mod programs;
mod running;
mod schema;
mod search;
mod storage;
mod test_databases;
