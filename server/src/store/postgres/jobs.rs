//! The PostgreSQL side of [`JobStore`].

use super::conn::{params, Connection};
use super::{
    bids_sql, jobs_sql, objections_sql, ratings_sql, BidRefusal, BidWrite, JobFilter, JobLine,
    JobParts, JobPatch, JobRecord, NewBid, StoreResult, Transition,
};
use super::{JobStore, PgStore};
use async_trait::async_trait;
use market_domain::job::{Actor, JobDraft, JobEvent, JobState};
use market_domain::wire::{BidView, JobEventView, JobSummary, Page};
use time::OffsetDateTime;

#[async_trait]
impl JobStore for PgStore {
    async fn create_job(
        &self,
        owner: i64,
        draft: JobDraft,
        at: OffsetDateTime,
    ) -> StoreResult<i64> {
        self.write(move |tx| jobs_sql::create_job(tx, owner, &draft, at))
            .await
    }

    async fn job(&self, id: i64) -> StoreResult<Option<JobRecord>> {
        self.read(move |conn| jobs_sql::job(conn, id)).await
    }

    async fn job_terms(
        &self,
        ids: Vec<i64>,
    ) -> StoreResult<std::collections::HashMap<i64, JobDraft>> {
        self.read_inline(move |conn| jobs_sql::terms(conn, &ids))
            .await
    }

    async fn list_jobs(&self, filter: &JobFilter) -> StoreResult<Page<JobSummary>> {
        let filter = filter.clone();
        let search = std::sync::Arc::clone(&self.search);
        self.read_inline(move |conn| {
            search.catch_up(conn, None)?;
            // One read transaction for the rest of the page: one snapshot, one lock.
            let snapshot = conn.unchecked_transaction()?;
            let conn: &Connection = &snapshot;
            let within = match filter.bidder {
                Some(agency) => Some(super::search_sql::jobs_bid_on(conn, agency)?),
                None => None,
            };
            let found = search
                .with_notices(|notices| {
                    notices.query(&crate::search::notices::NoticeQuery {
                        state: filter.state,
                        service: filter.service_type,
                        any_service: filter.any_service.clone(),
                        owner: filter.owner,
                        within,
                        q: filter.q.clone(),
                        after: filter.after.clone(),
                        page: filter.page,
                        per_page: filter.per_page,
                    })
                })
                .ok_or_else(|| {
                    crate::store::StoreError::Task("the notices index is not built".into())
                })?;
            let items = jobs_sql::summaries(conn, &found.ids)?;
            Ok(Page {
                items,
                total: found.total,
                page: filter.page.max(1),
                per_page: filter.per_page,
                next: found.next,
            })
        })
        .await
    }

    async fn update_job_draft(
        &self,
        id: i64,
        draft: JobDraft,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| jobs_sql::update_draft(tx, id, &draft, at))
            .await
    }

    async fn publish_job(
        &self,
        id: i64,
        deadline: OffsetDateTime,
        draw: Option<(Vec<u8>, String)>,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| jobs_sql::publish(tx, id, deadline, draw, at))
            .await
    }

    async fn amend_job(
        &self,
        id: i64,
        draft: JobDraft,
        deadline: OffsetDateTime,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| jobs_sql::amend(tx, id, &draft, deadline, at))
            .await
    }

    async fn settle_job(&self, id: i64, at: OffsetDateTime) -> StoreResult<Option<JobState>> {
        self.write(move |tx| jobs_sql::settle(tx, id, at)).await
    }

    async fn put_bid(
        &self,
        job_id: i64,
        agency_id: i64,
        bid: NewBid,
        write: BidWrite,
        at: OffsetDateTime,
    ) -> StoreResult<Result<BidView, BidRefusal>> {
        self.write(move |tx| bids_sql::put_bid(tx, job_id, agency_id, &bid, write, at))
            .await
    }

    async fn withdraw_bid(
        &self,
        job_id: i64,
        agency_id: i64,
        at: OffsetDateTime,
    ) -> StoreResult<Result<(), BidRefusal>> {
        self.write(move |tx| bids_sql::withdraw_bid(tx, job_id, agency_id, at))
            .await
    }

    async fn bids(&self, job_id: i64) -> StoreResult<Vec<BidView>> {
        self.read(move |conn| bids_sql::bids(conn, job_id)).await
    }

    async fn job_events(&self, job_id: i64) -> StoreResult<Vec<JobEventView>> {
        self.read(move |conn| jobs_sql::events(conn, job_id)).await
    }

    async fn link_repost(&self, new_id: i64, old_id: i64) -> StoreResult<()> {
        self.write(move |tx| {
            tx.run(
                "UPDATE jobs SET reposted_from = $2 WHERE id = $1",
                params![new_id, old_id],
            )?;
            Ok(())
        })
        .await
    }

    async fn append_job_event(&self, line: JobLine) -> StoreResult<()> {
        self.write(move |tx| jobs_sql::line(tx, &line)).await
    }

    async fn valid_bids(
        &self,
        job_id: i64,
    ) -> StoreResult<Vec<market_domain::selection::RankedBid>> {
        self.read(move |conn| bids_sql::valid_bids(conn, job_id))
            .await
    }

    async fn advance_job(&self, transition: Transition) -> StoreResult<bool> {
        self.write(move |tx| jobs_sql::advance(tx, &transition))
            .await
    }

    async fn job_parts(&self, id: i64) -> StoreResult<JobParts> {
        self.read(move |conn| jobs_sql::job_parts(conn, id)).await
    }

    async fn file_objection(
        &self,
        job_id: i64,
        user_id: i64,
        reason: String,
        at: OffsetDateTime,
    ) -> StoreResult<market_domain::wire::ObjectionView> {
        self.write(move |tx| objections_sql::file_objection(tx, job_id, user_id, &reason, at))
            .await
    }

    async fn objections(
        &self,
        job_id: i64,
    ) -> StoreResult<Vec<market_domain::wire::ObjectionView>> {
        self.read(move |conn| objections_sql::objections(conn, job_id))
            .await
    }

    async fn answer_objection(
        &self,
        job_id: i64,
        objection_id: i64,
        upheld: bool,
        answer: String,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| {
            objections_sql::answer_objection(tx, job_id, objection_id, upheld, &answer, at)
        })
        .await
    }

    async fn rate_job(
        &self,
        job_id: i64,
        agency_id: i64,
        rating: market_domain::wire::RatingRequest,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| {
            let transition = JobLine::new(
                job_id,
                at,
                Actor::Enterprise,
                JobEvent::Rated,
                "业主完成评价",
            )
            .moving(JobState::Accepted, JobState::Rated, JobPatch::default());
            let moved = jobs_sql::advance(tx, &transition)?;
            if moved {
                ratings_sql::insert_rating(tx, job_id, agency_id, &rating, at)?;
            }
            Ok(moved)
        })
        .await
    }

    async fn reply_rating(
        &self,
        job_id: i64,
        agency_id: i64,
        reply: String,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| ratings_sql::reply_rating(tx, job_id, agency_id, &reply, at))
            .await
    }

    async fn ratings(&self, agency_id: i64) -> StoreResult<market_domain::wire::RatingSummary> {
        self.read(move |conn| ratings_sql::ratings(conn, agency_id))
            .await
    }

    async fn due_jobs(&self, at: OffsetDateTime) -> StoreResult<Vec<i64>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id FROM jobs WHERE state = 'published' AND deadline <= $1 ORDER BY deadline",
            )?;
            let ids = stmt
                .query_map([at.unix_timestamp()], |row| row.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(ids)
        })
        .await
    }

    async fn cancel_job(&self, id: i64, reason: String, at: OffsetDateTime) -> StoreResult<bool> {
        self.write(move |tx| {
            let changed = tx.run(
                "UPDATE jobs SET state = 'cancelled', unsuccessful_reason = $2
                 WHERE id = $1 AND state IN ('draft', 'published', 'evaluating')",
                params![id, reason],
            )?;
            if changed == 1 {
                tx.run(
                    "UPDATE bids SET status = 'voided', updated_at = $2 WHERE job_id = $1 AND status = 'active'",
                    params![id, at.unix_timestamp()],
                )?;
                jobs_sql::event(tx, id, at, Actor::Enterprise, JobEvent::Cancelled, &format!("业主撤销项目:{reason}"))?;
            }
            Ok(changed == 1)
        })
        .await
    }
}
