//! The server's memory allocator: mimalloc, told to hand freed memory back to
//! the system at once.
//!
//! Why not the system's: on the long thread page glibc's malloc and free were a
//! fifth of the server's time, and its per-thread heaps kept every password
//! hash's 19 MiB for good unless its mmap threshold was pinned. mimalloc serves
//! every page 23–37 % faster (`make bench-pages`, both engines). Left at its
//! defaults it keeps freed memory for a second and commits whole arenas up
//! front, 75 MB at rest with the demo. Purging at once works when set here;
//! committing on use does not (62 MB at rest): the first arena is reserved at
//! process load, before `main`. With `MIMALLOC_ARENA_EAGER_COMMIT=0` in the
//! environment the server is within its budget (40 MB, `make bench-memory`).

use libmimalloc_sys::{mi_option_set, mi_option_t};
use mimalloc::MiMalloc;

#[global_allocator]
static ALLOCATOR: MiMalloc = MiMalloc;

/// `mi_option_arena_eager_commit` in the mimalloc (v3) that Cargo.lock pins;
/// the Rust binding names only the stable options. `options_are_the_ones_named`
/// checks both numbers against the library's defaults.
const ARENA_EAGER_COMMIT: mi_option_t = 4;
/// `mi_option_purge_delay`, in milliseconds.
const PURGE_DELAY: mi_option_t = 15;

/// Runs first in `main`, before any other thread exists, so every purge and
/// every arena made from then on follows it (not the one made at load).
pub fn return_freed_memory_at_once() {
    // SAFETY: `mi_option_set` only stores an option's value; both are options
    // of the linked library (checked by the test below), and the values are in
    // their documented ranges (0 = commit on use, 0 ms = purge at once).
    unsafe {
        mi_option_set(ARENA_EAGER_COMMIT, 0);
        mi_option_set(PURGE_DELAY, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use libmimalloc_sys::mi_option_get;

    /// The numbers are the library's, not the binding's: an update that
    /// renumbered the options would set something else. The defaults (2:
    /// commit eagerly where the system overcommits; 1,000 ms) are distinctive.
    #[test]
    fn options_are_the_ones_named() {
        // SAFETY: reading an option has no preconditions.
        let (eager, delay) = unsafe {
            (
                mi_option_get(ARENA_EAGER_COMMIT),
                mi_option_get(PURGE_DELAY),
            )
        };
        assert_eq!((eager, delay), (2, 1000));
        return_freed_memory_at_once();
        // SAFETY: as above.
        let (eager, delay) = unsafe {
            (
                mi_option_get(ARENA_EAGER_COMMIT),
                mi_option_get(PURGE_DELAY),
            )
        };
        assert_eq!((eager, delay), (0, 0));
    }
}
