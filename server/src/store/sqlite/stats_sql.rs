//! SQL for the market statistics. Months are city (UTC+8) months of publication; money is fen.

use super::oversight_sql::AWARDS;
use super::StoreResult;
use crate::store::sqlite::rows::Cached;
use market_domain::stats::{AgencyAwards, BidsBucket, Step, StepRow, VolumeRow, BIDS_BUCKET_MAX};
use rusqlite::Connection;

const TOP_AGENCIES: i64 = 10;

fn volumes(conn: &Connection, key: &str, order: &str) -> StoreResult<Vec<VolumeRow>> {
    let sql = format!(
        "{AWARDS}
        SELECT {key} AS key, count(*),
               count(a.job_id),
               coalesce(sum(CASE WHEN a.job_id IS NOT NULL
                   THEN json_extract(j.content, '$.budget_ceiling') END), 0),
               coalesce(sum(a.price), 0)
        FROM jobs j LEFT JOIN awards a ON a.job_id = j.id
        WHERE j.published_at IS NOT NULL
        GROUP BY key ORDER BY {order}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map([], |row| {
            Ok(VolumeRow {
                key: row.get(0)?,
                jobs: row.get(1)?,
                awarded: row.get(2)?,
                budget: row.get(3)?,
                award_amount: row.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn by_month(conn: &Connection) -> StoreResult<Vec<VolumeRow>> {
    volumes(
        conn,
        "strftime('%Y-%m', j.published_at + 28800, 'unixepoch')",
        "key",
    )
    .map(market_domain::stats::with_empty_months)
}

pub fn by_service(conn: &Connection) -> StoreResult<Vec<VolumeRow>> {
    volumes(conn, "j.service_type", "count(*) DESC, key")
}

/// Jobs past their deadline (opened or failed) by valid bids, every bucket present.
pub fn bids_per_job(conn: &Connection) -> StoreResult<Vec<BidsBucket>> {
    let mut stmt = conn.prepare_cached(
        "SELECT min(n, ?1) AS bucket, count(*) FROM (
            SELECT (SELECT count(*) FROM bids b WHERE b.job_id = j.id AND b.status = 'active'
                    AND b.terms_revision = j.terms_revision) AS n
            FROM jobs j WHERE j.state NOT IN ('draft', 'published', 'cancelled'))
         GROUP BY bucket",
    )?;
    let counted: Vec<(i64, i64)> = stmt
        .query_map([BIDS_BUCKET_MAX], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((0..=BIDS_BUCKET_MAX)
        .map(|bids| BidsBucket {
            bids,
            jobs: counted
                .iter()
                .find(|(b, _)| *b == bids)
                .map_or(0, |(_, n)| *n),
        })
        .collect())
}

/// Codes are fixed ASCII identifiers, so quoting them into the SQL is safe.
fn quoted(events: &[market_domain::job::JobEvent]) -> String {
    events
        .iter()
        .map(|e| format!("'{}'", e.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Average seconds from the first start event to the first end event, over jobs with both.
pub fn steps(conn: &Connection) -> StoreResult<Vec<StepRow>> {
    Step::ALL
        .into_iter()
        .map(|step| {
            let (starts, ends) = step.events();
            let sql = format!(
                "SELECT count(*), coalesce(CAST(round(avg(t_end - t_start)) AS INTEGER), 0) FROM (
                    SELECT (SELECT min(at) FROM job_events e WHERE e.job_id = j.id
                                AND e.event IN ({})) AS t_start,
                           (SELECT min(at) FROM job_events e WHERE e.job_id = j.id
                                AND e.event IN ({})) AS t_end
                    FROM jobs j)
                 WHERE t_start IS NOT NULL AND t_end IS NOT NULL AND t_end >= t_start",
                quoted(starts),
                quoted(ends)
            );
            let (jobs, average_seconds) =
                conn.row(&sql, [], |row| Ok((row.get(0)?, row.get(1)?)))?;
            Ok(StepRow {
                step,
                jobs,
                average_seconds,
            })
        })
        .collect()
}

pub fn top_agencies(conn: &Connection) -> StoreResult<Vec<AgencyAwards>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{AWARDS}
        SELECT a.agency_id, g.name, count(*) AS awards, coalesce(sum(a.price), 0) AS amount
        FROM awards a JOIN agencies g ON g.id = a.agency_id
        GROUP BY a.agency_id
        ORDER BY awards DESC, amount DESC, a.agency_id
        LIMIT ?1"
    ))?;
    let rows = stmt
        .query_map([TOP_AGENCIES], |row| {
            Ok(AgencyAwards {
                agency_id: row.get(0)?,
                name: row.get(1)?,
                awards: row.get(2)?,
                amount: row.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
