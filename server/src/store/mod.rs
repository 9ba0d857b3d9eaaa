//! Persistence behind one trait, so that a PostgreSQL backend can replace SQLite without
//! touching a handler. Handlers see only this trait and the records below.

mod migrations;
pub mod sqlite;

use async_trait::async_trait;
use market_domain::wire::{Account, AgencyDetail, AgencyFilter, AgencySummary, Page};
use market_domain::{District, Role, ServiceType};
use time::OffsetDateTime;

pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(String),
    /// A uniqueness rule was hit; the payload names which one.
    #[error("unique constraint: {0:?}")]
    Duplicate(UniqueRule),
    #[error("storage task failed: {0}")]
    Task(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UniqueRule {
    Username,
    EnterpriseCreditCode,
    AgencyCreditCode,
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A user to create, with the organisation that comes with the role.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub organization_name: String,
    pub credit_code: Option<String>,
    pub contact_person: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Agencies register their agency together with the account; it starts pending review.
    pub agency: Option<NewAgency>,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug)]
pub struct NewAgency {
    pub name: String,
    pub credit_code: String,
    pub district: District,
    pub address: String,
    pub legal_representative: String,
    pub contact_person: String,
    pub phone: String,
    pub email: String,
    pub description: String,
    pub staff_count: u32,
    pub service_types: Vec<ServiceType>,
    pub qualifications: Vec<market_domain::wire::Qualification>,
    pub approved: bool,
}

#[derive(Clone, Debug)]
pub struct UserCredentials {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub password_hash: String,
}

#[derive(Clone, Debug)]
pub struct SessionRecord {
    pub user_id: i64,
    pub role: Role,
    pub username: String,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
}

#[derive(Clone, Debug)]
pub struct AuditEntry {
    pub at: OffsetDateTime,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub ip: String,
    pub event: &'static str,
    pub outcome: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    pub at: OffsetDateTime,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub ip: String,
    pub event: String,
    pub outcome: String,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    async fn ping(&self) -> StoreResult<()>;

    /// True once the database has been initialised by an earlier start (demo data or not), or
    /// holds accounts created with `create-user` before the first start.
    async fn is_initialised(&self) -> StoreResult<bool>;
    async fn mark_initialised(&self, at: OffsetDateTime, demo: bool) -> StoreResult<()>;

    async fn create_user(&self, user: NewUser) -> StoreResult<i64>;
    /// Inserts agencies without an account, as the demo data and imports do.
    async fn create_agencies(
        &self,
        agencies: Vec<NewAgency>,
        at: OffsetDateTime,
    ) -> StoreResult<()>;
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

    /// Times of failed logins under a throttle key (`user:…` or `ip:…`) since `since`.
    async fn login_failures_since(
        &self,
        key: &str,
        since: OffsetDateTime,
    ) -> StoreResult<Vec<OffsetDateTime>>;
    async fn record_login_failure(&self, keys: Vec<String>, at: OffsetDateTime) -> StoreResult<()>;
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;

    async fn append_audit(&self, entry: AuditEntry) -> StoreResult<()>;
    async fn audit_log(&self, limit: u32) -> StoreResult<Vec<AuditRecord>>;

    /// Approved agencies only.
    async fn list_agencies(&self, filter: &AgencyFilter) -> StoreResult<Page<AgencySummary>>;
    /// Approved agencies only; `None` for pending or unknown ones.
    async fn agency_detail(&self, id: i64) -> StoreResult<Option<AgencyDetail>>;
}
