//! SQL for jobs, bids and the job timeline, called from `SqliteStore` inside its read or write
//! turns. Every state change is a conditional update on the state it expects.

use super::notifications_sql;
use super::{BidRefusal, JobFilter, JobRecord, NewBid, StoreError, StoreResult};
use crate::clock::{from_unix, to_rfc3339};
use market_domain::award::AwardBasis;
use market_domain::chain;
use market_domain::draw::{candidates_hash, draw_order, seed_to_hex, Seed};
use market_domain::job::{Actor, JobDraft, JobEvent, JobState};
use market_domain::selection::SelectionMethod;
use market_domain::wire::{
    AwardRecord, AwardView, ObjectionView, RatingRequest, RatingSummary, RatingView,
};
use market_domain::wire::{BidView, JobEventView, JobSummary, JobView, Page};
use market_domain::{Money, ServiceType};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use time::OffsetDateTime;

use super::rows::{from_json as parse_json, invalid, to_json as json};
use market_domain::Code;

/// Appends a line built elsewhere (the service layer's [`super::JobLine`]).
pub fn line(tx: &Transaction<'_>, line: &super::JobLine) -> StoreResult<()> {
    event(
        tx,
        line.job_id,
        line.at,
        line.actor,
        line.event,
        &line.detail,
    )
}

pub fn event(
    tx: &Transaction<'_>,
    job_id: i64,
    at: OffsetDateTime,
    actor: Actor,
    name: JobEvent,
    detail: &str,
) -> StoreResult<()> {
    let (last_seq, prev_hash): (i64, String) = tx
        .query_row(
            "SELECT seq, hash FROM job_events WHERE job_id = ?1 ORDER BY seq DESC LIMIT 1",
            [job_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, chain::GENESIS.to_string()));
    let seq = last_seq + 1;
    let at = at.unix_timestamp();
    let hash = chain::link_hash(job_id, seq, at, actor, name, detail, &prev_hash);
    tx.execute(
        "INSERT INTO job_events (job_id, seq, at, actor, event, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![job_id, seq, at, actor, name, detail, prev_hash, hash],
    )?;
    notifications_sql::on_job_event(tx, job_id, name, detail, from_unix(at))?;
    // Every change of a published job is an OCDS release, kept as published.
    super::ocds_sql::snapshot(tx, job_id)
}

/// Links events stored before the chain existed (migration 6), oldest first within each job.
/// Rows without a hash are the only ones the append-only trigger lets us update.
pub fn seal_unhashed_events(tx: &Transaction<'_>) -> StoreResult<usize> {
    let pending: Vec<(i64, i64, i64, Actor, JobEvent, String)> = {
        let mut stmt = tx.prepare(
            "SELECT id, job_id, at, actor, event, detail FROM job_events
             WHERE hash IS NULL ORDER BY job_id, id",
        )?;
        let rows = stmt
            .query_map([], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    for (id, job_id, at, actor, name, detail) in &pending {
        let (last_seq, prev_hash): (i64, String) = tx
            .query_row(
                "SELECT seq, hash FROM job_events WHERE job_id = ?1 AND hash IS NOT NULL
                 ORDER BY seq DESC LIMIT 1",
                [job_id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?
            .unwrap_or((0, chain::GENESIS.to_string()));
        let seq = last_seq + 1;
        let hash = chain::link_hash(*job_id, seq, *at, *actor, *name, detail, &prev_hash);
        tx.execute(
            "UPDATE job_events SET seq = ?2, prev_hash = ?3, hash = ?4 WHERE id = ?1",
            params![id, seq, prev_hash, hash],
        )?;
    }
    Ok(pending.len())
}

const BID_COUNT: &str = "(SELECT count(*) FROM bids b WHERE b.job_id = j.id AND b.status = 'active'
    AND b.terms_revision = j.terms_revision)";

/// The count as readers may see it: nothing until `JobState::bids_opened` (the states listed here).
const PUBLIC_BID_COUNT: &str = "(CASE WHEN j.state IN ('draft', 'published', 'cancelled') THEN NULL
    ELSE (SELECT count(*) FROM bids b WHERE b.job_id = j.id AND b.status = 'active'
          AND b.terms_revision = j.terms_revision) END)";

pub fn create_job(
    tx: &Transaction<'_>,
    owner: i64,
    draft: &JobDraft,
    at: OffsetDateTime,
) -> StoreResult<i64> {
    tx.execute(
        "INSERT INTO jobs (enterprise_user_id, state, content, project_code, service_type, created_at)
         VALUES (?1, 'draft', ?2, ?3, ?4, ?5)",
        params![owner, json(draft)?, draft.project_code.trim(), draft.service_type, at.unix_timestamp()],
    )?;
    let id = tx.last_insert_rowid();
    event(
        tx,
        id,
        at,
        Actor::Enterprise,
        JobEvent::Created,
        "保存采购公告草稿",
    )?;
    Ok(id)
}

pub fn job(conn: &Connection, id: i64) -> StoreResult<Option<JobRecord>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT j.id, j.state, u.organization_name, j.content, j.terms_revision, j.deadline,
                    {PUBLIC_BID_COUNT}, j.draw_commitment, j.unsuccessful_reason, j.published_at, j.created_at,
                    j.enterprise_user_id, j.draw_seed, j.award,
                    (SELECT a.name FROM agencies a WHERE a.id = json_extract(j.award,
                        '$.candidates[' || json_extract(j.award, '$.position') || ']'))
                 FROM jobs j JOIN users u ON u.id = j.enterprise_user_id WHERE j.id = ?1"
            ),
            [id],
            |row| {
                let terms: JobDraft = parse_json(&row.get::<_, String>(3)?)?;
                let deadline: Option<i64> = row.get(5)?;
                let published_at: Option<i64> = row.get(9)?;
                let award: Option<AwardRecord> =
                    row.get::<_, Option<String>>(13)?.as_deref().map(parse_json).transpose()?;
                let winner_name: Option<String> = row.get(14)?;
                let award_view = award.as_ref().and_then(|a| {
                    let (agency_id, price) = a.winner()?;
                    Some(AwardView {
                        agency_id,
                        agency_name: winner_name.clone().unwrap_or_default(),
                        price,
                        method: terms.selection.kind(),
                        reason: a.reason.clone(),
                        basis: a.basis.clone(),
                        publicity_ends: to_rfc3339(from_unix(a.publicity_ends)),
                        is_final: false,
                    })
                });
                Ok(JobRecord {
                    view: JobView {
                        id: row.get(0)?,
                        state: row.get(1)?,
                        enterprise_name: row.get(2)?,
                        selection_method: terms.selection.kind(),
                        terms,
                        terms_revision: row.get(4)?,
                        deadline: deadline.map(|d| to_rfc3339(from_unix(d))),
                        bid_count: row.get(6)?,
                        draw_commitment: row.get(7)?,
                        unsuccessful_reason: row.get(8)?,
                        published_at: published_at.map(|p| to_rfc3339(from_unix(p))),
                        created_at: to_rfc3339(from_unix(row.get(10)?)),
                        award: award_view,
                        viewer: Default::default(),
                        case: None,
                    },
                    enterprise_user_id: row.get(11)?,
                    deadline: deadline.map(from_unix),
                    draw_seed: row.get(12)?,
                })
            },
        )
        .optional()?)
}

pub fn list_jobs(conn: &Connection, filter: &JobFilter) -> StoreResult<Page<JobSummary>> {
    let state = filter.state.map(|s| s.code());
    let service = filter.service_type.map(|s| s.code());
    // Drafts are listed only to their owner.
    let condition = "(CASE WHEN ?5 IS NULL THEN j.state <> 'draft' ELSE j.enterprise_user_id = ?5 END)
        AND (?1 IS NULL OR j.state = ?1) AND (?2 IS NULL OR j.service_type = ?2)
        AND (?6 IS NULL OR EXISTS (SELECT 1 FROM bids b WHERE b.job_id = j.id AND b.agency_id = ?6))";
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM jobs j WHERE {condition}"),
        // ?3 and ?4 (paging) are unused here but keep the numbering shared.
        params![state, service, 0, 0, filter.owner, filter.bidder],
        |row| row.get(0),
    )?;
    let offset = i64::from(filter.page.saturating_sub(1)) * i64::from(filter.per_page);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT j.id, j.content, j.state, j.deadline, {PUBLIC_BID_COUNT}, u.organization_name
         FROM jobs j JOIN users u ON u.id = j.enterprise_user_id
         WHERE {condition} ORDER BY coalesce(j.published_at, j.created_at) DESC, j.id DESC
         LIMIT ?3 OFFSET ?4"
    ))?;
    let items = stmt
        .query_map(
            params![
                state,
                service,
                filter.per_page,
                offset,
                filter.owner,
                filter.bidder
            ],
            |row| {
                let terms: JobDraft = parse_json(&row.get::<_, String>(1)?)?;
                let deadline: Option<i64> = row.get(3)?;
                Ok(JobSummary {
                    id: row.get(0)?,
                    project_name: terms.project_name.clone(),
                    project_code: terms.project_code.clone(),
                    service_type: ServiceType::decode(&terms.service_type).map_err(invalid)?,
                    state: row.get(2)?,
                    selection_method: terms.selection.kind(),
                    budget_ceiling: Money::from_fen(terms.budget_ceiling).map_err(invalid)?,
                    deadline: deadline.map(|d| to_rfc3339(from_unix(d))),
                    bid_count: row.get(4)?,
                    enterprise_name: row.get(5)?,
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page {
        items,
        total: total.max(0) as u64,
        page: filter.page,
        per_page: filter.per_page,
    })
}

pub fn update_draft(
    tx: &Transaction<'_>,
    id: i64,
    draft: &JobDraft,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let changed = tx.execute(
        "UPDATE jobs SET content = ?2, project_code = ?3, service_type = ?4 WHERE id = ?1 AND state = 'draft'",
        params![id, json(draft)?, draft.project_code.trim(), draft.service_type],
    )?;
    if changed == 1 {
        event(
            tx,
            id,
            at,
            Actor::Enterprise,
            JobEvent::Edited,
            "修改采购公告草稿",
        )?;
    }
    Ok(changed == 1)
}

pub fn publish(
    tx: &Transaction<'_>,
    id: i64,
    deadline: OffsetDateTime,
    draw: Option<(Vec<u8>, String)>,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let (seed, commitment) = draw.unzip();
    let changed = tx.execute(
        "UPDATE jobs SET state = 'published', deadline = ?2, draw_seed = ?3, draw_commitment = ?4,
            published_at = ?5 WHERE id = ?1 AND state = 'draft'",
        params![
            id,
            deadline.unix_timestamp(),
            seed,
            commitment,
            at.unix_timestamp()
        ],
    )?;
    if changed == 1 {
        let detail = match &commitment {
            Some(c) => format!("发布采购公告;随机抽取种子承诺值 {c}"),
            None => "发布采购公告".to_owned(),
        };
        event(tx, id, at, Actor::Enterprise, JobEvent::Published, &detail)?;
    }
    Ok(changed == 1)
}

pub fn amend(
    tx: &Transaction<'_>,
    id: i64,
    draft: &JobDraft,
    deadline: OffsetDateTime,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let changed = tx.execute(
        "UPDATE jobs SET content = ?2, deadline = ?3, terms_revision = terms_revision + 1
         WHERE id = ?1 AND state = 'published' AND deadline > ?4",
        params![
            id,
            json(draft)?,
            deadline.unix_timestamp(),
            at.unix_timestamp()
        ],
    )?;
    if changed == 0 {
        return Ok(false);
    }
    tx.execute(
        "UPDATE bids SET status = 'voided', updated_at = ?2 WHERE job_id = ?1 AND status = 'active'",
        params![id, at.unix_timestamp()],
    )?;
    event(
        tx,
        id,
        at,
        Actor::Enterprise,
        JobEvent::TermsChanged,
        "变更采购条件;此前提交的报价均已作废,报价机构须按新条件重新确认",
    )?;
    Ok(true)
}

pub fn settle(tx: &Transaction<'_>, id: i64, at: OffsetDateTime) -> StoreResult<Option<JobState>> {
    let due: Option<(String, i64)> = tx
        .query_row(
            &format!("SELECT j.content, {BID_COUNT} FROM jobs j WHERE j.id = ?1 AND j.state = 'published' AND j.deadline <= ?2"),
            params![id, at.unix_timestamp()],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let Some((content, valid_bids)) = due else {
        return Ok(None);
    };
    let terms: JobDraft = parse_json(&content)?;
    publish_receipts(tx, id, at)?;
    if valid_bids >= i64::from(terms.min_bidders) {
        tx.execute(
            "UPDATE jobs SET state = 'evaluating' WHERE id = ?1 AND state = 'published'",
            [id],
        )?;
        event(
            tx,
            id,
            at,
            Actor::System,
            JobEvent::Opened,
            &format!("报名截止,开启 {valid_bids} 份有效报价"),
        )?;
        if terms.selection == SelectionMethod::RandomDraw {
            return draw(tx, id, &terms, at).map(Some);
        }
        Ok(Some(JobState::Evaluating))
    } else {
        let reason = format!(
            "有效报价 {valid_bids} 家,少于最少 {} 家,流标",
            terms.min_bidders
        );
        tx.execute(
            "UPDATE jobs SET state = 'unsuccessful', unsuccessful_reason = ?2 WHERE id = ?1 AND state = 'published'",
            params![id, reason],
        )?;
        event(tx, id, at, Actor::System, JobEvent::Unsuccessful, &reason)?;
        Ok(Some(JobState::Unsuccessful))
    }
}

/// Records a sealed bid action and its receipt; the bid row already holds the new state.
fn record_receipt(
    tx: &Transaction<'_>,
    job_id: i64,
    agency_id: i64,
    action: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let (price, service_days, commitment, proposal): (i64, u32, String, String) = tx.query_row(
        "SELECT price, service_days, commitment, proposal FROM bids WHERE job_id = ?1 AND agency_id = ?2",
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
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
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
fn publish_receipts(tx: &Transaction<'_>, job_id: i64, at: OffsetDateTime) -> StoreResult<()> {
    let receipts = tx
        .prepare_cached("SELECT receipt FROM bid_receipts WHERE job_id = ?1 ORDER BY id")?
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
    tx: &Transaction<'_>,
    job_id: i64,
    at: OffsetDateTime,
) -> StoreResult<Result<i64, BidRefusal>> {
    let job: Option<(JobState, Option<i64>, i64)> = tx
        .query_row(
            "SELECT state, deadline, terms_revision FROM jobs WHERE id = ?1",
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

fn bid_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<BidView> {
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

fn bid_of(tx: &Transaction<'_>, job_id: i64, agency_id: i64) -> StoreResult<BidView> {
    Ok(tx.query_row(
        &format!("SELECT {BID_COLUMNS} FROM bids b JOIN agencies a ON a.id = b.agency_id WHERE b.job_id = ?1 AND b.agency_id = ?2"),
        params![job_id, agency_id],
        bid_from_row,
    )?)
}

pub fn create_bid(
    tx: &Transaction<'_>,
    job_id: i64,
    agency_id: i64,
    bid: &NewBid,
    at: OffsetDateTime,
) -> StoreResult<Result<BidView, BidRefusal>> {
    let revision = match open_for_bids(tx, job_id, at)? {
        Ok(revision) => revision,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let existing: Option<String> = tx
        .query_row(
            "SELECT status FROM bids WHERE job_id = ?1 AND agency_id = ?2",
            params![job_id, agency_id],
            |row| row.get(0),
        )
        .optional()?;
    match existing.as_deref() {
        Some("active") => return Ok(Err(BidRefusal::AlreadyBid)),
        // A voided or withdrawn bid is confirmed again in place.
        Some(_) => {
            tx.execute(
                "UPDATE bids SET price = ?3, service_days = ?4, commitment = ?5, proposal = ?6, flags = ?7,
                    terms_revision = ?8, status = 'active', updated_at = ?9 WHERE job_id = ?1 AND agency_id = ?2",
                params![job_id, agency_id, bid.price.fen(), bid.service_days, bid.commitment, bid.proposal,
                    json(&bid.flags)?, revision, at.unix_timestamp()],
            )?;
        }
        None => {
            tx.execute(
                "INSERT INTO bids (job_id, agency_id, price, service_days, commitment, proposal, flags,
                    terms_revision, status, submitted_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'active', ?9, ?9)",
                params![job_id, agency_id, bid.price.fen(), bid.service_days, bid.commitment, bid.proposal,
                    json(&bid.flags)?, revision, at.unix_timestamp()],
            )?;
        }
    }
    // Sealed: the public timeline learns nothing until opening; the bidder gets a receipt.
    let action = if existing.is_some() {
        "confirmed"
    } else {
        "submitted"
    };
    record_receipt(tx, job_id, agency_id, action, at)?;
    Ok(Ok(bid_of(tx, job_id, agency_id)?))
}

pub fn update_bid(
    tx: &Transaction<'_>,
    job_id: i64,
    agency_id: i64,
    bid: &NewBid,
    at: OffsetDateTime,
) -> StoreResult<Result<BidView, BidRefusal>> {
    if let Err(refusal) = open_for_bids(tx, job_id, at)? {
        return Ok(Err(refusal));
    }
    let changed = tx.execute(
        "UPDATE bids SET price = ?3, service_days = ?4, commitment = ?5, proposal = ?6, flags = ?7,
            updated_at = ?8 WHERE job_id = ?1 AND agency_id = ?2 AND status = 'active'",
        params![
            job_id,
            agency_id,
            bid.price.fen(),
            bid.service_days,
            bid.commitment,
            bid.proposal,
            json(&bid.flags)?,
            at.unix_timestamp()
        ],
    )?;
    if changed == 0 {
        return Ok(Err(BidRefusal::NoBid));
    }
    record_receipt(tx, job_id, agency_id, "updated", at)?;
    Ok(Ok(bid_of(tx, job_id, agency_id)?))
}

pub fn withdraw_bid(
    tx: &Transaction<'_>,
    job_id: i64,
    agency_id: i64,
    at: OffsetDateTime,
) -> StoreResult<Result<(), BidRefusal>> {
    if let Err(refusal) = open_for_bids(tx, job_id, at)? {
        return Ok(Err(refusal));
    }
    let changed = tx.execute(
        "UPDATE bids SET status = 'withdrawn', updated_at = ?3 WHERE job_id = ?1 AND agency_id = ?2 AND status = 'active'",
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
        "SELECT {BID_COLUMNS} FROM bids b JOIN agencies a ON a.id = b.agency_id WHERE b.job_id = ?1
         ORDER BY b.submitted_at, b.id"
    ))?;
    let rows = stmt
        .query_map([job_id], bid_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn events(conn: &Connection, job_id: i64) -> StoreResult<Vec<JobEventView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at, actor, event, detail, prev_hash, hash FROM job_events WHERE job_id = ?1
         ORDER BY seq",
    )?;
    let rows = stmt
        .query_map([job_id], |row| {
            Ok(JobEventView {
                seq: row.get(0)?,
                at: to_rfc3339(from_unix(row.get(1)?)),
                actor: row.get(2)?,
                event: row.get(3)?,
                detail: row.get(4)?,
                prev_hash: row.get(5)?,
                hash: row.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Active bids on the job's current terms: (agency id, price, submitted at).
pub fn valid_bids(conn: &Connection, job_id: i64) -> StoreResult<Vec<(i64, Money, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT b.agency_id, b.price, b.submitted_at FROM bids b JOIN jobs j ON j.id = b.job_id
         WHERE b.job_id = ?1 AND b.status = 'active' AND b.terms_revision = j.terms_revision
         ORDER BY b.agency_id",
    )?;
    let rows = stmt
        .query_map([job_id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn publicity_end(at: OffsetDateTime, days: u32) -> i64 {
    (at + time::Duration::days(i64::from(days))).unix_timestamp()
}

/// The random draw, at opening: freeze the candidates, publish their hash, reveal the seed and
/// award to the first in the draw order.
fn draw(
    tx: &Transaction<'_>,
    id: i64,
    terms: &JobDraft,
    at: OffsetDateTime,
) -> StoreResult<JobState> {
    let seed: Vec<u8> = tx.query_row("SELECT draw_seed FROM jobs WHERE id = ?1", [id], |row| {
        row.get(0)
    })?;
    let seed: Seed = seed
        .try_into()
        .map_err(|_| StoreError::Database("draw seed is not 32 bytes".into()))?;
    let bids = valid_bids(tx, id)?;
    let ids: Vec<i64> = bids.iter().map(|b| b.0).collect();
    let order = draw_order(&seed, &ids);
    let prices = order
        .iter()
        .map(|agency| {
            bids.iter()
                .find(|b| b.0 == *agency)
                .map(|b| b.1)
                .unwrap_or(Money::ZERO)
        })
        .collect();
    let hash = candidates_hash(&ids);
    let award = AwardRecord {
        candidates: order.clone(),
        position: 0,
        prices,
        reason: AwardBasis::Drawn.text(market_domain::Locale::ZhCn),
        basis: Some(AwardBasis::Drawn),
        publicity_ends: publicity_end(at, terms.publicity_days),
        candidates_hash: Some(hash.clone()),
        seed: Some(seed_to_hex(&seed)),
    };
    tx.execute(
        "UPDATE jobs SET state = 'publicity', award = ?2 WHERE id = ?1 AND state = 'evaluating'",
        params![id, json(&award)?],
    )?;
    event(
        tx,
        id,
        at,
        Actor::System,
        JobEvent::CandidatesFrozen,
        &format!("候选名单已固定,哈希 {hash}"),
    )?;
    event(
        tx,
        id,
        at,
        Actor::System,
        JobEvent::Drawn,
        &format!("公开种子并抽取,中选机构编号 {}", order[0]),
    )?;
    Ok(JobState::Publicity)
}

/// Moves a job from `from` to `to`, replacing the given parts; false when the job was no longer
/// in `from` (another request won).
pub fn advance(tx: &Transaction<'_>, transition: &super::Transition) -> StoreResult<bool> {
    let super::Transition {
        from,
        to,
        patch,
        line,
    } = transition;
    let (id, detail) = (line.job_id, &line.detail);
    let changed = tx.execute(
        "UPDATE jobs SET state = ?3,
            award = CASE WHEN ?4 IS NULL THEN award ELSE ?4 END,
            contract = CASE WHEN ?5 IS NULL THEN contract ELSE ?5 END,
            delivery = CASE WHEN ?6 IS NULL THEN delivery ELSE ?6 END,
            unsuccessful_reason = CASE WHEN ?3 = 'unsuccessful' THEN ?7 ELSE unsuccessful_reason END
         WHERE id = ?1 AND state = ?2",
        params![
            id,
            from.code(),
            to.code(),
            patch.award.as_ref().map(json).transpose()?,
            patch.contract.as_ref().map(json).transpose()?,
            patch.delivery.as_ref().map(json).transpose()?,
            detail,
        ],
    )?;
    if changed == 1 {
        self::line(tx, line)?;
    }
    Ok(changed == 1)
}

pub fn job_parts(conn: &Connection, id: i64) -> StoreResult<super::JobParts> {
    let (award, contract, delivery): (Option<String>, Option<String>, Option<String>) = conn
        .query_row(
            "SELECT award, contract, delivery FROM jobs WHERE id = ?1",
            [id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
    Ok((
        award.as_deref().map(parse_json).transpose()?,
        contract.as_deref().map(parse_json).transpose()?,
        delivery.as_deref().map(parse_json).transpose()?,
    ))
}

fn objection_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ObjectionView> {
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
    tx: &Transaction<'_>,
    job_id: i64,
    user_id: i64,
    reason: &str,
    at: OffsetDateTime,
) -> StoreResult<ObjectionView> {
    tx.execute(
        "INSERT INTO objections (job_id, filed_by, reason, status, filed_at) VALUES (?1, ?2, ?3, 'pending', ?4)",
        params![job_id, user_id, reason, at.unix_timestamp()],
    )?;
    let id = tx.last_insert_rowid();
    event(
        tx,
        job_id,
        at,
        Actor::Agency,
        JobEvent::ObjectionFiled,
        "收到一份异议",
    )?;
    Ok(tx.query_row(
        &format!("SELECT {OBJECTION_COLUMNS} FROM objections o JOIN users u ON u.id = o.filed_by WHERE o.id = ?1"),
        [id],
        objection_from_row,
    )?)
}

pub fn objections(conn: &Connection, job_id: i64) -> StoreResult<Vec<ObjectionView>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {OBJECTION_COLUMNS} FROM objections o JOIN users u ON u.id = o.filed_by WHERE o.job_id = ?1 ORDER BY o.id"
    ))?;
    let rows = stmt
        .query_map([job_id], objection_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Answers a pending objection; false when it was already answered.
pub fn answer_objection(
    tx: &Transaction<'_>,
    job_id: i64,
    id: i64,
    upheld: bool,
    answer: &str,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let changed = tx.execute(
        "UPDATE objections SET status = ?3, answer = ?4, answered_at = ?5 WHERE id = ?1 AND job_id = ?2 AND status = 'pending'",
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

pub fn insert_rating(
    tx: &Transaction<'_>,
    job_id: i64,
    agency_id: i64,
    rating: &RatingRequest,
    at: OffsetDateTime,
) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO ratings (job_id, agency_id, quality, timeliness, attitude, fee_compliance, integrity, comment, rated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![job_id, agency_id, rating.quality, rating.timeliness, rating.attitude, rating.fee_compliance,
            rating.integrity, rating.comment.trim(), at.unix_timestamp()],
    )?;
    Ok(())
}

/// The agency's one reply; false when it already replied or there is no rating.
pub fn reply_rating(
    tx: &Transaction<'_>,
    job_id: i64,
    agency_id: i64,
    reply: &str,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let changed = tx.execute(
        "UPDATE ratings SET reply = ?3, replied_at = ?4 WHERE job_id = ?1 AND agency_id = ?2 AND reply IS NULL",
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
         FROM ratings r JOIN jobs j ON j.id = r.job_id WHERE r.agency_id = ?1 ORDER BY r.rated_at DESC",
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
