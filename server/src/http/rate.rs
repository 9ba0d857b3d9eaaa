//! A per-account token bucket for state-changing requests: one account cannot flood the
//! single writer (1,372 complaints in 12 s were once accepted). It counts real time, not the
//! injectable business clock, because it guards the machine, not a rule of the marketplace.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Writes an account may make at once before it has to slow down, unless configured.
pub const BURST: u32 = 60;
/// Writes per second an account gets back.
pub const REFILL_PER_SECOND: f64 = 2.0;

pub struct WriteLimiter {
    burst: f64,
    buckets: Mutex<HashMap<i64, Bucket>>,
}

impl Default for WriteLimiter {
    fn default() -> Self {
        WriteLimiter::new(BURST)
    }
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl WriteLimiter {
    /// A limiter that lets each account make `burst` writes at once.
    pub fn new(burst: u32) -> WriteLimiter {
        WriteLimiter {
            burst: f64::from(burst.max(1)),
            buckets: Mutex::default(),
        }
    }

    /// Takes one write for the account; `Err(wait)` when its bucket is empty.
    pub fn take(&self, user_id: i64) -> Result<(), Duration> {
        self.take_at(user_id, Instant::now())
    }

    fn take_at(&self, user_id: i64, now: Instant) -> Result<(), Duration> {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() > 100_000 {
            // Full buckets carry no information; dropping them bounds the map.
            let burst = self.burst;
            buckets.retain(|_, b| refilled(b, now, burst) < burst);
        }
        let bucket = buckets.entry(user_id).or_insert(Bucket {
            tokens: self.burst,
            updated: now,
        });
        bucket.tokens = refilled(bucket, now, self.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - bucket.tokens) / REFILL_PER_SECOND,
            ))
        }
    }
}

fn refilled(bucket: &Bucket, now: Instant, burst: f64) -> f64 {
    let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
    (bucket.tokens + elapsed * REFILL_PER_SECOND).min(burst)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_writes_wait_for_the_refill() {
        let limiter = WriteLimiter::default();
        let start = Instant::now();
        for _ in 0..BURST {
            assert!(limiter.take_at(7, start).is_ok());
        }
        let wait = limiter.take_at(7, start).unwrap_err();
        assert_eq!(wait, Duration::from_millis(500));
        assert!(limiter
            .take_at(7, start + Duration::from_millis(500))
            .is_ok());
    }

    #[test]
    fn each_account_has_its_own_bucket() {
        let limiter = WriteLimiter::default();
        let start = Instant::now();
        for _ in 0..BURST {
            limiter.take_at(1, start).unwrap();
        }
        assert!(limiter.take_at(1, start).is_err());
        assert!(limiter.take_at(2, start).is_ok());
    }
}
