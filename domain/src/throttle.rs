/// How many failed logins are tolerated before someone must wait.
///
/// Counting per account stops guessing one person's password; counting per
/// address stops one machine from trying many accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    pub window_secs: i64,
    pub max_failures_per_account: i64,
    pub max_failures_per_address: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleVerdict {
    Allowed,
    /// Try again after this many minutes (at least one).
    Blocked {
        retry_after_minutes: i64,
    },
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            window_secs: 15 * 60,
            max_failures_per_account: 5,
            max_failures_per_address: 20,
        }
    }
}

impl LoginThrottle {
    /// Judges a login attempt from the failures counted within the window and
    /// the time of the oldest failure that still counts.
    pub fn verdict(
        &self,
        now: i64,
        account_failures: i64,
        address_failures: i64,
        oldest_counted_failure: Option<i64>,
    ) -> ThrottleVerdict {
        if account_failures < self.max_failures_per_account
            && address_failures < self.max_failures_per_address
        {
            return ThrottleVerdict::Allowed;
        }
        let frees_at = oldest_counted_failure.unwrap_or(now) + self.window_secs;
        let minutes = ((frees_at - now).max(0) + 59) / 60;
        ThrottleVerdict::Blocked {
            retry_after_minutes: minutes.max(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_below_both_limits() {
        let throttle = LoginThrottle::default();
        assert_eq!(throttle.verdict(1000, 0, 0, None), ThrottleVerdict::Allowed);
        assert_eq!(
            throttle.verdict(1000, 4, 19, Some(900)),
            ThrottleVerdict::Allowed
        );
    }

    #[test]
    fn blocks_at_account_limit_until_oldest_failure_expires() {
        let throttle = LoginThrottle::default();
        assert_eq!(
            throttle.verdict(1000, 5, 5, Some(1000)),
            ThrottleVerdict::Blocked {
                retry_after_minutes: 15
            }
        );
        assert_eq!(
            throttle.verdict(1000, 5, 5, Some(1000 - 14 * 60)),
            ThrottleVerdict::Blocked {
                retry_after_minutes: 1
            }
        );
        assert_eq!(
            throttle.verdict(1000, 5, 5, Some(1000 - 10 * 60 - 1)),
            ThrottleVerdict::Blocked {
                retry_after_minutes: 5
            }
        );
    }

    #[test]
    fn blocks_at_address_limit() {
        let throttle = LoginThrottle::default();
        assert!(matches!(
            throttle.verdict(0, 0, 20, Some(0)),
            ThrottleVerdict::Blocked { .. }
        ));
    }

    #[test]
    fn never_asks_for_zero_minutes() {
        let throttle = LoginThrottle::default();
        assert_eq!(
            throttle.verdict(10_000, 9, 0, Some(0)),
            ThrottleVerdict::Blocked {
                retry_after_minutes: 1
            }
        );
    }
}
