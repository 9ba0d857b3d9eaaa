//! Accounts, sessions, login throttling and the audit log.

use super::{
    AuditEntry, AuditRecord, LoginAttempt, NewUser, Reservation, SessionRecord, StoreResult,
    UserCredentials,
};
use async_trait::async_trait;
use market_domain::wire::Account;
use time::OffsetDateTime;

#[async_trait]
pub trait AccountStore: Send + Sync {
    async fn create_user(&self, user: NewUser) -> StoreResult<i64>;

    async fn credentials(&self, username: &str) -> StoreResult<Option<UserCredentials>>;

    async fn account(&self, user_id: i64) -> StoreResult<Option<Account>>;

    async fn create_session(
        &self,
        token_hash: Vec<u8>,
        user_id: i64,
        at: OffsetDateTime,
        ip: &str,
    ) -> StoreResult<()>;

    async fn session(&self, token_hash: Vec<u8>) -> StoreResult<Option<SessionRecord>>;

    async fn touch_session(&self, token_hash: Vec<u8>, at: OffsetDateTime) -> StoreResult<()>;

    async fn delete_session(&self, token_hash: Vec<u8>) -> StoreResult<()>;

    /// Atomically checks every throttle key of a login and, when none is at its limit,
    /// records the attempt under each of them before the password is checked, so concurrent
    /// attempts cannot all slip under the limit.
    async fn reserve_login_attempt(&self, attempt: LoginAttempt) -> StoreResult<Reservation>;

    /// A login succeeded: the address becomes known for the account, the attempt's own
    /// reservation is dropped, and the failures recorded under `forgive_key` (the
    /// account-and-address pair) are forgiven.
    async fn record_login_success(
        &self,
        username: &str,
        ip: &str,
        reservation: Vec<i64>,
        forgive_key: &str,
        at: OffsetDateTime,
    ) -> StoreResult<()>;

    async fn append_audit(&self, entry: AuditEntry) -> StoreResult<()>;

    async fn audit_log(&self, limit: u32) -> StoreResult<Vec<AuditRecord>>;

    /// Records with `from <= at < to` and `id > after`, oldest first, at most `limit`.
    async fn audit_page(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<AuditRecord>>;

    /// Deletes records older than `before`; the database itself refuses any younger than
    /// 180 days. Returns how many went.
    async fn prune_audit(&self, before: OffsetDateTime) -> StoreResult<u64>;

    async fn enterprise_by_credit_code(&self, code: &str) -> StoreResult<Option<i64>>;
}
