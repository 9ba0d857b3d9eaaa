//! SQL for objections to an award during its publicity period.

use super::conn::{params, Connection, Row};
use super::jobs_sql::event;
use super::StoreResult;
use crate::clock::{from_unix, to_rfc3339};
use market_domain::job::{Actor, JobEvent};
use market_domain::wire::ObjectionView;
use time::OffsetDateTime;

fn objection_from_row(row: &Row<'_>) -> rusqlite::Result<ObjectionView> {
    let answered_at: Option<i64> = row.get(7)?;
    Ok(ObjectionView {
        id: row.get(0)?,
        job_id: row.get(1)?,
        filed_by_role: row.get(2)?,
        reason: row.get(3)?,
        status: row.get(4)?,
        answer: row.get(5)?,
        filed_at: to_rfc3339(from_unix(row.get(6)?)),
        answered_at: answered_at.map(|t| to_rfc3339(from_unix(t))),
    })
}

const OBJECTION_COLUMNS: &str =
    "o.id, o.job_id, u.role, o.reason, o.status, o.answer, o.filed_at, o.answered_at";

pub fn file_objection(
    tx: &Connection,
    job_id: i64,
    user_id: i64,
    reason: &str,
    at: OffsetDateTime,
) -> StoreResult<ObjectionView> {
    tx.run(
        "INSERT INTO objections (job_id, filed_by, reason, status, filed_at) VALUES ($1, $2, $3, 'pending', $4)",
        params![job_id, user_id, reason, at.unix_timestamp()],
    )?;
    let id = tx.last_insert_rowid()?;
    event(
        tx,
        job_id,
        at,
        Actor::Agency,
        JobEvent::ObjectionFiled,
        "收到一份异议",
    )?;
    Ok(tx.row(
        &format!("SELECT {OBJECTION_COLUMNS} FROM objections o JOIN users u ON u.id = o.filed_by WHERE o.id = $1"),
        [id],
        objection_from_row,
    )?)
}

pub fn objections(conn: &Connection, job_id: i64) -> StoreResult<Vec<ObjectionView>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {OBJECTION_COLUMNS} FROM objections o JOIN users u ON u.id = o.filed_by WHERE o.job_id = $1 ORDER BY o.id"
    ))?;
    let rows = stmt
        .query_map([job_id], objection_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Answers a pending objection; false when it was already answered.
pub fn answer_objection(
    tx: &Connection,
    job_id: i64,
    id: i64,
    upheld: bool,
    answer: &str,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let changed = tx.run(
        "UPDATE objections SET status = $3, answer = $4, answered_at = $5 WHERE id = $1 AND job_id = $2 AND status = 'pending'",
        params![id, job_id, if upheld { "upheld" } else { "dismissed" }, answer, at.unix_timestamp()],
    )?;
    if changed == 1 {
        let verdict = if upheld {
            "异议成立"
        } else {
            "异议不成立"
        };
        event(
            tx,
            job_id,
            at,
            Actor::Enterprise,
            JobEvent::ObjectionAnswered,
            &format!("{verdict}:{answer}"),
        )?;
    }
    Ok(changed == 1)
}
