//! SQL for the market statistics, read from the tables the triggers of migration 16 keep up to
//! date: a few hundred rows whatever the number of jobs. Months are city (UTC+8) months of
//! publication; money is fen.

use super::conn::Connection;
use super::StoreResult;
use market_domain::stats::{AgencyAwards, BidsBucket, Step, StepRow, VolumeRow, BIDS_BUCKET_MAX};

const TOP_AGENCIES: i64 = 10;

fn volumes(conn: &Connection, key: &str, order: &str) -> StoreResult<Vec<VolumeRow>> {
    let sql = format!(
        "SELECT {key} AS key, sum(jobs)::bigint, sum(awarded)::bigint, sum(budget)::bigint, sum(amount)::bigint
         FROM stats_volume GROUP BY key HAVING sum(jobs) > 0 ORDER BY {order}"
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
    volumes(conn, "month", "key").map(market_domain::stats::with_empty_months)
}

pub fn by_service(conn: &Connection) -> StoreResult<Vec<VolumeRow>> {
    volumes(conn, "service_type", "sum(jobs) DESC, key")
}

/// Jobs past their deadline (opened or failed) by valid bids, every bucket present.
pub fn bids_per_job(conn: &Connection) -> StoreResult<Vec<BidsBucket>> {
    let mut stmt = conn.prepare_cached("SELECT bucket, jobs FROM stats_bids")?;
    let counted: Vec<(i64, i64)> = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
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

/// Average seconds from the first start event to the first end event, over jobs with both.
pub fn steps(conn: &Connection) -> StoreResult<Vec<StepRow>> {
    let mut stmt = conn.prepare_cached("SELECT step, jobs, seconds FROM stats_steps")?;
    let kept: Vec<(String, i64, i64)> = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Step::ALL
        .into_iter()
        .map(|step| {
            let (jobs, seconds) = kept
                .iter()
                .find(|(code, _, _)| code == step.code())
                .map_or((0, 0), |(_, jobs, seconds)| (*jobs, *seconds));
            StepRow {
                step,
                jobs,
                // Rounded half away from zero, as SQL's round(avg(…)) did.
                average_seconds: if jobs == 0 {
                    0
                } else {
                    (seconds as f64 / jobs as f64).round() as i64
                },
            }
        })
        .collect())
}

pub fn top_agencies(conn: &Connection) -> StoreResult<Vec<AgencyAwards>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.agency_id, g.name, a.awards, a.amount
         FROM stats_agency_awards a JOIN agencies g ON g.id = a.agency_id
         WHERE a.awards > 0
         ORDER BY a.awards DESC, a.amount DESC, a.agency_id
         LIMIT $1",
    )?;
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
