//! Persistence behind one `Store` trait, the union of one trait per feature, so that a
//! PostgreSQL backend can sit beside SQLite without touching a handler. Handlers see only these
//! traits and the records below.

mod accounts;
mod agencies;
mod cases;
mod complaints;
mod jobs;
mod notifications;
pub mod postgres;
pub mod sqlite;
mod transparency;

pub use accounts::AccountStore;
pub use agencies::AgencyStore;
pub use cases::{CaseLine, CaseStore};
pub use complaints::ComplaintStore;
pub use jobs::JobStore;
pub use notifications::NotificationStore;
pub use transparency::{StoredRelease, TransparencyStore};

use async_trait::async_trait;
use market_domain::award::AwardRecord;
use market_domain::job::{Actor, JobEvent, JobState};
use market_domain::listing::{Listing, ListingDraft, VersionStatus};
use market_domain::notify::PushedNotification;
use market_domain::selection::FeeFlag;
use market_domain::wire::{AgencyProfile, JobView, SuspensionView};
use market_domain::wire::{ContractTerms, DeliveryReport};
use market_domain::Money;
use market_domain::{Role, ServiceType};
use time::OffsetDateTime;

pub use sqlite::cases_sql::{CaseEventOutcome, CaseRecord, NewCase, NewCaseEvent, TokenRow};
pub use sqlite::complaints_sql::{ComplaintRow, ComplaintScope, Respondent};

/// What an agency's credit score is computed from.
#[derive(Clone, Debug, Default)]
pub struct CreditFacts {
    pub upheld: Vec<(
        i64,
        market_domain::complaint::ComplaintCategory,
        String,
        i64,
    )>,
    pub fee_flagged_awards: i64,
    /// Entries with the Unix time each was lifted, if it was.
    pub entries: Vec<(SuspensionView, Option<i64>)>,
}
pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// The statistics as the store computes them; the handler adds scope and time.
#[derive(Clone, Debug, Default)]
pub struct StatsParts {
    pub by_month: Vec<market_domain::stats::VolumeRow>,
    pub by_service: Vec<market_domain::stats::VolumeRow>,
    pub bids_per_job: Vec<market_domain::stats::BidsBucket>,
    pub steps: Vec<market_domain::stats::StepRow>,
    pub top_agencies: Vec<market_domain::stats::AgencyAwards>,
}

/// A notification on its way to one user's live streams.
#[derive(Clone, Debug)]
pub struct Pushed {
    pub user_id: i64,
    pub event: PushedNotification,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(String),
    /// A uniqueness rule was hit; the payload names which one.
    #[error("unique constraint: {0:?}")]
    Duplicate(UniqueRule),
    #[error("storage task failed: {0}")]
    Task(String),
    /// Every connection stayed busy for longer than a request may wait: try again soon.
    #[error("storage busy")]
    Busy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UniqueRule {
    Username,
    EnterpriseCreditCode,
    AgencyCreditCode,
}

pub type StoreResult<T> = Result<T, StoreError>;

/// One login attempt to reserve against its throttle keys.
#[derive(Clone, Debug)]
pub struct LoginAttempt {
    pub username: String,
    pub ip: String,
    pub at: OffsetDateTime,
    pub window: time::Duration,
    /// How long a successful login keeps an address known for the account.
    pub known_for: time::Duration,
    pub keys: Vec<ThrottleKey>,
}

/// The outcome of reserving an attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reservation {
    /// Counted under every key; the ids of the rows that count it.
    Granted(Vec<i64>),
    /// A key is at its limit until then.
    Locked(OffsetDateTime),
}

/// A counter and its limit within the window.
#[derive(Clone, Debug)]
pub struct ThrottleKey {
    pub key: String,
    pub limit: usize,
    /// The key does not apply when the account has signed in from this address before.
    pub waived_for_known_address: bool,
}

/// The organisation an account speaks for, as its users table row holds it.
#[derive(Clone, Debug)]
pub struct Organization {
    pub name: String,
    pub credit_code: Option<String>,
    pub contact_person: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A user to create, with the organisation that comes with the role.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub organization: Organization,
    /// Agencies register their agency together with the account; it starts pending review.
    pub agency: Option<NewAgency>,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug)]
pub struct NewAgency {
    pub profile: AgencyProfile,
    /// Listing versions to record with the agency (seeding), oldest first.
    pub versions: Vec<(VersionStatus, ListingDraft)>,
    pub approved: bool,
}

impl NewAgency {
    /// The public projection of an approved listing.
    pub fn from_listing(listing: &Listing) -> NewAgency {
        NewAgency {
            profile: AgencyProfile::from_listing(listing),
            versions: Vec::new(),
            approved: true,
        }
    }
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
    pub event: String,
    pub outcome: String,
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

/// A job with what only the server may see.
#[derive(Clone, Debug)]
pub struct JobRecord {
    pub view: JobView,
    pub enterprise_user_id: i64,
    pub deadline: Option<OffsetDateTime>,
    /// The random draw's secret until it is revealed.
    pub draw_seed: Option<Vec<u8>>,
}

/// Which bid write an agency asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BidWrite {
    /// A new bid, or a voided or withdrawn one confirmed again.
    Place,
    /// A change to the active bid.
    Revise,
}

#[derive(Clone, Debug)]
pub struct NewBid {
    pub price: Money,
    pub service_days: u32,
    pub commitment: String,
    pub proposal: String,
    pub flags: Vec<FeeFlag>,
}

/// Why a bid was not stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BidRefusal {
    NotOpen,
    DeadlinePassed,
    AlreadyBid,
    NoBid,
}

/// Parts of a job replaced by a transition; `None` leaves a part as it is.
#[derive(Clone, Debug, Default)]
pub struct JobPatch {
    pub award: Option<AwardRecord>,
    pub contract: Option<ContractTerms>,
    pub delivery: Option<DeliveryReport>,
}

/// A job's award, contract and delivery.
pub type JobParts = (
    Option<AwardRecord>,
    Option<ContractTerms>,
    Option<DeliveryReport>,
);

/// One line of a job's timeline, as the store appends it to the job's hash chain.
#[derive(Clone, Debug)]
pub struct JobLine {
    pub job_id: i64,
    pub at: OffsetDateTime,
    pub actor: Actor,
    pub event: JobEvent,
    pub detail: String,
}

impl JobLine {
    pub fn new(
        job_id: i64,
        at: OffsetDateTime,
        actor: Actor,
        event: JobEvent,
        detail: impl Into<String>,
    ) -> JobLine {
        JobLine {
            job_id,
            at,
            actor,
            event,
            detail: detail.into(),
        }
    }

    /// This line, written by a move of the job from `from` to `to` that also stores `patch`.
    pub fn moving(self, from: JobState, to: JobState, patch: JobPatch) -> Transition {
        Transition {
            from,
            to,
            patch,
            line: self,
        }
    }
}

/// A state change of a job, conditional on the state it was read in, and the line it writes.
#[derive(Clone, Debug)]
pub struct Transition {
    pub from: JobState,
    pub to: JobState,
    pub patch: JobPatch,
    pub line: JobLine,
}

#[derive(Clone, Debug, Default)]
pub struct JobFilter {
    pub state: Option<JobState>,
    pub service_type: Option<ServiceType>,
    /// Only this enterprise user's jobs, drafts included.
    pub owner: Option<i64>,
    /// Only jobs this agency has bid on (in any bid status).
    pub bidder: Option<i64>,
    /// Only jobs of one of these service types (none: any).
    pub any_service: Vec<ServiceType>,
    /// Text in the project name, the scope or the owner's name.
    pub q: Option<String>,
    /// Where the previous page ended (`Page::next`); when given, `page` is not used.
    pub after: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

/// Every feature's store, so that handlers hold one `Arc<dyn Store>`; each feature's methods are
/// declared in its own file (`accounts.rs`, `jobs.rs`, …) and implemented per backend in
/// `sqlite/<feature>.rs`.
#[async_trait]
pub trait Store:
    AccountStore
    + AgencyStore
    + JobStore
    + TransparencyStore
    + ComplaintStore
    + NotificationStore
    + CaseStore
    + Send
    + Sync
    + 'static
{
    async fn ping(&self) -> StoreResult<()>;

    /// True once the database has been initialised by an earlier start (demo data or not), or
    /// holds accounts created with `create-user` before the first start.
    async fn is_initialised(&self) -> StoreResult<bool>;

    async fn mark_initialised(&self, at: OffsetDateTime, demo: bool) -> StoreResult<()>;

    /// Builds (or brings up to date) the in-memory directory; returns how many agencies it holds.
    async fn prepare_search(&self, today: market_domain::CalendarDate) -> StoreResult<usize>;

    /// Forgets change-feed entries this server has applied.
    async fn prune_search_feed(&self) -> StoreResult<usize>;

    /// The red-flag rules as the SQL this backend runs, for the console to show beside them.
    fn rule_docs(&self) -> Vec<market_domain::oversight::RuleDoc>;
}
