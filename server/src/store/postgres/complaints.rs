//! The PostgreSQL side of [`ComplaintStore`].

use super::complaints_sql;
use super::{insert_suspension, ComplaintStore, PgStore};
use super::{ComplaintRow, ComplaintScope, CreditFacts, Respondent, StoreResult};
use async_trait::async_trait;
use market_domain::complaint::{
    ComplaintStatus, ComplaintTarget, ParsedComplaint, SuspensionProposal,
};
use market_domain::listing::ParsedSuspension;
use market_domain::wire::SuspensionView;
use time::OffsetDateTime;

#[async_trait]
impl ComplaintStore for PgStore {
    async fn complaint_respondent(
        &self,
        complainant: i64,
        target: ComplaintTarget,
    ) -> StoreResult<Option<Respondent>> {
        self.read(move |conn| complaints_sql::respondent(conn, complainant, target))
            .await
    }

    async fn create_complaint(
        &self,
        complainant: i64,
        complaint: ParsedComplaint,
        respondent: Respondent,
        at: OffsetDateTime,
    ) -> StoreResult<i64> {
        self.write(move |tx| complaints_sql::create(tx, complainant, &complaint, &respondent, at))
            .await
    }

    async fn complaint(&self, id: i64) -> StoreResult<Option<ComplaintRow>> {
        self.read(move |conn| complaints_sql::get(conn, id)).await
    }

    async fn complaints(&self, scope: ComplaintScope) -> StoreResult<Vec<ComplaintRow>> {
        self.read(move |conn| complaints_sql::list(conn, scope))
            .await
    }

    async fn step_complaint(
        &self,
        id: i64,
        from: Vec<ComplaintStatus>,
        to: ComplaintStatus,
        text: String,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| complaints_sql::step(tx, id, &from, to, &text, at))
            .await
    }

    async fn suspension_proposals(&self) -> StoreResult<Vec<SuspensionProposal>> {
        self.read(complaints_sql::proposals).await
    }

    async fn confirm_suspension_proposal(
        &self,
        id: i64,
        suspension: ParsedSuspension,
        regulator: i64,
        at: OffsetDateTime,
    ) -> StoreResult<Option<SuspensionView>> {
        self.write(
            move |tx| match complaints_sql::open_proposal_agency(tx, id)? {
                Some(agency_id) => {
                    insert_suspension(tx, agency_id, &suspension, regulator, at).map(Some)
                }
                None => Ok(None),
            },
        )
        .await
    }

    async fn dismiss_suspension_proposal(
        &self,
        id: i64,
        regulator: i64,
        note: String,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| complaints_sql::dismiss_proposal(tx, id, regulator, &note, at))
            .await
    }

    async fn credit_facts(&self, agency_id: i64) -> StoreResult<CreditFacts> {
        self.read(move |conn| {
            Ok(CreditFacts {
                upheld: complaints_sql::upheld_against(conn, agency_id)?,
                fee_flagged_awards: complaints_sql::fee_flagged_awards(conn, agency_id)?,
                entries: complaints_sql::list_entries(conn, agency_id)?,
            })
        })
        .await
    }
}
