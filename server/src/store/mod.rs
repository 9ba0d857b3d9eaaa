//! Persistence behind one trait, so that a PostgreSQL backend can replace SQLite without
//! touching a handler. Handlers see only this trait and the records below.

pub mod cases_sql;
mod chain_sql;
mod complaints_sql;
mod jobs_sql;
mod migrations;
pub mod notifications_sql;
pub mod ocds_sql;
pub mod oversight_sql;
mod rows;
pub mod sqlite;
mod stats_sql;

use async_trait::async_trait;
use market_domain::approval::{ApprovalItem, CaseEventView};
use market_domain::complaint::{
    ComplaintStatus, ComplaintTarget, ParsedComplaint, SuspensionProposal,
};
use market_domain::fee::FeeStandard;
use market_domain::job::{Actor, JobDraft, JobEvent, JobState};
use market_domain::listing::{
    Listing, ListingDraft, ParsedSuspension, ReviewDecision, VersionStatus,
};
use market_domain::notify::{Inbox, NotificationKind, NotificationView, PushedNotification};
use market_domain::ocds::ReleaseSource;
use market_domain::oversight::RedFlag;
use market_domain::selection::FeeFlag;
use market_domain::wire::{
    Account, AgencyDetail, AgencyFeeStandard, AgencyFilter, AgencySummary, BidView, JobEventView,
    JobSummary, JobView, ListingVersionView, Page, Qualification, ReviewQueueItem, SuspensionView,
};
use market_domain::wire::{AwardRecord, ObjectionView, RatingRequest, RatingSummary};
use market_domain::wire::{ChainAudit, ChainCheck, DailyRootView};
use market_domain::wire::{ContractTerms, DeliveryReport};
use market_domain::Money;
use market_domain::{CalendarDate, District, Role, ServiceType};
use time::OffsetDateTime;

pub use cases_sql::{CaseEventOutcome, CaseRecord, NewCase, NewCaseEvent, TokenRow};
pub use complaints_sql::{ComplaintRow, ComplaintScope, Respondent};

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
    pub qualifications: Vec<Qualification>,
    pub service_commitment: String,
    pub fee_standards: Vec<FeeStandard>,
    /// Listing versions to record with the agency (seeding), oldest first.
    pub versions: Vec<(VersionStatus, ListingDraft)>,
    pub approved: bool,
}

impl NewAgency {
    /// The public projection of an approved listing.
    pub fn from_listing(listing: &Listing) -> NewAgency {
        NewAgency {
            name: listing.name.as_str().to_owned(),
            credit_code: listing.credit_code.as_str().to_owned(),
            district: listing.district,
            address: listing.address.as_str().to_owned(),
            legal_representative: listing.legal_representative.as_str().to_owned(),
            contact_person: listing.contact_person.as_str().to_owned(),
            phone: listing.phone.as_str().to_owned(),
            email: listing.email.as_str().to_owned(),
            description: listing.description.as_str().to_owned(),
            staff_count: listing.staff_count,
            service_types: listing.service_types.clone(),
            qualifications: listing
                .qualifications
                .iter()
                .map(|q| Qualification {
                    name: q.name.clone(),
                    number: q.number.clone(),
                    level: q.level.clone(),
                    authority: q.authority.clone(),
                    issued_on: q.issued_on,
                    expires_on: q.expires_on,
                    service_types: q.service_types.clone(),
                    expired: false,
                })
                .collect(),
            service_commitment: listing.service_commitment.as_str().to_owned(),
            fee_standards: listing.fee_standards.clone(),
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

/// A job with what only the server may see.
#[derive(Clone, Debug)]
pub struct JobRecord {
    pub view: JobView,
    pub enterprise_user_id: i64,
    pub deadline: Option<OffsetDateTime>,
    /// The random draw's secret until it is revealed.
    pub draw_seed: Option<Vec<u8>>,
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
    pub page: u32,
    pub per_page: u32,
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

    /// Approved, not suspended agencies, with the service types they may offer `today`.
    async fn list_agencies(
        &self,
        filter: &AgencyFilter,
        today: CalendarDate,
    ) -> StoreResult<Page<AgencySummary>>;
    /// Approved agencies only; `None` for pending or unknown ones.
    async fn agency_detail(
        &self,
        id: i64,
        today: CalendarDate,
    ) -> StoreResult<Option<AgencyDetail>>;
    async fn agency_exists(&self, id: i64) -> StoreResult<bool>;
    /// Approved agencies are public; pending ones exist only for their owner and regulators.
    async fn agency_is_public(&self, id: i64) -> StoreResult<bool>;
    /// Published fee standards for a service type, of agencies that may offer it `today`.
    async fn fee_standards_for(
        &self,
        service_type: ServiceType,
        today: CalendarDate,
    ) -> StoreResult<Vec<AgencyFeeStandard>>;

    async fn agency_of_owner(&self, user_id: i64) -> StoreResult<Option<i64>>;
    /// The agency's current public record as a draft, to start the editor from.
    async fn agency_as_draft(&self, agency_id: i64) -> StoreResult<Option<ListingDraft>>;
    /// Newest first.
    async fn listing_versions(&self, agency_id: i64) -> StoreResult<Vec<ListingVersionView>>;
    async fn listing_version(&self, version_id: i64) -> StoreResult<Option<ListingVersionView>>;
    /// Records a new submitted version; an earlier one still awaiting review is superseded.
    async fn submit_listing(
        &self,
        agency_id: i64,
        user_id: i64,
        draft: ListingDraft,
        at: OffsetDateTime,
    ) -> StoreResult<ListingVersionView>;
    /// Submitted versions, oldest first.
    async fn review_queue(&self) -> StoreResult<Vec<ReviewQueueItem>>;
    /// Decides a submitted version; `None` when it is no longer awaiting review (someone else
    /// decided, or a newer submission replaced it). Approval publishes `projection`.
    async fn decide_listing(
        &self,
        version_id: i64,
        decision: ReviewDecision,
        reason: String,
        regulator_id: i64,
        at: OffsetDateTime,
        projection: Option<NewAgency>,
    ) -> StoreResult<Option<ListingVersionView>>;

    async fn active_suspension(
        &self,
        agency_id: i64,
        today: CalendarDate,
    ) -> StoreResult<Option<SuspensionView>>;
    async fn create_suspension(
        &self,
        agency_id: i64,
        suspension: ParsedSuspension,
        regulator_id: i64,
        at: OffsetDateTime,
    ) -> StoreResult<SuspensionView>;
    async fn create_job(
        &self,
        enterprise_user_id: i64,
        draft: JobDraft,
        at: OffsetDateTime,
    ) -> StoreResult<i64>;
    async fn job(&self, id: i64) -> StoreResult<Option<JobRecord>>;
    /// Published and later jobs (never drafts), newest first.
    async fn list_jobs(&self, filter: &JobFilter) -> StoreResult<Page<JobSummary>>;
    /// Replaces a draft's terms; false unless it is still a draft.
    async fn update_job_draft(
        &self,
        id: i64,
        draft: JobDraft,
        at: OffsetDateTime,
    ) -> StoreResult<bool>;
    /// Draft → published, with its deadline and, for a random draw, the secret seed and its
    /// commitment. False unless it was a draft.
    async fn publish_job(
        &self,
        id: i64,
        deadline: OffsetDateTime,
        draw: Option<(Vec<u8>, String)>,
        at: OffsetDateTime,
    ) -> StoreResult<bool>;
    /// Changes a published job's terms: active bids are voided and their bidders must confirm
    /// again. False unless it is published and before its deadline.
    async fn amend_job(
        &self,
        id: i64,
        draft: JobDraft,
        deadline: OffsetDateTime,
        at: OffsetDateTime,
    ) -> StoreResult<bool>;
    /// Opens a published job whose deadline has passed: evaluating with enough active bids,
    /// unsuccessful (流标) otherwise. Returns the new state when it changed.
    async fn settle_job(&self, id: i64, at: OffsetDateTime) -> StoreResult<Option<JobState>>;
    /// Published jobs whose deadline has passed by `at`.
    async fn due_jobs(&self, at: OffsetDateTime) -> StoreResult<Vec<i64>>;
    /// Cancels a draft or an open job; false when it is past that.
    async fn cancel_job(&self, id: i64, reason: String, at: OffsetDateTime) -> StoreResult<bool>;
    async fn create_bid(
        &self,
        job_id: i64,
        agency_id: i64,
        bid: NewBid,
        at: OffsetDateTime,
    ) -> StoreResult<Result<BidView, BidRefusal>>;
    async fn update_bid(
        &self,
        job_id: i64,
        agency_id: i64,
        bid: NewBid,
        at: OffsetDateTime,
    ) -> StoreResult<Result<BidView, BidRefusal>>;
    async fn withdraw_bid(
        &self,
        job_id: i64,
        agency_id: i64,
        at: OffsetDateTime,
    ) -> StoreResult<Result<(), BidRefusal>>;
    async fn bids(&self, job_id: i64) -> StoreResult<Vec<BidView>>;
    /// Active bids on the current terms: (agency id, price, submitted at).
    async fn valid_bids(&self, job_id: i64) -> StoreResult<Vec<(i64, Money, i64)>>;
    /// Conditional transition: false when the job was no longer in `from`.
    async fn advance_job(&self, transition: Transition) -> StoreResult<bool>;
    async fn job_parts(&self, id: i64) -> StoreResult<JobParts>;
    async fn file_objection(
        &self,
        job_id: i64,
        user_id: i64,
        reason: String,
        at: OffsetDateTime,
    ) -> StoreResult<ObjectionView>;
    async fn objections(&self, job_id: i64) -> StoreResult<Vec<ObjectionView>>;
    /// False when the objection was already answered.
    async fn answer_objection(
        &self,
        job_id: i64,
        objection_id: i64,
        upheld: bool,
        answer: String,
        at: OffsetDateTime,
    ) -> StoreResult<bool>;
    /// Records the rating and moves the job from accepted to rated, atomically; false when the
    /// job was not accepted (already rated).
    async fn rate_job(
        &self,
        job_id: i64,
        agency_id: i64,
        rating: RatingRequest,
        at: OffsetDateTime,
    ) -> StoreResult<bool>;
    async fn reply_rating(
        &self,
        job_id: i64,
        agency_id: i64,
        reply: String,
        at: OffsetDateTime,
    ) -> StoreResult<bool>;
    async fn ratings(&self, agency_id: i64) -> StoreResult<RatingSummary>;
    async fn job_events(&self, job_id: i64) -> StoreResult<Vec<JobEventView>>;
    /// Records that `new_id` reposts `old_id`.
    async fn link_repost(&self, new_id: i64, old_id: i64) -> StoreResult<()>;
    /// The red flags the SQL rules raise at `now`.
    async fn red_flags(&self, now: OffsetDateTime) -> StoreResult<Vec<RedFlag>>;
    /// The market statistics; `full` adds step times and the agencies ranking.
    async fn statistics(&self, full: bool) -> StoreResult<StatsParts>;
    /// What the OCDS release of a published job is built from.
    async fn release_source(&self, job_id: i64) -> StoreResult<Option<ReleaseSource>>;
    /// A release as it was published, by its id (JSON).
    async fn stored_release(&self, release_id: &str) -> StoreResult<Option<String>>;
    /// Every release of a job as published: (id, date, tags), oldest first.
    async fn stored_releases(&self, job_id: i64) -> StoreResult<Vec<ocds_sql::StoredRelease>>;
    /// Published jobs changed after `after` (an event id) at or after `since`, with cursors.
    async fn changed_releases(
        &self,
        after: i64,
        since: i64,
        limit: u32,
    ) -> StoreResult<Vec<(i64, ReleaseSource)>>;
    /// Whom a complaint by `complainant` is against: `None` unless the target is a public
    /// agency, an enterprise the complainant dealt with, or a published job.
    async fn complaint_respondent(
        &self,
        complainant: i64,
        target: ComplaintTarget,
    ) -> StoreResult<Option<Respondent>>;
    async fn create_complaint(
        &self,
        complainant: i64,
        complaint: ParsedComplaint,
        respondent: Respondent,
        at: OffsetDateTime,
    ) -> StoreResult<i64>;
    async fn complaint(&self, id: i64) -> StoreResult<Option<ComplaintRow>>;
    async fn complaints(&self, scope: ComplaintScope) -> StoreResult<Vec<ComplaintRow>>;
    /// False when the complaint was no longer in one of `from`.
    async fn step_complaint(
        &self,
        id: i64,
        from: Vec<ComplaintStatus>,
        to: ComplaintStatus,
        text: String,
        at: OffsetDateTime,
    ) -> StoreResult<bool>;
    async fn suspension_proposals(&self) -> StoreResult<Vec<SuspensionProposal>>;
    /// Places the suspension on the proposal's agency, which confirms the proposal in the same
    /// transaction; `None` when the proposal was not open.
    async fn confirm_suspension_proposal(
        &self,
        id: i64,
        suspension: ParsedSuspension,
        regulator: i64,
        at: OffsetDateTime,
    ) -> StoreResult<Option<SuspensionView>>;
    /// False when the proposal was not open.
    async fn dismiss_suspension_proposal(
        &self,
        id: i64,
        regulator: i64,
        note: String,
        at: OffsetDateTime,
    ) -> StoreResult<bool>;
    /// Upheld complaints (id, category, title, decided at), fee-flagged awards and list entries.
    async fn credit_facts(&self, agency_id: i64) -> StoreResult<CreditFacts>;
    /// A live feed of notifications, published after the transaction that wrote them commits.
    fn subscribe_notifications(&self) -> tokio::sync::broadcast::Receiver<Pushed>;
    async fn inbox(&self, user_id: i64, before: Option<i64>, limit: u32) -> StoreResult<Inbox>;
    /// The user's notifications with ids above `after`, oldest first.
    async fn notifications_after(
        &self,
        user_id: i64,
        after: i64,
    ) -> StoreResult<Vec<NotificationView>>;
    async fn unread_notifications(&self, user_id: i64) -> StoreResult<i64>;
    /// Returns the unread count afterwards.
    async fn mark_notifications_read(
        &self,
        user_id: i64,
        ids: Option<Vec<i64>>,
        at: OffsetDateTime,
    ) -> StoreResult<i64>;
    async fn notification_mutes(&self, user_id: i64) -> StoreResult<Vec<NotificationKind>>;
    async fn set_notification_mutes(
        &self,
        user_id: i64,
        muted: Vec<NotificationKind>,
    ) -> StoreResult<()>;
    async fn send_deadline_reminders(&self, now: OffsetDateTime) -> StoreResult<usize>;
    /// Stores the daily root of every past city day (before `today`, `YYYY-MM-DD`) lacking one.
    async fn seal_chain_roots(&self, today: String, now: OffsetDateTime) -> StoreResult<usize>;
    async fn daily_roots(&self, limit: u32) -> StoreResult<Vec<DailyRootView>>;
    async fn chain_check(&self, job_id: i64) -> StoreResult<ChainCheck>;
    async fn chain_audit(&self, now: OffsetDateTime) -> StoreResult<ChainAudit>;
    async fn append_job_event(&self, line: JobLine) -> StoreResult<()>;

    /// Ends a suspension early; false when there is no such unlifted suspension.
    async fn lift_suspension(
        &self,
        suspension_id: i64,
        regulator_id: i64,
        at: OffsetDateTime,
    ) -> StoreResult<bool>;

    // Approval cases (审批办件), their events, and integration tokens.
    async fn seed_approval_items(&self, items: Vec<ApprovalItem>) -> StoreResult<()>;
    async fn approval_items(&self) -> StoreResult<Vec<ApprovalItem>>;
    /// `None` when the case number is taken.
    async fn create_case(
        &self,
        case: NewCase,
        first: NewCaseEvent,
        at: OffsetDateTime,
    ) -> StoreResult<Option<i64>>;
    async fn case(&self, id: i64) -> StoreResult<Option<CaseRecord>>;
    async fn case_id_by_number(&self, number: &str) -> StoreResult<Option<i64>>;
    /// Every case, or one applicant's.
    async fn cases(&self, applicant: Option<i64>) -> StoreResult<Vec<CaseRecord>>;
    async fn case_events(&self, case_id: i64) -> StoreResult<Vec<CaseEventView>>;
    async fn case_jobs(&self, case_id: i64) -> StoreResult<Vec<(i64, ServiceType, JobState)>>;
    async fn record_case_event(
        &self,
        case_id: i64,
        event: NewCaseEvent,
        at: OffsetDateTime,
    ) -> StoreResult<CaseEventOutcome>;
    async fn link_job_to_case(&self, job_id: i64, case_id: i64) -> StoreResult<()>;
    async fn job_case(&self, job_id: i64) -> StoreResult<Option<i64>>;
    async fn enterprise_by_credit_code(&self, code: &str) -> StoreResult<Option<i64>>;
    async fn create_integration_token(
        &self,
        name: String,
        token_hash: String,
        created_by: i64,
        at: OffsetDateTime,
    ) -> StoreResult<i64>;
    async fn revoke_integration_token(&self, id: i64, at: OffsetDateTime) -> StoreResult<bool>;
    /// The name of the live token with this hash.
    async fn integration_token(&self, token_hash: &str) -> StoreResult<Option<String>>;
    async fn integration_tokens(&self) -> StoreResult<Vec<TokenRow>>;
}
