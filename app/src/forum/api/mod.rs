//! The forum's server functions, by what they act on.

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
