//! SQL for the owner's rating of a delivered job and the agency's one reply.

use super::conn::{params, Connection};
use super::jobs_sql::event;
use super::StoreResult;
use crate::clock::{from_unix, to_rfc3339};
use market_domain::job::{Actor, JobDraft, JobEvent};
use market_domain::wire::{RatingRequest, RatingSummary, RatingView};
use time::OffsetDateTime;

use super::rows::from_json as parse_json;

pub fn insert_rating(
    tx: &Connection,
    job_id: i64,
    agency_id: i64,
    rating: &RatingRequest,
    at: OffsetDateTime,
) -> StoreResult<()> {
    tx.run(
        "INSERT INTO ratings (job_id, agency_id, quality, timeliness, attitude, fee_compliance, integrity, comment, rated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        params![job_id, agency_id, rating.quality, rating.timeliness, rating.attitude, rating.fee_compliance,
            rating.integrity, rating.comment.trim(), at.unix_timestamp()],
    )?;
    Ok(())
}

/// The agency's one reply; false when it already replied or there is no rating.
pub fn reply_rating(
    tx: &Connection,
    job_id: i64,
    agency_id: i64,
    reply: &str,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let changed = tx.run(
        "UPDATE ratings SET reply = $3, replied_at = $4 WHERE job_id = $1 AND agency_id = $2 AND reply IS NULL",
        params![job_id, agency_id, reply, at.unix_timestamp()],
    )?;
    if changed == 1 {
        event(
            tx,
            job_id,
            at,
            Actor::Agency,
            JobEvent::RatingReplied,
            "中介机构回复评价",
        )?;
    }
    Ok(changed == 1)
}

pub fn ratings(conn: &Connection, agency_id: i64) -> StoreResult<RatingSummary> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.job_id, j.content, r.quality, r.timeliness, r.attitude, r.fee_compliance, r.integrity,
            r.comment, r.reply, r.rated_at
         FROM ratings r JOIN jobs j ON j.id = r.job_id WHERE r.agency_id = $1 ORDER BY r.rated_at DESC",
    )?;
    let items = stmt
        .query_map([agency_id], |row| {
            let terms: JobDraft = parse_json(&row.get::<_, String>(1)?)?;
            Ok(RatingView {
                job_id: row.get(0)?,
                project_name: terms.project_name,
                scores: [
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                    row.get(6)?,
                ],
                comment: row.get(7)?,
                reply: row.get(8)?,
                rated_at: to_rfc3339(from_unix(row.get(9)?)),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let points: u32 = items.iter().flat_map(|r| r.scores).map(u32::from).sum();
    let dimensions = items.len() as u32 * 5;
    Ok(RatingSummary {
        count: items.len() as u32,
        average_hundredths: (points * 100 + dimensions / 2)
            .checked_div(dimensions)
            .unwrap_or(0),
        items,
    })
}
