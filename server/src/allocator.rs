//! The server's memory allocator: mimalloc, told to hand freed memory back to
//! the system at once.
//!
//! Why not the system's: on the long thread page glibc's malloc and free were a
//! fifth of the server's time, and its per-thread heaps kept every password
//! hash's 19 MiB for good unless its mmap threshold was pinned. mimalloc serves
//! every page 23–37 % faster (`make bench-pages`, both engines). Left at its
//! defaults it keeps freed memory for a second and commits whole arenas up
//! front, 75 MB at rest with the demo. Purging at once can be set from `main`;
//! committing on use cannot (62 MB at rest), because the first arena is
//! reserved while the program loads. So the library is built to commit on use
//! (`MI_DEFAULT_ARENA_EAGER_COMMIT` in `.cargo/config.toml`), and the server
//! idles at 40 MB (`make bench-memory`).

use libmimalloc_sys::{mi_option_set, mi_option_t};
use mimalloc::MiMalloc;

#[global_allocator]
static ALLOCATOR: MiMalloc = MiMalloc;

/// `mi_option_purge_delay`, in milliseconds, in the mimalloc (v3) that
/// Cargo.lock pins; the Rust binding names only the stable options.
/// `the_library_commits_on_use_and_purges_at_once` checks the number against
/// the library's default.
const PURGE_DELAY: mi_option_t = 15;

/// Runs first in `main`, before any other thread exists, so every purge from
/// then on follows it.
pub fn return_freed_memory_at_once() {
    // SAFETY: `mi_option_set` only stores an option's value; this is an option
    // of the linked library (checked by the test below), and 0 ms (purge at
    // once) is in its documented range.
    unsafe { mi_option_set(PURGE_DELAY, 0) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use libmimalloc_sys::mi_option_get;

    /// `mi_option_arena_eager_commit`: only read here, to check the build.
    const ARENA_EAGER_COMMIT: mi_option_t = 4;

    /// The numbers are the library's, not the binding's: an update that
    /// renumbered the options would set something else. The purge delay's
    /// default (1,000 ms) is distinctive; eager commit's is 2 unless the build
    /// setting took effect, which is what keeps the server small at rest.
    #[test]
    fn the_library_commits_on_use_and_purges_at_once() {
        // SAFETY: reading an option has no preconditions.
        let (eager, delay) = unsafe {
            (
                mi_option_get(ARENA_EAGER_COMMIT),
                mi_option_get(PURGE_DELAY),
            )
        };
        assert_eq!((eager, delay), (0, 1000));
        return_freed_memory_at_once();
        // SAFETY: as above.
        let delay = unsafe { mi_option_get(PURGE_DELAY) };
        assert_eq!(delay, 0);
    }
}
