//! The PostgreSQL side of [`CaseStore`].

use super::cases_sql::{self, CaseEventOutcome, CaseRecord, NewCase, NewCaseEvent, TokenRow};
use super::StoreResult;
use super::{CaseLine, CaseStore, PgStore};
use async_trait::async_trait;
use market_domain::approval::{ApprovalItem, CaseEventView};
use market_domain::job::JobState;
use market_domain::ServiceType;
use time::OffsetDateTime;

#[async_trait]
impl CaseStore for PgStore {
    async fn seed_approval_items(&self, items: Vec<ApprovalItem>) -> StoreResult<()> {
        self.write(move |tx| cases_sql::seed_items(tx, &items))
            .await
    }

    async fn approval_items(&self) -> StoreResult<Vec<ApprovalItem>> {
        self.read(cases_sql::items).await
    }

    async fn create_case(
        &self,
        case: NewCase,
        first: NewCaseEvent,
        at: OffsetDateTime,
    ) -> StoreResult<Option<i64>> {
        self.write(move |tx| cases_sql::create_case(tx, &case, &first, at))
            .await
    }

    async fn case(&self, id: i64) -> StoreResult<Option<CaseRecord>> {
        let items = std::sync::Arc::clone(&self.items);
        self.read(move |conn| cases_sql::case(conn, &items, id))
            .await
    }

    async fn case_id_by_number(&self, number: &str) -> StoreResult<Option<i64>> {
        let number = number.to_owned();
        self.read(move |conn| cases_sql::case_id_by_number(conn, &number))
            .await
    }

    async fn cases(&self, applicant: Option<i64>) -> StoreResult<Vec<CaseRecord>> {
        let items = std::sync::Arc::clone(&self.items);
        self.read(move |conn| cases_sql::cases(conn, &items, applicant))
            .await
    }

    async fn cases_page(
        &self,
        applicant: Option<i64>,
        after: Option<(i64, u32)>,
        page: u32,
        per_page: u32,
    ) -> StoreResult<market_domain::wire::Page<CaseLine>> {
        let items = std::sync::Arc::clone(&self.items);
        self.read_inline(move |conn| {
            // One read transaction for the page: one snapshot, one lock.
            let snapshot = conn.unchecked_transaction()?;
            let found = cases_sql::cases_page(&snapshot, &items, applicant, after, page, per_page)?;
            let ids: Vec<i64> = found.items.iter().map(|case| case.id).collect();
            let mut jobs = cases_sql::jobs_of(&snapshot, &ids)?;
            let mut reviews = cases_sql::reviews_of(&snapshot, &ids)?;
            let items = found
                .items
                .into_iter()
                .map(|case| CaseLine {
                    jobs: jobs.remove(&case.id).unwrap_or_default(),
                    reviews: reviews.remove(&case.id).unwrap_or_default(),
                    case,
                })
                .collect();
            Ok(market_domain::wire::Page {
                items,
                total: found.total,
                page: found.page,
                per_page: found.per_page,
                next: found.next,
            })
        })
        .await
    }

    async fn off_platform_candidates(&self) -> StoreResult<Vec<CaseLine>> {
        let items = std::sync::Arc::clone(&self.items);
        self.read(move |conn| {
            let snapshot = conn.unchecked_transaction()?;
            let cases = cases_sql::off_platform_candidates(&snapshot, &items)?;
            let mut lines = Vec::with_capacity(cases.len());
            // Jobs and events a few hundred cases at a time, not one case at a time.
            for chunk in cases.chunks(500) {
                let ids: Vec<i64> = chunk.iter().map(|case| case.id).collect();
                let mut jobs = cases_sql::jobs_of(&snapshot, &ids)?;
                let mut reviews = cases_sql::reviews_of(&snapshot, &ids)?;
                lines.extend(chunk.iter().map(|case| CaseLine {
                    jobs: jobs.remove(&case.id).unwrap_or_default(),
                    reviews: reviews.remove(&case.id).unwrap_or_default(),
                    case: case.clone(),
                }));
            }
            Ok(lines)
        })
        .await
    }

    async fn case_events(&self, case_id: i64) -> StoreResult<Vec<CaseEventView>> {
        self.read(move |conn| cases_sql::events(conn, case_id))
            .await
    }

    async fn case_jobs(&self, case_id: i64) -> StoreResult<Vec<(i64, ServiceType, JobState)>> {
        self.read(move |conn| cases_sql::case_jobs(conn, case_id))
            .await
    }

    async fn record_case_event(
        &self,
        case_id: i64,
        event: NewCaseEvent,
        at: OffsetDateTime,
    ) -> StoreResult<CaseEventOutcome> {
        self.write(move |tx| cases_sql::record_event(tx, case_id, &event, at))
            .await
    }

    async fn link_job_to_case(&self, job_id: i64, case_id: i64) -> StoreResult<()> {
        self.write(move |tx| cases_sql::link_job(tx, job_id, case_id))
            .await
    }

    async fn job_case(&self, job_id: i64) -> StoreResult<Option<i64>> {
        self.read(move |conn| cases_sql::job_case(conn, job_id))
            .await
    }

    async fn create_integration_token(
        &self,
        name: String,
        token_hash: String,
        created_by: i64,
        at: OffsetDateTime,
    ) -> StoreResult<i64> {
        self.write(move |tx| cases_sql::create_token(tx, &name, &token_hash, created_by, at))
            .await
    }

    async fn revoke_integration_token(&self, id: i64, at: OffsetDateTime) -> StoreResult<bool> {
        self.write(move |tx| cases_sql::revoke_token(tx, id, at))
            .await
    }

    async fn integration_token(&self, token_hash: &str) -> StoreResult<Option<String>> {
        let token_hash = token_hash.to_owned();
        self.read(move |conn| cases_sql::token_name(conn, &token_hash))
            .await
    }

    async fn integration_tokens(&self) -> StoreResult<Vec<TokenRow>> {
        self.read(cases_sql::tokens).await
    }
}
