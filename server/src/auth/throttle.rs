//! Login throttling (ASVS 5.0 V6.3, NIST SP 800-63B 5.2.2): guessing stays bounded per
//! account, yet a stranger's guesses never lock the owner out of an address it has signed in
//! from, and one address (a shared office NAT) cannot lock out every account behind it.
//!
//! Every attempt is reserved atomically under all its keys before the password is hashed, so
//! concurrency cannot exceed a limit.

use crate::error::ApiResult;
use crate::store::{LoginAttempt, Reservation, Store, ThrottleKey};
use time::{Duration, OffsetDateTime};

/// The window every limit counts in.
pub const WINDOW: Duration = Duration::minutes(15);
/// Attempts on one account from one address.
pub const PER_ACCOUNT_AND_ADDRESS: usize = 5;
/// Attempts on one account from addresses it has never signed in from, all together.
pub const PER_ACCOUNT: usize = 10;
/// Attempts from one address on accounts that never signed in from it (password spraying).
pub const PER_ADDRESS: usize = 30;
/// A successful login keeps its address known for the account this long.
pub const KNOWN_ADDRESS_FOR: Duration = Duration::days(90);

/// Registrations from one address within `REGISTRATION_WINDOW`.
pub const REGISTRATIONS_PER_ADDRESS: usize = 20;
pub const REGISTRATION_WINDOW: Duration = Duration::hours(1);

/// The key that a successful login clears.
pub fn pair_key(username: &str, ip: &str) -> String {
    format!("pair:{username}|{ip}")
}

fn attempt(username: &str, ip: &str, at: OffsetDateTime) -> LoginAttempt {
    LoginAttempt {
        username: username.to_owned(),
        ip: ip.to_owned(),
        at,
        window: WINDOW,
        known_for: KNOWN_ADDRESS_FOR,
        keys: vec![
            ThrottleKey {
                key: pair_key(username, ip),
                limit: PER_ACCOUNT_AND_ADDRESS,
                waived_for_known_address: false,
            },
            ThrottleKey {
                key: format!("user:{username}"),
                limit: PER_ACCOUNT,
                waived_for_known_address: true,
            },
            ThrottleKey {
                key: format!("ip:{ip}"),
                limit: PER_ADDRESS,
                waived_for_known_address: true,
            },
        ],
    }
}

/// Reserves one password check: the rows that count it, or how long to wait.
pub async fn reserve(
    store: &dyn Store,
    username: &str,
    ip: &str,
    now: OffsetDateTime,
) -> ApiResult<Result<Vec<i64>, Duration>> {
    Ok(
        match store
            .reserve_login_attempt(attempt(username, ip, now))
            .await?
        {
            Reservation::Granted(rows) => Ok(rows),
            Reservation::Locked(until) => Err((until - now).max(Duration::SECOND)),
        },
    )
}

/// A right password counts against nothing: its reservation goes, the pair's failures are
/// forgiven, and the address is remembered for the account.
pub async fn succeeded(
    store: &dyn Store,
    username: &str,
    ip: &str,
    reservation: Vec<i64>,
    now: OffsetDateTime,
) -> ApiResult<()> {
    store
        .record_login_success(username, ip, reservation, &pair_key(username, ip), now)
        .await?;
    Ok(())
}

/// Reserves one registration for the address; `Some(wait)` when its limit is reached.
pub async fn reserve_registration(
    store: &dyn Store,
    ip: &str,
    now: OffsetDateTime,
) -> ApiResult<Option<Duration>> {
    let reserved = store
        .reserve_login_attempt(LoginAttempt {
            username: String::new(),
            ip: ip.to_owned(),
            at: now,
            window: REGISTRATION_WINDOW,
            known_for: Duration::ZERO,
            keys: vec![ThrottleKey {
                key: format!("register:{ip}"),
                limit: REGISTRATIONS_PER_ADDRESS,
                waived_for_known_address: false,
            }],
        })
        .await?;
    Ok(match reserved {
        Reservation::Granted(_) => None,
        Reservation::Locked(until) => Some((until - now).max(Duration::SECOND)),
    })
}
