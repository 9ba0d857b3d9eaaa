//! Login lockout: 5 failures for one account or from one address lock it for 15 minutes.

use crate::error::ApiResult;
use crate::store::Store;
use time::{Duration, OffsetDateTime};

pub const MAX_FAILURES: usize = 5;
pub const LOCKOUT: Duration = Duration::minutes(15);

/// Throttle keys for an attempt: the account first, then the address.
pub fn keys(username: &str, ip: &str) -> [String; 2] {
    [format!("user:{username}"), format!("ip:{ip}")]
}

/// How long the attempt must still wait, if any key has reached the limit. Refused attempts
/// are not recorded, so a lock ends 15 minutes after the failure that caused it.
pub async fn locked_for(
    store: &dyn Store,
    keys: &[String],
    now: OffsetDateTime,
) -> ApiResult<Option<Duration>> {
    let mut wait: Option<Duration> = None;
    for key in keys {
        let failures = store.login_failures_since(key, now - LOCKOUT).await?;
        if failures.len() >= MAX_FAILURES {
            let latest = failures.iter().max().copied().unwrap_or(now);
            let remaining = latest + LOCKOUT - now;
            wait = Some(wait.map_or(remaining, |w| w.max(remaining)));
        }
    }
    Ok(wait)
}
