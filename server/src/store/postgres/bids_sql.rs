//! SQL for sealed bids: each action leaves a receipt, and the receipts enter the job's public
//! chain when the bids are opened.

use super::conn::{params, Connection, OptionalExtension, Row};
use super::{BidRefusal, BidWrite, NewBid, StoreResult};
use crate::clock::{from_unix, to_rfc3339};
use market_domain::chain;
use market_domain::draw::seed_to_hex;
use market_domain::job::{Actor, JobEvent, JobState};
use market_domain::selection::RankedBid;
use market_domain::wire::BidView;
use time::OffsetDateTime;

use super::jobs_sql::event;
use super::rows::{from_json as parse_json, to_json as json};

/// Records a sealed bid action and its receipt; the bid row already holds the new state.
fn record_receipt(
    tx: &Connection,
    job_id: i64,
    agency_id: i64,
    action: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let (price, service_days, commitment, proposal): (i64, u32, String, String) = tx.row(
        "SELECT price, service_days, commitment, proposal FROM bids WHERE job_id = $1 AND agency_id = $2",
        params![job_id, agency_id],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
    )?;
    let mut nonce = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut nonce);
    let nonce = seed_to_hex(&nonce);
    let receipt = chain::bid_receipt(&chain::BidAction {
        job_id,
        agency_id,
        at_unix: at.unix_timestamp(),
        action,
        price_fen: price,
        service_days,
        commitment: &commitment,
        proposal: &proposal,
        nonce: &nonce,
    });
    tx.prepare_cached(
        "INSERT INTO bid_receipts (job_id, agency_id, at, action, receipt, nonce)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )?
    .execute(params![
        job_id,
        agency_id,
        at.unix_timestamp(),
        action,
        receipt,
        nonce
    ])?;
    Ok(())
}

/// At opening, every receipt of the job enters its public chain in one event.
pub(super) fn publish_receipts(
    tx: &Connection,
    job_id: i64,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let receipts = tx
        .prepare_cached("SELECT receipt FROM bid_receipts WHERE job_id = $1 ORDER BY id")?
        .query_map([job_id], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    event(
        tx,
        job_id,
        at,
        Actor::System,
        JobEvent::BidReceipts,
        &chain::receipts_detail(&receipts),
    )
}

/// The job's state and whether `at` is before its deadline, if it is open for bids.
fn open_for_bids(
    tx: &Connection,
    job_id: i64,
    at: OffsetDateTime,
) -> StoreResult<Result<i64, BidRefusal>> {
    let job: Option<(JobState, Option<i64>, i64)> = tx
        .row(
            "SELECT state, deadline, terms_revision FROM jobs WHERE id = $1",
            [job_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    Ok(match job {
        Some((state, deadline, revision)) if state.takes_bids(deadline, at.unix_timestamp()) => {
            Ok(revision)
        }
        Some((JobState::Draft | JobState::Cancelled, _, _)) | None => Err(BidRefusal::NotOpen),
        Some(_) => Err(BidRefusal::DeadlinePassed),
    })
}

const BID_COLUMNS: &str =
    "b.id, b.job_id, b.agency_id, a.name, b.price, b.service_days, b.commitment,
    b.proposal, b.flags, b.status, b.submitted_at, b.updated_at,
    (SELECT r.receipt FROM bid_receipts r WHERE r.job_id = b.job_id AND r.agency_id = b.agency_id
     ORDER BY r.id DESC LIMIT 1),
    (SELECT r.nonce FROM bid_receipts r WHERE r.job_id = b.job_id AND r.agency_id = b.agency_id
     ORDER BY r.id DESC LIMIT 1)";

fn bid_from_row(row: &Row<'_>) -> rusqlite::Result<BidView> {
    Ok(BidView {
        id: row.get(0)?,
        job_id: row.get(1)?,
        agency_id: row.get(2)?,
        agency_name: row.get(3)?,
        price: row.get(4)?,
        service_days: row.get(5)?,
        commitment: row.get(6)?,
        proposal: row.get(7)?,
        flags: parse_json(&row.get::<_, String>(8)?)?,
        status: row.get(9)?,
        submitted_at: to_rfc3339(from_unix(row.get(10)?)),
        updated_at: to_rfc3339(from_unix(row.get(11)?)),
        receipt: row.get(12)?,
        receipt_nonce: row.get(13)?,
    })
}

fn bid_of(tx: &Connection, job_id: i64, agency_id: i64) -> StoreResult<BidView> {
    Ok(tx.row(
        &format!("SELECT {BID_COLUMNS} FROM bids b JOIN agencies a ON a.id = b.agency_id WHERE b.job_id = $1 AND b.agency_id = $2"),
        params![job_id, agency_id],
        bid_from_row,
    )?)
}

pub fn put_bid(
    tx: &Connection,
    job_id: i64,
    agency_id: i64,
    bid: &NewBid,
    write: BidWrite,
    at: OffsetDateTime,
) -> StoreResult<Result<BidView, BidRefusal>> {
    let revision = match open_for_bids(tx, job_id, at)? {
        Ok(revision) => revision,
        Err(refusal) => return Ok(Err(refusal)),
    };
    // Every statement binds the same nine values; a revision of the price or text leaves `$8`,
    // the terms revision the bid answers, as it was.
    let (sql, action) = match write {
        BidWrite::Place => match status(tx, job_id, agency_id)?.as_deref() {
            Some("active") => return Ok(Err(BidRefusal::AlreadyBid)),
            // A voided or withdrawn bid is confirmed again in place.
            Some(_) => (
                "UPDATE bids SET price = $3, service_days = $4, commitment = $5, proposal = $6,
                    flags = $7, terms_revision = $8, status = 'active', updated_at = $9
                 WHERE job_id = $1 AND agency_id = $2",
                "confirmed",
            ),
            None => (
                "INSERT INTO bids (job_id, agency_id, price, service_days, commitment, proposal,
                    flags, terms_revision, status, submitted_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $9)",
                "submitted",
            ),
        },
        BidWrite::Revise => (
            "UPDATE bids SET price = $3, service_days = $4, commitment = $5, proposal = $6,
                flags = $7, updated_at = $9
             WHERE job_id = $1 AND agency_id = $2 AND status = 'active'
                 -- A revision keeps the bid's terms revision: PostgreSQL types every parameter.
                 AND $8::bigint IS NOT NULL",
            "updated",
        ),
    };
    let changed = tx.run(
        sql,
        params![
            job_id,
            agency_id,
            bid.price.fen(),
            bid.service_days,
            bid.commitment,
            bid.proposal,
            json(&bid.flags)?,
            revision,
            at.unix_timestamp()
        ],
    )?;
    if changed == 0 {
        return Ok(Err(BidRefusal::NoBid));
    }
    // Sealed: the public timeline learns nothing until opening; the bidder gets a receipt.
    record_receipt(tx, job_id, agency_id, action, at)?;
    Ok(Ok(bid_of(tx, job_id, agency_id)?))
}

/// The agency's bid's status on the job, if it has ever bid.
fn status(tx: &Connection, job_id: i64, agency_id: i64) -> StoreResult<Option<String>> {
    Ok(tx
        .row(
            "SELECT status FROM bids WHERE job_id = $1 AND agency_id = $2",
            params![job_id, agency_id],
            |row| row.get(0),
        )
        .optional()?)
}

pub fn withdraw_bid(
    tx: &Connection,
    job_id: i64,
    agency_id: i64,
    at: OffsetDateTime,
) -> StoreResult<Result<(), BidRefusal>> {
    if let Err(refusal) = open_for_bids(tx, job_id, at)? {
        return Ok(Err(refusal));
    }
    let changed = tx.run(
        "UPDATE bids SET status = 'withdrawn', updated_at = $3 WHERE job_id = $1 AND agency_id = $2 AND status = 'active'",
        params![job_id, agency_id, at.unix_timestamp()],
    )?;
    if changed == 0 {
        return Ok(Err(BidRefusal::NoBid));
    }
    record_receipt(tx, job_id, agency_id, "withdrawn", at)?;
    Ok(Ok(()))
}

pub fn bids(conn: &Connection, job_id: i64) -> StoreResult<Vec<BidView>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {BID_COLUMNS} FROM bids b JOIN agencies a ON a.id = b.agency_id WHERE b.job_id = $1
         ORDER BY b.submitted_at, b.id"
    ))?;
    let rows = stmt
        .query_map([job_id], bid_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Active bids on the job's current terms, as the award rules rank them: ties in price go to
/// the earlier submission, then the lower agency id.
pub fn valid_bids(conn: &Connection, job_id: i64) -> StoreResult<Vec<RankedBid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT b.agency_id, b.price, b.submitted_at FROM bids b JOIN jobs j ON j.id = b.job_id
         WHERE b.job_id = $1 AND b.status = 'active' AND b.terms_revision = j.terms_revision
         ORDER BY b.agency_id",
    )?;
    let rows = stmt
        .query_map([job_id], |row| {
            let agency_id = row.get(0)?;
            Ok(RankedBid {
                agency_id,
                price: row.get(1)?,
                submitted: (row.get(2)?, agency_id),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
