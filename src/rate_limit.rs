//! How many REST requests a key may make: a per-key allowance of N a minute that refills
//! smoothly (governor's generic cell rate algorithm), kept per process. A leaf module: the
//! state holds one, the REST layer asks it.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// The allowance when none is configured.
pub const DEFAULT_PER_MINUTE: u32 = 600;

#[derive(Clone)]
pub struct KeyLimits {
    limiter: Arc<DefaultKeyedRateLimiter<Uuid>>,
}

impl KeyLimits {
    /// At most `per_minute` requests a minute for each key (at least 1).
    pub fn per_minute(per_minute: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN));
        KeyLimits { limiter: Arc::new(RateLimiter::keyed(quota)) }
    }

    /// `Ok` if the key may make one more request now; otherwise how long until it may.
    pub fn check(&self, key: Uuid) -> Result<(), Duration> {
        self.limiter.check_key(&key).map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

impl std::fmt::Debug for KeyLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyLimits")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_has_its_own_allowance() {
        let limits = KeyLimits::per_minute(3);
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        assert!((0..3).all(|_| limits.check(a).is_ok()));
        let wait = limits.check(a).unwrap_err();
        assert!(wait > Duration::from_secs(1) && wait <= Duration::from_secs(20), "{wait:?}");
        assert!(limits.check(b).is_ok(), "another key is not slowed down");
    }
}
