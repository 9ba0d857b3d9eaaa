//! What the in-memory directory ([`crate::search::directory`]) is built from: every agency at
//! startup in one pass per table, or one agency again when the change feed names it.

use super::conn::{params, Connection, OptionalExtension, Row};
use super::rows::from_json;
use super::{date_from_sql, service_types_from_csv, StoreResult};
use crate::clock::{city_date, from_unix};
use crate::search::directory::{AgencyRecord, Entry, HeldQualification};
use crate::search::notices::JobRecord;
use market_domain::fee::FeeStandard;
use std::collections::HashMap;

/// Which agencies a load reads: all (`$1` unused) or the one bound as `$1`.
#[derive(Clone, Copy)]
enum Scope {
    All,
    One,
}

impl Scope {
    fn filter(self, column: &str) -> String {
        match self {
            Scope::All => "$1::bigint IS NULL".to_owned(),
            Scope::One => format!("{column} = $1"),
        }
    }
}

fn load(conn: &Connection, scope: Scope, id: Option<i64>) -> StoreResult<Vec<AgencyRecord>> {
    let mut records: Vec<AgencyRecord> = Vec::new();
    {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT id, name, description, credit_code, district, listing_status = 'approved',
                    coalesce(listed_since, '1970-01-01')
             FROM agencies WHERE {} ORDER BY id",
            scope.filter("id")
        ))?;
        let rows = stmt.query_map([id], |row| {
            Ok(AgencyRecord {
                id: row.get(0)?,
                name: row.get(1)?,
                description: row.get(2)?,
                credit_code: row.get(3)?,
                district: row.get(4)?,
                approved: row.get(5)?,
                listed_since: date_from_sql(row.get(6)?)?,
                declared: Vec::new(),
                qualifications: Vec::new(),
                entries: Vec::new(),
                ratings: 0,
                average_hundredths: 0,
                upheld: Vec::new(),
                fee_flagged_awards: 0,
                fee_standards: Vec::new(),
            })
        })?;
        for row in rows {
            records.push(row?);
        }
    }
    let at: HashMap<i64, usize> = records
        .iter()
        .enumerate()
        .map(|(index, r)| (r.id, index))
        .collect();
    let mut each = |sql: &str,
                    apply: &mut dyn FnMut(&mut AgencyRecord, &Row) -> rusqlite::Result<()>|
     -> StoreResult<()> {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = stmt.query([id])?;
        while let Some(row) = rows.next()? {
            let agency: i64 = row.get(0)?;
            if let Some(index) = at.get(&agency) {
                apply(&mut records[*index], &row)?;
            }
        }
        Ok(())
    };
    each(
        &format!(
            "SELECT agency_id, service_type FROM agency_service_types WHERE {}",
            scope.filter("agency_id")
        ),
        &mut |record, row| {
            record.declared.push(row.get(1)?);
            Ok(())
        },
    )?;
    each(
        &format!(
            "SELECT agency_id, level, expires_on, service_types FROM qualifications WHERE {}",
            scope.filter("agency_id")
        ),
        &mut |record, row| {
            record.qualifications.push(HeldQualification {
                level: row.get(1)?,
                expires_on: date_from_sql(row.get(2)?)?,
                covers: service_types_from_csv(row.get(3)?)?,
            });
            Ok(())
        },
    )?;
    each(
        &format!(
            "SELECT agency_id, starts_on, ends_on, blacklist, lifted_at FROM suspensions WHERE {}",
            scope.filter("agency_id")
        ),
        &mut |record, row| {
            let lifted: Option<i64> = row.get(4)?;
            record.entries.push(Entry {
                starts_on: date_from_sql(row.get(1)?)?,
                ends_on: date_from_sql(row.get(2)?)?,
                blacklist: row.get(3)?,
                lifted_on: lifted.map(|at| city_date(from_unix(at))),
            });
            Ok(())
        },
    )?;
    each(
        &format!(
            "SELECT agency_id, count(*),
                    sum(quality + timeliness + attitude + fee_compliance + integrity)::bigint
             FROM ratings WHERE {} GROUP BY agency_id",
            scope.filter("agency_id")
        ),
        &mut |record, row| {
            let count: u32 = row.get(1)?;
            let points: u32 = row.get(2)?;
            let dimensions = count * 5;
            record.ratings = count;
            record.average_hundredths = (points * 100 + dimensions / 2)
                .checked_div(dimensions)
                .unwrap_or(0);
            Ok(())
        },
    )?;
    each(
        &format!(
            "SELECT agency_id, category, decided_at FROM complaints
             WHERE {} AND status = 'upheld' AND decided_at IS NOT NULL",
            scope.filter("agency_id")
        ),
        &mut |record, row| {
            let decided: i64 = row.get(2)?;
            record
                .upheld
                .push((row.get(1)?, city_date(from_unix(decided))));
            Ok(())
        },
    )?;
    each(
        &format!(
            "SELECT agency_id, flagged FROM stats_agency_awards WHERE {} AND flagged > 0",
            scope.filter("agency_id")
        ),
        &mut |record, row| {
            record.fee_flagged_awards = row.get(1)?;
            Ok(())
        },
    )?;
    each(
        &format!(
            "SELECT agency_id, content FROM fee_standards WHERE {} ORDER BY id",
            scope.filter("agency_id")
        ),
        &mut |record, row| {
            record
                .fee_standards
                .push(from_json::<FeeStandard>(&row.get::<_, String>(1)?)?);
            Ok(())
        },
    )?;
    Ok(records)
}

/// Every agency, for building the directory.
pub fn all_agencies(conn: &Connection) -> StoreResult<Vec<AgencyRecord>> {
    load(conn, Scope::All, None)
}

/// One agency as stored now; `None` once it is gone.
pub fn agency(conn: &Connection, id: i64) -> StoreResult<Option<AgencyRecord>> {
    Ok(load(conn, Scope::One, Some(id))?.pop())
}

fn jobs(conn: &Connection, scope: Scope, id: Option<i64>) -> StoreResult<Vec<JobRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT j.job_id, j.state, j.service_type, j.owner, j.listed_at, j.project_name,
                j.scope, u.organization_name
         FROM job_search j JOIN users u ON u.id = j.owner WHERE {} ORDER BY j.job_id",
        scope.filter("j.job_id")
    ))?;
    let rows = stmt
        .query_map([id], |row| {
            Ok(JobRecord {
                id: row.get(0)?,
                state: row.get(1)?,
                service: row.get(2)?,
                owner: row.get(3)?,
                listed_at: row.get(4)?,
                project_name: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
                scope: row.get::<_, Option<String>>(6)?.unwrap_or_default(),
                owner_name: row.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every job, for building the notices index.
pub fn all_jobs(conn: &Connection) -> StoreResult<Vec<JobRecord>> {
    jobs(conn, Scope::All, None)
}

/// One job as stored now; `None` once it is gone.
pub fn job(conn: &Connection, id: i64) -> StoreResult<Option<JobRecord>> {
    Ok(jobs(conn, Scope::One, Some(id))?.pop())
}

/// What the change feed names after a position.
#[derive(Default)]
pub struct Changes {
    pub agencies: Vec<i64>,
    pub jobs: Vec<i64>,
    /// The feed's position after these.
    pub position: i64,
}

/// Agencies and jobs the change feed names after `after`, at most 10,000 entries at a time.
pub fn changes(conn: &Connection, after: i64) -> StoreResult<Changes> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, agency_id, job_id FROM search_changes WHERE id > $1 ORDER BY id LIMIT 10000",
    )?;
    let mut changes = Changes {
        position: after,
        ..Changes::default()
    };
    let rows = stmt.query_map([after], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, Option<i64>>(1)?,
            row.get::<_, Option<i64>>(2)?,
        ))
    })?;
    for row in rows {
        let (id, agency, job) = row?;
        changes.position = id;
        changes.agencies.extend(agency);
        changes.jobs.extend(job);
    }
    for ids in [&mut changes.agencies, &mut changes.jobs] {
        ids.sort_unstable();
        ids.dedup();
    }
    Ok(changes)
}

/// The jobs an agency has bid on, in any bid status.
pub fn jobs_bid_on(conn: &Connection, agency_id: i64) -> StoreResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT job_id FROM bids WHERE agency_id = $1")?;
    let rows = stmt
        .query_map([agency_id], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The change feed's newest position.
pub fn feed_position(conn: &Connection) -> StoreResult<i64> {
    Ok(conn.row(
        "SELECT coalesce(max(id), 0) FROM search_changes",
        [],
        |row| row.get(0),
    )?)
}

/// Records this instance's place in the feed, then drops what every instance seen in the last
/// hour has applied. An instance silent for longer is forgotten: if it comes back, it finds
/// the feed pruned past it ([`pruned_through`]) and builds its indexes again.
pub fn prune_feed(tx: &Connection, instance: &str, applied: i64, now: i64) -> StoreResult<usize> {
    record_reader(tx, instance, applied, now)?;
    tx.run(
        "DELETE FROM search_readers WHERE seen_at < $1",
        [now - 3600],
    )?;
    let horizon: i64 = tx.row(
        "SELECT coalesce(min(position), 0) FROM search_readers",
        [],
        |row| row.get(0),
    )?;
    tx.run(
        "INSERT INTO meta (key, value) VALUES ('search_pruned_through', $1)
         ON CONFLICT (key) DO UPDATE SET value = greatest(meta.value::bigint, excluded.value::bigint)::text",
        [horizon.to_string()],
    )?;
    Ok(tx.run("DELETE FROM search_changes WHERE id <= $1", [horizon])?)
}

/// Records how far into the feed this instance's indexes are, so no prune takes what it has
/// not applied.
pub fn record_reader(tx: &Connection, instance: &str, applied: i64, now: i64) -> StoreResult<()> {
    tx.run(
        "INSERT INTO search_readers (instance, position, seen_at) VALUES ($1, $2, $3)
         ON CONFLICT (instance) DO UPDATE SET position = excluded.position, seen_at = excluded.seen_at",
        params![instance, applied, now],
    )?;
    Ok(())
}

/// The feed position below which entries may be gone.
pub fn pruned_through(conn: &Connection) -> StoreResult<i64> {
    Ok(conn
        .row(
            "SELECT value::bigint FROM meta WHERE key = 'search_pruned_through'",
            [],
            |row| row.get(0),
        )
        .optional()?
        .unwrap_or(0))
}
