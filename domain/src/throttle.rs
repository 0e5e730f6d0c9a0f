//! How often one kind of attempt may be made from one place: password guesses
//! per account, per network address and per trusted browser, password changes,
//! sign-ups and visitor registrations.
//!
//! Attempts are counted in fixed windows that start with the first attempt.
//! The count is taken before any password is checked, so a burst of parallel
//! attempts gets exactly `max_attempts` through, never more.

/// At most `max_attempts` within `window_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptLimit {
    pub window_secs: i64,
    pub max_attempts: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleVerdict {
    Allowed,
    /// Try again after this many minutes (at least one).
    Blocked {
        retry_after_minutes: i64,
    },
}

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;

impl AttemptLimit {
    /// Guesses at one account's password from browsers that never logged in to it.
    pub const LOGIN_PER_ACCOUNT: AttemptLimit = AttemptLimit::new(15 * MINUTE, 5);
    /// Guesses from one network address, at any accounts.
    pub const LOGIN_PER_ADDRESS: AttemptLimit = AttemptLimit::new(15 * MINUTE, 20);
    /// Guesses from a browser that logged in to the account before: counted on
    /// their own, so the owner is not locked out by a stranger's guessing.
    pub const LOGIN_PER_TRUSTED_DEVICE: AttemptLimit = AttemptLimit::new(15 * MINUTE, 5);
    /// Every login from one network address, right or wrong: each costs a
    /// password check, which a flood of correct logins must not monopolise.
    pub const LOGINS_PER_ADDRESS: AttemptLimit = AttemptLimit::new(HOUR, 120);
    /// Every login to one account, right or wrong.
    pub const LOGINS_PER_ACCOUNT: AttemptLimit = AttemptLimit::new(HOUR, 30);
    /// Tries at the current password in "change password", per person.
    pub const PASSWORD_CHANGE: AttemptLimit = AttemptLimit::new(15 * MINUTE, 5);
    /// New accounts from one network address (a workshop room shares one).
    pub const SIGN_UPS_PER_ADDRESS: AttemptLimit = AttemptLimit::new(HOUR, 30);
    /// Visitor registrations (each mails a confirmation) from one network address.
    pub const VISITORS_PER_ADDRESS: AttemptLimit = AttemptLimit::new(HOUR, 10);
    /// Confirmations mailed to one e-mail address.
    pub const VISITORS_PER_EMAIL: AttemptLimit = AttemptLimit::new(24 * HOUR, 3);
    /// "Forgot your password?" requests from one network address.
    pub const RESETS_PER_ADDRESS: AttemptLimit = AttemptLimit::new(HOUR, 10);
    /// Reset links mailed to one address: a few, however many times someone asks.
    pub const RESETS_PER_EMAIL: AttemptLimit = AttemptLimit::new(HOUR, 3);
    /// Verification links mailed for one account in an hour.
    pub const VERIFICATIONS_PER_ACCOUNT: AttemptLimit = AttemptLimit::new(HOUR, 3);

    pub const fn new(window_secs: i64, max_attempts: i64) -> Self {
        AttemptLimit {
            window_secs,
            max_attempts,
        }
    }

    /// Judges the attempt that made the count `attempts` in a window that
    /// started at `window_started_at`.
    pub fn verdict(&self, now: i64, attempts: i64, window_started_at: i64) -> ThrottleVerdict {
        if attempts <= self.max_attempts {
            return ThrottleVerdict::Allowed;
        }
        let frees_at = window_started_at + self.window_secs;
        let minutes = ((frees_at - now).max(0) + MINUTE - 1) / MINUTE;
        ThrottleVerdict::Blocked {
            retry_after_minutes: minutes.max(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_up_to_the_limit_within_the_window() {
        let limit = AttemptLimit::LOGIN_PER_ACCOUNT;
        for attempts in 1..=5 {
            assert_eq!(limit.verdict(1000, attempts, 900), ThrottleVerdict::Allowed);
        }
    }

    #[test]
    fn blocks_past_the_limit_until_the_window_ends() {
        let limit = AttemptLimit::LOGIN_PER_ACCOUNT;
        assert_eq!(
            limit.verdict(1000, 6, 1000),
            ThrottleVerdict::Blocked {
                retry_after_minutes: 15
            }
        );
        assert_eq!(
            limit.verdict(1000, 6, 1000 - 14 * 60),
            ThrottleVerdict::Blocked {
                retry_after_minutes: 1
            }
        );
        assert_eq!(
            limit.verdict(1000, 60, 1000 - 10 * 60 - 1),
            ThrottleVerdict::Blocked {
                retry_after_minutes: 5
            }
        );
    }

    #[test]
    fn never_asks_for_zero_minutes() {
        let limit = AttemptLimit::PASSWORD_CHANGE;
        assert_eq!(
            limit.verdict(10_000, 9, 0),
            ThrottleVerdict::Blocked {
                retry_after_minutes: 1
            }
        );
    }

    #[test]
    fn each_kind_has_its_own_limit() {
        assert_eq!(AttemptLimit::LOGIN_PER_ADDRESS.max_attempts, 20);
        assert_eq!(AttemptLimit::SIGN_UPS_PER_ADDRESS.window_secs, 3600);
        assert_eq!(
            AttemptLimit::VISITORS_PER_EMAIL.verdict(0, 4, 0),
            ThrottleVerdict::Blocked {
                retry_after_minutes: 24 * 60
            }
        );
    }
}
