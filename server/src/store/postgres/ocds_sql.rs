//! SQL for the OCDS feed: which jobs changed after a cursor, and everything one release needs,
//! read in one transaction so a release never mixes two moments.

use super::conn::{params, Connection, OptionalExtension};
use super::{bids_sql, jobs_sql, StoreResult};
use crate::clock::{from_unix, to_rfc3339};
use market_domain::job::JobEvent;
use market_domain::ocds::{release, ReleaseSource};
use market_domain::wire::ContractTerms;

/// The release source of a published job (drafts have none).
pub fn source(conn: &Connection, job_id: i64) -> StoreResult<Option<ReleaseSource>> {
    let Some(record) = jobs_sql::job(conn, job_id)? else {
        return Ok(None);
    };
    if record.view.published_at.is_none() {
        return Ok(None);
    }
    let (last_seq, last_at): (i64, i64) = conn.row(
        "SELECT seq, at FROM job_events WHERE job_id = $1 ORDER BY seq DESC LIMIT 1",
        [job_id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let contract: Option<String> =
        conn.row("SELECT contract FROM jobs WHERE id = $1", [job_id], |row| {
            row.get(0)
        })?;
    let signed_at: Option<i64> = conn
        .row(
            "SELECT min(at) FROM job_events WHERE job_id = $1 AND event = $2",
            params![job_id, JobEvent::Contracted],
            |row| row.get(0),
        )
        .optional()?
        .flatten();
    Ok(Some(ReleaseSource {
        bids: bids_sql::bids(conn, job_id)?,
        contract: contract
            .as_deref()
            .map(super::rows::from_json::<ContractTerms>)
            .transpose()?,
        contract_signed_at: signed_at.map(|at| to_rfc3339(from_unix(at))),
        enterprise_user_id: record.enterprise_user_id,
        job: record.view,
        last_seq,
        last_at: to_rfc3339(from_unix(last_at)),
    }))
}

/// Published jobs whose latest event has an id above `after` and a time at or after `since`,
/// oldest change first: (cursor, source). Event ids only grow, so a job that changes while a
/// reader pages moves behind the cursor and is read again with its new release.
pub fn changed(
    conn: &Connection,
    after: i64,
    since: i64,
    limit: u32,
) -> StoreResult<Vec<(i64, ReleaseSource)>> {
    // One snapshot for the page: the ids and every release read together.
    let snapshot = conn.unchecked_transaction()?;
    let conn: &Connection = &snapshot;
    let ids: Vec<(i64, i64)> = {
        // `ocds_feed` holds each job's latest event (migration 17).
        let mut stmt = conn.prepare_cached(
            "SELECT f.job_id, f.cursor FROM ocds_feed f JOIN jobs j ON j.id = f.job_id
             WHERE f.cursor > $1 AND f.at >= $2 AND j.published_at IS NOT NULL
             ORDER BY f.cursor LIMIT $3",
        )?;
        let rows = stmt
            .query_map(params![after, since, limit], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let mut out = Vec::with_capacity(ids.len());
    for (job_id, cursor) in ids {
        if let Some(source) = source(conn, job_id)? {
            out.push((cursor, source));
        }
    }
    Ok(out)
}

pub use crate::store::StoredRelease;

/// Stores the job's release as of its latest event, once; drafts have none.
pub fn snapshot(conn: &Connection, job_id: i64) -> StoreResult<()> {
    let Some(source) = source(conn, job_id)? else {
        return Ok(());
    };
    let built = release(&source);
    conn.prepare_cached(
        "INSERT INTO ocds_releases (release_id, job_id, seq, date, tags, body)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
    )?
    .execute(params![
        built.id,
        job_id,
        source.last_seq,
        built.date,
        serde_json::to_string(&built.tag)
            .map_err(|e| super::StoreError::Database(e.to_string()))?,
        serde_json::to_string(&built).map_err(|e| super::StoreError::Database(e.to_string()))?
    ])?;
    Ok(())
}

/// Stores the current release of every published job that has none for its latest event
/// (databases from before snapshots were kept).
pub fn snapshot_missing(conn: &Connection) -> StoreResult<usize> {
    let missing: Vec<i64> = conn
        .prepare_cached(
            "SELECT j.id FROM jobs j WHERE j.published_at IS NOT NULL AND NOT EXISTS (
                 SELECT 1 FROM ocds_releases r WHERE r.job_id = j.id
                 AND r.seq = (SELECT max(seq) FROM job_events e WHERE e.job_id = j.id))",
        )?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for job_id in &missing {
        snapshot(conn, *job_id)?;
    }
    Ok(missing.len())
}

/// A stored release's JSON by its id.
pub fn stored_release(conn: &Connection, release_id: &str) -> StoreResult<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT body FROM ocds_releases WHERE release_id = $1")?
        .query_row([release_id], |row| row.get(0))
        .optional()?)
}

/// Every stored release of a job, oldest first.
pub fn stored_releases(conn: &Connection, job_id: i64) -> StoreResult<Vec<StoredRelease>> {
    let rows = conn
        .prepare_cached(
            "SELECT release_id, date, tags FROM ocds_releases WHERE job_id = $1 ORDER BY seq",
        )?
        .query_map([job_id], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get::<_, String>(2)?))
        })?
        .collect::<rusqlite::Result<Vec<(String, String, String)>>>()?;
    rows.into_iter()
        .map(|(id, date, tags)| {
            let tags: Vec<String> = serde_json::from_str(&tags)
                .map_err(|e| super::StoreError::Database(format!("release {id} tags: {e}")))?;
            Ok((id, date, tags))
        })
        .collect()
}
