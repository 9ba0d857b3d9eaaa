//! What the public and regulators read across all jobs: red flags, statistics, the OCDS releases and the hash chain's daily roots.

use super::{StatsParts, StoreResult};
use async_trait::async_trait;
use market_domain::ocds::ReleaseSource;
use market_domain::oversight::RedFlag;
use market_domain::wire::{ChainAudit, ChainCheck, DailyRootView};
use time::OffsetDateTime;

/// A release as published: (id, date, tags).
pub type StoredRelease = (String, String, Vec<String>);

#[async_trait]
pub trait TransparencyStore: Send + Sync {
    /// The red flags the SQL rules raise at `now`.
    async fn red_flags(&self, now: OffsetDateTime) -> StoreResult<Vec<RedFlag>>;

    /// The market statistics; `full` adds step times and the agencies ranking.
    async fn statistics(&self, full: bool) -> StoreResult<StatsParts>;

    /// What the OCDS release of a published job is built from.
    async fn release_source(&self, job_id: i64) -> StoreResult<Option<ReleaseSource>>;

    /// A release as it was published, by its id (JSON).
    async fn stored_release(&self, release_id: &str) -> StoreResult<Option<String>>;

    /// Every release of a job as published: (id, date, tags), oldest first.
    async fn stored_releases(&self, job_id: i64) -> StoreResult<Vec<StoredRelease>>;

    /// Published jobs changed after `after` (an event id) at or after `since`, with cursors.
    async fn changed_releases(
        &self,
        after: i64,
        since: i64,
        limit: u32,
    ) -> StoreResult<Vec<(i64, ReleaseSource)>>;

    /// Stores the daily root of every past city day (before `today`, `YYYY-MM-DD`) lacking one.
    async fn seal_chain_roots(&self, today: String, now: OffsetDateTime) -> StoreResult<usize>;

    async fn daily_roots(&self, limit: u32) -> StoreResult<Vec<DailyRootView>>;

    async fn chain_check(&self, job_id: i64) -> StoreResult<ChainCheck>;

    async fn chain_audit(&self, now: OffsetDateTime) -> StoreResult<ChainAudit>;
}
