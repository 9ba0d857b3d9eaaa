//! Jobs, sealed bids, awards, objections, ratings and the job timeline.

use super::{
    BidRefusal, BidWrite, JobFilter, JobLine, JobParts, JobRecord, NewBid, StoreResult, Transition,
};
use async_trait::async_trait;
use market_domain::job::{JobDraft, JobState};
use market_domain::selection::RankedBid;
use market_domain::wire::{BidView, JobEventView, JobSummary, Page};
use market_domain::wire::{ObjectionView, RatingRequest, RatingSummary};
use time::OffsetDateTime;

#[async_trait]
pub trait JobStore: Send + Sync {
    async fn create_job(
        &self,
        enterprise_user_id: i64,
        draft: JobDraft,
        at: OffsetDateTime,
    ) -> StoreResult<i64>;

    async fn job(&self, id: i64) -> StoreResult<Option<JobRecord>>;

    /// The current terms of several jobs, by id, in one read (missing ids are left out).
    async fn job_terms(
        &self,
        ids: Vec<i64>,
    ) -> StoreResult<std::collections::HashMap<i64, JobDraft>>;

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

    /// Places the agency's bid (confirming a voided or withdrawn one again in place), or
    /// revises its active one; either only while the job is open for bids.
    async fn put_bid(
        &self,
        job_id: i64,
        agency_id: i64,
        bid: NewBid,
        write: BidWrite,
        at: OffsetDateTime,
    ) -> StoreResult<Result<BidView, BidRefusal>>;

    async fn withdraw_bid(
        &self,
        job_id: i64,
        agency_id: i64,
        at: OffsetDateTime,
    ) -> StoreResult<Result<(), BidRefusal>>;

    async fn bids(&self, job_id: i64) -> StoreResult<Vec<BidView>>;

    /// Active bids on the current terms, as the award rules rank them.
    async fn valid_bids(&self, job_id: i64) -> StoreResult<Vec<RankedBid>>;

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

    async fn append_job_event(&self, line: JobLine) -> StoreResult<()>;
}
