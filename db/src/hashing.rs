//! The memory budget of password hashing: how many argon2id hashes (19 MiB
//! each) may run at once, so a flood of sign-ups or logins cannot take more.

use tokio::sync::Semaphore;

/// The memory one hash takes, in KiB (OWASP's argon2id recommendation).
pub(crate) const MEMORY_KIB: u32 = 19 * 1024;
/// The memory all hashes running at once may take, unless configured.
pub const DEFAULT_HASHING_MEMORY_MIB: usize = 128;

/// How many hashes fit in `memory_mib` at once (at least one).
pub fn hashes_at_once(memory_mib: usize) -> usize {
    (memory_mib * 1024 / MEMORY_KIB as usize).max(1)
}

pub(crate) fn hashing_turns(memory_mib: usize) -> Semaphore {
    Semaphore::new(hashes_at_once(memory_mib))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_number_of_hashes_at_once_follows_the_memory_given() {
        assert_eq!(hashes_at_once(128), 6);
        assert_eq!(hashes_at_once(19), 1);
        assert_eq!(hashes_at_once(0), 1, "always at least one");
        assert_eq!(hashes_at_once(1024), 53);
    }
}
