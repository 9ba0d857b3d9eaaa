//! The PostgreSQL side of [`AgencyStore`].

use super::conn::{params, params_from_iter, OptionalExtension, ToPg};
use super::notifications_sql;
use super::rows::{from_json, to_json};
use super::{
    active_suspension_in, date_from_sql, insert_agency, insert_suspension, service_types_from_csv,
    version_from_row, write_children, AgencyStore, PgStore, VERSION_COLUMNS,
};
use super::{
    profile_params, ratings_sql, NewAgency, StoreError, StoreResult, UniqueRule, PROFILE_COLUMNS,
};
use crate::clock::{from_unix, to_rfc3339};
use async_trait::async_trait;
use market_domain::fee::FeeStandard;
use market_domain::listing::{
    offered_service_types, ListingDraft, ParsedSuspension, QualificationDraft, ReviewDecision,
    VersionStatus,
};
use market_domain::wire::{
    AgencyDetail, AgencyFeeStandard, AgencyFilter, AgencyProfile, AgencySummary,
    ListingVersionView, Page, Qualification, ReviewQueueItem, SuspensionView,
};
use market_domain::{CalendarDate, ServiceType};
use time::OffsetDateTime;

#[async_trait]
impl AgencyStore for PgStore {
    async fn create_agencies(
        &self,
        agencies: Vec<NewAgency>,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        self.write(move |tx| {
            for agency in &agencies {
                insert_agency(tx, agency, None, at)?;
            }
            Ok(())
        })
        .await
    }

    async fn list_agencies(
        &self,
        filter: &AgencyFilter,
        today: CalendarDate,
    ) -> StoreResult<Page<AgencySummary>> {
        let filter = filter.clone();
        let search = std::sync::Arc::clone(&self.search);
        self.read_inline(move |conn| {
            search.catch_up(conn, Some(today))?;
            search
                .with(|directory| directory.query(&filter))
                .ok_or_else(|| StoreError::Task("the directory is not built".into()))
        })
        .await
    }

    async fn agency_detail(
        &self,
        id: i64,
        today: CalendarDate,
    ) -> StoreResult<Option<AgencyDetail>> {
        self.read(move |conn| {
            let today_date = today;
            let today = today.to_string();
            let detail = conn
                .row(
                    "SELECT a.id, a.name, a.credit_code, a.district, a.address,
                            a.legal_representative, a.contact_person, a.phone, a.email,
                            a.description, a.staff_count, a.listed_since,
                            (SELECT string_agg(s.service_type, ',') FROM agency_service_types s
                             WHERE s.agency_id = a.id),
                            a.service_commitment
                         FROM agencies a WHERE a.id = $1 AND a.listing_status = 'approved'",
                    params![id],
                    |row| {
                        Ok(AgencyDetail {
                            id: row.get(0)?,
                            profile: AgencyProfile {
                                name: row.get(1)?,
                                credit_code: row.get(2)?,
                                district: row.get(3)?,
                                address: row.get(4)?,
                                legal_representative: row.get(5)?,
                                contact_person: row.get(6)?,
                                phone: row.get(7)?,
                                email: row.get(8)?,
                                description: row.get(9)?,
                                staff_count: row.get(10)?,
                                service_types: service_types_from_csv(row.get(12)?)?,
                                qualifications: Vec::new(),
                                service_commitment: row.get(13)?,
                                fee_standards: Vec::new(),
                            },
                            listed_since: date_from_sql(row.get(11)?)?,
                            suspension: None,
                            ratings: Default::default(),
                        })
                    },
                )
                .optional()?;
            let Some(mut detail) = detail else {
                return Ok(None);
            };
            let mut stmt = conn.prepare_cached(
                "SELECT name, number, level, authority, issued_on, expires_on, service_types
                 FROM qualifications WHERE agency_id = $1 ORDER BY expires_on DESC, id",
            )?;
            detail.profile.qualifications = stmt
                .query_map([id], |row| {
                    let expires_on = date_from_sql(row.get(5)?)?;
                    Ok(Qualification {
                        name: row.get(0)?,
                        number: row.get(1)?,
                        level: row.get(2)?,
                        authority: row.get(3)?,
                        issued_on: date_from_sql(row.get(4)?)?,
                        expired: today_date > expires_on,
                        expires_on,
                        service_types: service_types_from_csv(row.get(6)?)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            // What is offered today is the domain's rule, applied to the record just read.
            detail.profile.service_types = offered_service_types(
                &detail.profile.service_types,
                &detail.profile.qualifications,
                today_date,
            );
            let mut stmt = conn.prepare_cached(
                "SELECT content FROM fee_standards WHERE agency_id = $1 ORDER BY service_type, id",
            )?;
            let offered_types = detail.profile.service_types.clone();
            detail.profile.fee_standards = stmt
                .query_map([id], |row| {
                    from_json::<FeeStandard>(&row.get::<_, String>(0)?)
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?
                .into_iter()
                .filter(|f| offered_types.contains(&f.service_type()))
                .collect();
            detail.suspension = active_suspension_in(conn, id, &today)?;
            detail.ratings = ratings_sql::ratings(conn, id)?;
            Ok(Some(detail))
        })
        .await
    }

    async fn agency_exists(&self, id: i64) -> StoreResult<bool> {
        self.read(move |conn| {
            Ok(conn.row(
                "SELECT EXISTS (SELECT 1 FROM agencies WHERE id = $1)",
                [id],
                |row| row.get(0),
            )?)
        })
        .await
    }

    async fn agency_is_public(&self, id: i64) -> StoreResult<bool> {
        self.read(move |conn| {
            Ok(conn.row(
                "SELECT EXISTS (SELECT 1 FROM agencies WHERE id = $1 AND listing_status = 'approved')",
                [id],
                |row| row.get(0),
            )?)
        })
        .await
    }

    async fn fee_standards_for(
        &self,
        service_type: ServiceType,
        today: CalendarDate,
        after: Option<(i64, u32)>,
        page: u32,
        per_page: u32,
    ) -> StoreResult<Page<AgencyFeeStandard>> {
        let search = std::sync::Arc::clone(&self.search);
        self.read_inline(move |conn| {
            search.catch_up(conn, Some(today))?;
            search
                .with(|directory| directory.fee_standards(service_type, after, page, per_page))
                .ok_or_else(|| StoreError::Task("the directory is not built".into()))
        })
        .await
    }

    async fn agency_of_owner(&self, user_id: i64) -> StoreResult<Option<i64>> {
        self.read(move |conn| {
            Ok(conn
                .row(
                    "SELECT id FROM agencies WHERE owner_user_id = $1",
                    [user_id],
                    |row| row.get(0),
                )
                .optional()?)
        })
        .await
    }

    async fn agency_as_draft(&self, agency_id: i64) -> StoreResult<Option<ListingDraft>> {
        self.read(move |conn| {
            let draft = conn
                .row(
                    "SELECT name, credit_code, legal_representative, contact_person, phone, email,
                        address, district, description, staff_count, service_commitment
                     FROM agencies WHERE id = $1",
                    [agency_id],
                    |row| {
                        Ok(ListingDraft {
                            name: row.get(0)?,
                            credit_code: row.get(1)?,
                            legal_representative: row.get(2)?,
                            contact_person: row.get(3)?,
                            phone: row.get(4)?,
                            email: row.get(5)?,
                            address: row.get(6)?,
                            district: row.get(7)?,
                            description: row.get(8)?,
                            staff_count: row.get(9)?,
                            service_commitment: row.get(10)?,
                            ..ListingDraft::default()
                        })
                    },
                )
                .optional()?;
            let Some(mut draft) = draft else {
                return Ok(None);
            };
            let mut stmt = conn.prepare_cached(
                "SELECT service_type FROM agency_service_types WHERE agency_id = $1 ORDER BY service_type",
            )?;
            draft.service_types = stmt
                .query_map([agency_id], |row| row.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            let mut stmt = conn.prepare_cached(
                "SELECT name, number, level, authority, issued_on, expires_on, service_types
                 FROM qualifications WHERE agency_id = $1 ORDER BY id",
            )?;
            draft.qualifications = stmt
                .query_map([agency_id], |row| {
                    let csv: String = row.get(6)?;
                    Ok(QualificationDraft {
                        name: row.get(0)?,
                        number: row.get(1)?,
                        level: row.get(2)?,
                        authority: row.get(3)?,
                        issued_on: row.get(4)?,
                        expires_on: row.get(5)?,
                        service_types: csv.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut stmt = conn.prepare_cached("SELECT content FROM fee_standards WHERE agency_id = $1 ORDER BY id")?;
            draft.fee_standards = stmt
                .query_map([agency_id], |row| {
                    from_json::<FeeStandard>(&row.get::<_, String>(0)?).map(Into::into)
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Some(draft))
        })
        .await
    }

    async fn listing_versions(&self, agency_id: i64) -> StoreResult<Vec<ListingVersionView>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {VERSION_COLUMNS} FROM listing_versions WHERE agency_id = $1 ORDER BY version_no DESC"
            ))?;
            let rows = stmt
                .query_map([agency_id], version_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn listing_version(&self, version_id: i64) -> StoreResult<Option<ListingVersionView>> {
        self.read(move |conn| {
            Ok(conn
                .row(
                    &format!("SELECT {VERSION_COLUMNS} FROM listing_versions WHERE id = $1"),
                    [version_id],
                    version_from_row,
                )
                .optional()?)
        })
        .await
    }

    async fn submit_listing(
        &self,
        agency_id: i64,
        user_id: i64,
        draft: ListingDraft,
        at: OffsetDateTime,
    ) -> StoreResult<ListingVersionView> {
        self.write(move |tx| {
            let taken: bool = tx.row(
                "SELECT EXISTS (SELECT 1 FROM agencies WHERE credit_code = $1 AND id <> $2)",
                params![draft.credit_code.trim().to_uppercase(), agency_id],
                |row| row.get(0),
            )?;
            if taken {
                return Err(StoreError::Duplicate(UniqueRule::AgencyCreditCode));
            }
            tx.run(
                "UPDATE listing_versions SET status = 'superseded'
                 WHERE agency_id = $1 AND status = 'submitted'",
                [agency_id],
            )?;
            let next: i64 = tx.row(
                "SELECT coalesce(max(version_no), 0) + 1 FROM listing_versions WHERE agency_id = $1",
                [agency_id],
                |row| row.get(0),
            )?;
            tx.run(
                "INSERT INTO listing_versions (agency_id, version_no, status, content, submitted_by, submitted_at)
                 VALUES ($1, $2, 'submitted', $3, $4, $5)",
                params![agency_id, next, to_json(&draft)?, user_id, at.unix_timestamp()],
            )?;
            let id = tx.last_insert_rowid()?;
            Ok(tx.row(
                &format!("SELECT {VERSION_COLUMNS} FROM listing_versions WHERE id = $1"),
                [id],
                version_from_row,
            )?)
        })
        .await
    }

    async fn review_queue(&self) -> StoreResult<Vec<ReviewQueueItem>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT v.id, v.agency_id, a.name, v.version_no, v.submitted_at,
                    a.listing_status <> 'approved'
                 FROM listing_versions v JOIN agencies a ON a.id = v.agency_id
                 WHERE v.status = 'submitted'
                 ORDER BY v.submitted_at, v.id",
            )?;
            let rows = stmt
                .query_map([], |row| {
                    Ok(ReviewQueueItem {
                        version_id: row.get(0)?,
                        agency_id: row.get(1)?,
                        agency_name: row.get(2)?,
                        version_no: row.get(3)?,
                        submitted_at: to_rfc3339(from_unix(row.get(4)?)),
                        first_listing: row.get(5)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn decide_listing(
        &self,
        version_id: i64,
        decision: ReviewDecision,
        reason: String,
        regulator_id: i64,
        at: OffsetDateTime,
        projection: Option<NewAgency>,
    ) -> StoreResult<Option<ListingVersionView>> {
        self.write(move |tx| {
            // Conditional update: of two concurrent decisions, only one finds it submitted.
            let changed = tx.run(
                "UPDATE listing_versions SET status = $2, decided_by = $3, decided_at = $4, decision_reason = $5
                 WHERE id = $1 AND status = 'submitted'",
                params![
                    version_id,
                    VersionStatus::after(decision).code(),
                    regulator_id,
                    at.unix_timestamp(),
                    reason
                ],
            )?;
            if changed == 0 {
                return Ok(None);
            }
            let version = tx.row(
                &format!("SELECT {VERSION_COLUMNS} FROM listing_versions WHERE id = $1"),
                [version_id],
                version_from_row,
            )?;
            notifications_sql::on_listing_decision(
                tx,
                version.agency_id,
                decision,
                &reason,
                at,
            )?;
            if let (ReviewDecision::Approve, Some(agency)) = (decision, projection) {
                tx.run(
                    "UPDATE listing_versions SET status = 'superseded'
                     WHERE agency_id = $1 AND status = 'approved' AND id <> $2",
                    params![version.agency_id, version_id],
                )?;
                let listed_since = &to_rfc3339(at)[..10];
                let extra: [&dyn ToPg; 2] = [&listed_since, &version.agency_id];
                let columns = PROFILE_COLUMNS
                    .split(',')
                    .enumerate()
                    .map(|(i, column)| format!("{} = ${}", column.trim(), i + 1))
                    .collect::<Vec<_>>()
                    .join(", ");
                tx.run(
                    &format!(
                        "UPDATE agencies SET {columns}, listing_status = 'approved',
                            listed_since = coalesce(listed_since, $12)
                         WHERE id = $13"
                    ),
                    params_from_iter(profile_params(&agency.profile).into_iter().chain(extra)),
                )?;
                write_children(tx, version.agency_id, &agency)?;
            }
            Ok(Some(version))
        })
        .await
    }

    async fn active_suspension(
        &self,
        agency_id: i64,
        today: CalendarDate,
    ) -> StoreResult<Option<SuspensionView>> {
        self.read(move |conn| Ok(active_suspension_in(conn, agency_id, &today.to_string())?))
            .await
    }

    async fn create_suspension(
        &self,
        agency_id: i64,
        suspension: ParsedSuspension,
        regulator_id: i64,
        at: OffsetDateTime,
    ) -> StoreResult<SuspensionView> {
        self.write(move |tx| insert_suspension(tx, agency_id, &suspension, regulator_id, at))
            .await
    }

    async fn lift_suspension(
        &self,
        suspension_id: i64,
        regulator_id: i64,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| {
            let changed = tx.run(
                "UPDATE suspensions SET lifted_by = $2, lifted_at = $3 WHERE id = $1 AND lifted_at IS NULL",
                params![suspension_id, regulator_id, at.unix_timestamp()],
            )?;
            Ok(changed == 1)
        })
        .await
    }
}
