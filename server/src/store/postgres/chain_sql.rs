//! SQL for the tamper-evident log: daily roots over every job's hash chain, and the full check
//! that recomputes chains and stored roots from the rows as they are now.

use super::conn::{params, Connection, OptionalExtension};
use super::{jobs_sql, StoreResult};
use crate::clock::{city_date, from_unix, to_rfc3339};
use market_domain::chain;
use market_domain::wire::{BrokenLinkView, ChainAudit, ChainCheck, DailyRootView, RootMismatch};
use market_domain::{CalendarDate, Locale};

/// Seconds the city (UTC+8) is ahead of UTC.
const CITY_OFFSET: i64 = 8 * 3600;

/// The Unix time at which a city day (`YYYY-MM-DD`) begins.
fn day_start(day: &str) -> StoreResult<i64> {
    let date = CalendarDate::parse(day)
        .map_err(|_| rusqlite::Error::InvalidParameterName(format!("not a day: {day}")))?;
    Ok(date.days_since_epoch() * 86_400 - CITY_OFFSET)
}

/// Scheme 1 (roots sealed before the chained scheme): each job's last event before the end of
/// `day`, over all jobs. Only the audit still reads this, for those old days.
fn heads_at_end_of(conn: &Connection, day: &str) -> StoreResult<Vec<(i64, i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.job_id, e.seq, e.hash FROM job_events e
         JOIN (SELECT job_id, max(seq) AS seq FROM job_events WHERE at < $1 GROUP BY job_id) last
           ON last.job_id = e.job_id AND last.seq = e.seq
         ORDER BY e.job_id",
    )?;
    let rows = stmt
        .query_map([day_start(day)? + 86_400], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// What happened in `[from, until)`: each moved chain's head then, how many of those chains
/// began in it, and how many events it holds. Reads only that span's events (by time index).
struct Moved {
    heads: Vec<(i64, i64, String)>,
    new_jobs: i64,
    events: i64,
}

fn moved_between(conn: &Connection, from: i64, until: i64) -> StoreResult<Moved> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.job_id, e.seq, e.hash, d.first FROM
           (SELECT job_id, max(seq) AS seq, min(seq) AS first FROM job_events
            WHERE at >= $1 AND at < $2 GROUP BY job_id) d
         JOIN job_events e ON e.job_id = d.job_id AND e.seq = d.seq
         ORDER BY e.job_id",
    )?;
    let mut moved = Moved {
        heads: Vec::new(),
        new_jobs: 0,
        events: 0,
    };
    let rows = stmt.query_map(params![from, until], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, i64>(3)?,
        ))
    })?;
    for row in rows {
        let (job, seq, hash, first) = row?;
        moved.new_jobs += i64::from(first == 1);
        moved.events += seq - first + 1;
        moved.heads.push((job, seq, hash));
    }
    Ok(moved)
}

/// The last sealed day: (day, root, jobs, events).
fn last_root(conn: &Connection) -> StoreResult<Option<(String, String, i64, i64)>> {
    Ok(conn
        .row(
            "SELECT day, root, jobs, events FROM chain_roots ORDER BY day DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()?)
}

/// Seals every city day before `today` that had events since the last sealed day, each chained
/// to the one before. Reads only the unsealed days' events, so it costs the same on the first
/// day as after years of history. Today is left open.
pub fn seal_days_before(tx: &Connection, today: &str, now: i64) -> StoreResult<usize> {
    let (mut previous, mut jobs, mut events, mut from) = match last_root(tx)? {
        Some((day, root, jobs, events)) => (root, jobs, events, day_start(&day)? + 86_400),
        None => (chain::GENESIS.to_string(), 0, 0, i64::MIN),
    };
    let until = day_start(today)?;
    let mut sealed = 0;
    while let Some(next) = tx.row(
        "SELECT min(at) FROM job_events WHERE at >= $1 AND at < $2",
        params![from, until],
        |row| row.get::<_, Option<i64>>(0),
    )? {
        let day = city_date(from_unix(next)).to_string();
        let start = day_start(&day)?;
        let moved = moved_between(tx, start, start + 86_400)?;
        let root = chain::daily_root(&previous, &moved.heads);
        jobs += moved.new_jobs;
        events += moved.events;
        tx.run(
            "INSERT INTO chain_roots (day, root, jobs, events, computed_at, scheme)
             VALUES ($1, $2, $3, $4, $5, 2)",
            params![day, root, jobs, events, now],
        )?;
        previous = root;
        from = start + 86_400;
        sealed += 1;
    }
    Ok(sealed)
}

pub fn daily_roots(conn: &Connection, limit: u32) -> StoreResult<Vec<DailyRootView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT day, root, jobs, events, computed_at, scheme FROM chain_roots ORDER BY day DESC LIMIT $1",
    )?;
    let rows = stmt
        .query_map([limit], |row| {
            Ok(DailyRootView {
                day: row.get(0)?,
                root: row.get(1)?,
                jobs: row.get(2)?,
                events: row.get(3)?,
                computed_at: to_rfc3339(from_unix(row.get(4)?)),
                scheme: row.get(5)?,
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
    for job_id in &job_ids {
        let check = check_job(conn, *job_id)?;
        checked_events += check.events;
        if let Some(link) = check.broken {
            broken.push(link);
        }
    }
    let stored: Vec<(String, String, i64)> = {
        let mut stmt =
            conn.prepare_cached("SELECT day, root, scheme FROM chain_roots ORDER BY day")?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let mut root_mismatches = Vec::new();
    // Each chained root is recomputed from the stored root before it, so a rewritten event shows
    // at its own day, and a rewritten root at the day after it.
    let mut previous = chain::GENESIS.to_string();
    let mut open_from = i64::MIN;
    for (day, root, scheme) in stored {
        let start = day_start(&day)?;
        let recomputed = if scheme == 1 {
            chain::all_heads_root(&heads_at_end_of(conn, &day)?)
        } else {
            chain::daily_root(
                &previous,
                &moved_between(conn, start, start + 86_400)?.heads,
            )
        };
        if recomputed != root {
            root_mismatches.push(RootMismatch {
                day,
                stored: root.clone(),
                recomputed,
            });
        }
        previous = root;
        open_from = start + 86_400;
    }
    let open = moved_between(conn, open_from, i64::MAX)?;
    Ok(ChainAudit {
        checked_jobs: job_ids.len() as i64,
        checked_events,
        broken,
        root_mismatches,
        current_root: chain::daily_root(&previous, &open.heads),
        checked_at: to_rfc3339(from_unix(now)),
    })
}
