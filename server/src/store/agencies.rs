//! The agency directory, listings and their review, fee standards and suspensions.

use super::{NewAgency, StoreResult};
use async_trait::async_trait;
use market_domain::listing::{ListingDraft, ParsedSuspension, ReviewDecision};
use market_domain::wire::{
    AgencyDetail, AgencyFeeStandard, AgencyFilter, AgencySummary, ListingVersionView, Page,
    ReviewQueueItem, SuspensionView,
};
use market_domain::{CalendarDate, ServiceType};
use time::OffsetDateTime;

#[async_trait]
pub trait AgencyStore: Send + Sync {
    /// Inserts agencies without an account, as the demo data and imports do.
    async fn create_agencies(
        &self,
        agencies: Vec<NewAgency>,
        at: OffsetDateTime,
    ) -> StoreResult<()>;

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

    /// Published fee standards for a service type, of agencies that may offer it `today`, one
    /// page at a time (`after` is the previous page's `next`).
    async fn fee_standards_for(
        &self,
        service_type: ServiceType,
        today: CalendarDate,
        after: Option<(i64, u32)>,
        page: u32,
        per_page: u32,
    ) -> StoreResult<Page<AgencyFeeStandard>>;

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

    /// Ends a suspension early; false when there is no such unlifted suspension.
    async fn lift_suspension(
        &self,
        suspension_id: i64,
        regulator_id: i64,
        at: OffsetDateTime,
    ) -> StoreResult<bool>;
}
