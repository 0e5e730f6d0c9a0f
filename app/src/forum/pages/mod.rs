//! The forum's pages, by what they show.

mod circles;
mod forums;
mod notifications;
mod posts;
mod threads;

pub use circles::*;
pub use forums::*;
pub use notifications::*;
pub use posts::*;
pub use threads::*;
