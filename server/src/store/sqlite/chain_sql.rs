//! SQL for the tamper-evident log: daily roots over every job's hash chain, and the full check
//! that recomputes chains and stored roots from the rows as they are now.

use super::{jobs_sql, StoreResult};
use crate::clock::{from_unix, to_rfc3339};
use crate::store::sqlite::rows::Cached;
use market_domain::chain;
use market_domain::wire::{BrokenLinkView, ChainAudit, ChainCheck, DailyRootView, RootMismatch};
use market_domain::Locale;
use rusqlite::{params, Connection};

/// The city (UTC+8) date of a Unix time, as SQL.
const CITY_DAY: &str = "date(at + 28800, 'unixepoch')";

/// Each job's last event before the end of `day` (city time): (job, seq, hash).
fn heads_at_end_of(conn: &Connection, day: &str) -> StoreResult<Vec<(i64, i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.job_id, e.seq, e.hash FROM job_events e
         JOIN (SELECT job_id, max(seq) AS seq FROM job_events
               WHERE at < CAST(strftime('%s', ?1, '+1 day') AS INTEGER) - 28800
               GROUP BY job_id) last
           ON last.job_id = e.job_id AND last.seq = e.seq
         ORDER BY e.job_id",
    )?;
    let rows = stmt
        .query_map([day], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn root_of(heads: &[(i64, i64, String)]) -> (String, i64, i64) {
    let events = heads.iter().map(|(_, seq, _)| seq).sum();
    (chain::daily_root(heads), heads.len() as i64, events)
}

/// Stores the root of every past day that had events and has no root yet. Today is left open.
pub fn seal_days_before(tx: &Connection, today: &str, now: i64) -> StoreResult<usize> {
    let days: Vec<String> = {
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT DISTINCT {CITY_DAY} AS day FROM job_events
             WHERE day < ?1 AND day NOT IN (SELECT day FROM chain_roots) ORDER BY day"
        ))?;
        let rows = stmt
            .query_map([today], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    for day in &days {
        let (root, jobs, events) = root_of(&heads_at_end_of(tx, day)?);
        tx.run(
            "INSERT INTO chain_roots (day, root, jobs, events, computed_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![day, root, jobs, events, now],
        )?;
    }
    Ok(days.len())
}

pub fn daily_roots(conn: &Connection, limit: u32) -> StoreResult<Vec<DailyRootView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT day, root, jobs, events, computed_at FROM chain_roots ORDER BY day DESC LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit], |row| {
            Ok(DailyRootView {
                day: row.get(0)?,
                root: row.get(1)?,
                jobs: row.get(2)?,
                events: row.get(3)?,
                computed_at: to_rfc3339(from_unix(row.get(4)?)),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn broken_view(job_id: i64, link: &chain::BrokenLink) -> BrokenLinkView {
    BrokenLinkView {
        job_id,
        seq: link.seq(),
        code: link.code().to_string(),
        message: link.message(Locale::ZhCn),
        message_en: link.message(Locale::En),
    }
}

pub fn check_job(conn: &Connection, job_id: i64) -> StoreResult<ChainCheck> {
    let events = jobs_sql::events(conn, job_id)?;
    let (head, broken) = match chain::verify(job_id, &events) {
        Ok(head) => (Some(head), None),
        Err(link) => (None, Some(broken_view(job_id, &link))),
    };
    Ok(ChainCheck {
        job_id,
        events: events.len() as i64,
        head,
        broken,
    })
}

/// Recomputes every chain from its rows, then every stored root from the stored hashes.
pub fn audit(conn: &Connection, now: i64) -> StoreResult<ChainAudit> {
    let job_ids: Vec<i64> = {
        let mut stmt =
            conn.prepare_cached("SELECT DISTINCT job_id FROM job_events ORDER BY job_id")?;
        let rows = stmt
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let mut broken = Vec::new();
    let mut checked_events = 0;
    let mut current_heads = Vec::new();
    for job_id in &job_ids {
        let check = check_job(conn, *job_id)?;
        checked_events += check.events;
        if let Some(link) = check.broken {
            broken.push(link);
        }
        if let Some(head) = check.head {
            current_heads.push((*job_id, check.events, head));
        }
    }
    let stored: Vec<(String, String)> = {
        let mut stmt = conn.prepare_cached("SELECT day, root FROM chain_roots ORDER BY day")?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let mut root_mismatches = Vec::new();
    for (day, root) in stored {
        let (recomputed, _, _) = root_of(&heads_at_end_of(conn, &day)?);
        if recomputed != root {
            root_mismatches.push(RootMismatch {
                day,
                stored: root,
                recomputed,
            });
        }
    }
    Ok(ChainAudit {
        checked_jobs: job_ids.len() as i64,
        checked_events,
        broken,
        root_mismatches,
        current_root: chain::daily_root(&current_heads),
        checked_at: to_rfc3339(from_unix(now)),
    })
}
