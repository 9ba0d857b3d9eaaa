//! The PostgreSQL side of [`TransparencyStore`].

use super::chain_sql;
use super::ocds_sql;
use super::oversight_sql;
use super::stats_sql;
use super::{PgStore, StoredRelease, TransparencyStore};
use super::{StatsParts, StoreResult};
use async_trait::async_trait;
use market_domain::ocds::ReleaseSource;
use market_domain::oversight::RedFlag;
use market_domain::wire::{ChainAudit, ChainCheck, DailyRootView};
use time::OffsetDateTime;

#[async_trait]
impl TransparencyStore for PgStore {
    async fn red_flags(&self, now: OffsetDateTime) -> StoreResult<Vec<RedFlag>> {
        self.read(move |conn| oversight_sql::red_flags(conn, now))
            .await
    }

    async fn statistics(&self, full: bool) -> StoreResult<StatsParts> {
        self.read(move |conn| {
            Ok(StatsParts {
                by_month: stats_sql::by_month(conn)?,
                by_service: stats_sql::by_service(conn)?,
                bids_per_job: stats_sql::bids_per_job(conn)?,
                steps: if full {
                    stats_sql::steps(conn)?
                } else {
                    Vec::new()
                },
                top_agencies: if full {
                    stats_sql::top_agencies(conn)?
                } else {
                    Vec::new()
                },
            })
        })
        .await
    }

    async fn stored_release(&self, release_id: &str) -> StoreResult<Option<String>> {
        let release_id = release_id.to_owned();
        self.read(move |conn| ocds_sql::stored_release(conn, &release_id))
            .await
    }

    async fn stored_releases(&self, job_id: i64) -> StoreResult<Vec<StoredRelease>> {
        self.read(move |conn| ocds_sql::stored_releases(conn, job_id))
            .await
    }

    async fn release_source(&self, job_id: i64) -> StoreResult<Option<ReleaseSource>> {
        self.read(move |conn| ocds_sql::source(conn, job_id)).await
    }

    async fn changed_releases(
        &self,
        after: i64,
        since: i64,
        limit: u32,
    ) -> StoreResult<Vec<(i64, ReleaseSource)>> {
        self.read(move |conn| ocds_sql::changed(conn, after, since, limit))
            .await
    }

    async fn seal_chain_roots(&self, today: String, now: OffsetDateTime) -> StoreResult<usize> {
        self.write(move |tx| chain_sql::seal_days_before(tx, &today, now.unix_timestamp()))
            .await
    }

    async fn daily_roots(&self, limit: u32) -> StoreResult<Vec<DailyRootView>> {
        self.read(move |conn| chain_sql::daily_roots(conn, limit))
            .await
    }

    async fn chain_check(&self, job_id: i64) -> StoreResult<ChainCheck> {
        self.read(move |conn| chain_sql::check_job(conn, job_id))
            .await
    }

    async fn chain_audit(&self, now: OffsetDateTime) -> StoreResult<ChainAudit> {
        self.read(move |conn| chain_sql::audit(conn, now.unix_timestamp()))
            .await
    }
}
