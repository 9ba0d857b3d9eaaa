//! Complaints, credit facts and automatic suspension proposals.

use super::{ComplaintRow, ComplaintScope, CreditFacts, Respondent, StoreResult};
use async_trait::async_trait;
use market_domain::complaint::{
    ComplaintStatus, ComplaintTarget, ParsedComplaint, SuspensionProposal,
};
use market_domain::listing::ParsedSuspension;
use market_domain::wire::SuspensionView;
use time::OffsetDateTime;

#[async_trait]
pub trait ComplaintStore: Send + Sync {
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
}
