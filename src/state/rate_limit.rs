//! Per-key token buckets for write requests (one instance's view; behind a load balancer
//! each instance limits on its own).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Token buckets by key id.
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<i64, (f64, Instant)>>,
}

impl RateLimiter {
    /// A limiter allowing `per_minute` writes per key, in bursts of up to that many; 0 disables it.
    pub fn new(per_minute: u32) -> Self {
        Self { per_minute, buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes a token for a key; `Err(seconds)` says when to retry.
    pub fn check(&self, key_id: i64) -> Result<(), u64> {
        self.check_at(key_id, Instant::now())
    }

    fn check_at(&self, key_id: i64, now: Instant) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let Ok(mut buckets) = self.buckets.lock() else { return Ok(()) };
        let (tokens, last) = buckets.entry(key_id).or_insert((capacity, now));
        *tokens = (*tokens + now.saturating_duration_since(*last).as_secs_f64() * per_second).min(capacity);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / per_second).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RateLimiter;
    use std::time::{Duration, Instant};

    #[test]
    fn a_key_gets_its_burst_then_waits_for_refill() {
        let limiter = RateLimiter::new(3);
        let start = Instant::now();
        assert!((0..3).all(|_| limiter.check_at(1, start).is_ok()));
        let wait = limiter.check_at(1, start).unwrap_err();
        assert_eq!(wait, 20, "3 per minute: one token every 20 s");
        assert!(limiter.check_at(2, start).is_ok(), "keys are limited separately");
        assert!(limiter.check_at(1, start + Duration::from_secs(21)).is_ok());
        assert!(RateLimiter::new(0).check_at(1, start).is_ok());
    }
}
