//! Approval cases, their events and jobs, and the integration tokens of the approval system.

use super::{CaseEventOutcome, CaseRecord, NewCase, NewCaseEvent, StoreResult, TokenRow};
use async_trait::async_trait;
use market_domain::approval::{ApprovalItem, CaseEventView, ReviewResult};
use market_domain::job::JobState;
use market_domain::ServiceType;
use time::OffsetDateTime;

/// A case as a list shows it: the record, its jobs (id, service type, state) and its reviews.
#[derive(Clone, Debug)]
pub struct CaseLine {
    pub case: CaseRecord,
    pub jobs: Vec<(i64, ServiceType, JobState)>,
    /// The case's technical reviews, oldest first: all a summary needs of its events.
    pub reviews: Vec<(ServiceType, ReviewResult)>,
}

#[async_trait]
pub trait CaseStore: Send + Sync {
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

    /// One page of cases, newest received first, each with its jobs and events; `after` is
    /// the previous page's `next`.
    async fn cases_page(
        &self,
        applicant: Option<i64>,
        after: Option<(i64, u32)>,
        page: u32,
        per_page: u32,
    ) -> StoreResult<market_domain::wire::Page<CaseLine>>;

    /// The cases the off-platform rule may flag, each with its jobs and events; the rule
    /// itself (`market_domain::approval::off_platform`) decides.
    async fn off_platform_candidates(&self) -> StoreResult<Vec<CaseLine>>;

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
