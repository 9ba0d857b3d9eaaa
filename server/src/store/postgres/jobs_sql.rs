//! SQL for jobs and the job timeline, called from `PgStore` inside its read or write turns.
//! Every state change is a conditional update on the state it expects. Bids, objections and
//! ratings have files of their own beside this one.

use super::conn::{params, Connection, OptionalExtension};
use super::notifications_sql;
use super::{JobRecord, StoreError, StoreResult};
use crate::clock::{from_unix, to_rfc3339};
use market_domain::award::AwardRecord;
use market_domain::award::{prices_in_order, AwardBasis};
use market_domain::chain;
use market_domain::draw::{candidates_hash, draw_order, seed_to_hex, Seed};
use market_domain::job::{Actor, JobDraft, JobEvent, JobState};
use market_domain::selection::SelectionMethod;
use market_domain::wire::AwardView;
use market_domain::wire::{JobEventView, JobSummary, JobView};
use market_domain::{Money, ServiceType};
use time::OffsetDateTime;

use super::bids_sql::{publish_receipts, valid_bids};
use super::rows::{from_json as parse_json, invalid, to_json as json};
use market_domain::Code;

/// Appends a line built elsewhere (the service layer's [`super::JobLine`]).
pub fn line(tx: &Connection, line: &super::JobLine) -> StoreResult<()> {
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
    tx: &Connection,
    job_id: i64,
    at: OffsetDateTime,
    actor: Actor,
    name: JobEvent,
    detail: &str,
) -> StoreResult<()> {
    let (last_seq, prev_hash): (i64, String) = tx
        .row(
            "SELECT seq, hash FROM job_events WHERE job_id = $1 ORDER BY seq DESC LIMIT 1",
            [job_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, chain::GENESIS.to_string()));
    let seq = last_seq + 1;
    let at = at.unix_timestamp();
    let hash = chain::link_hash(job_id, seq, at, actor, name, detail, &prev_hash);
    tx.run(
        "INSERT INTO job_events (job_id, seq, at, actor, event, detail, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        params![job_id, seq, at, actor, name, detail, prev_hash, hash],
    )?;
    notifications_sql::on_job_event(tx, job_id, name, detail, from_unix(at))?;
    // Every change of a published job is an OCDS release, kept as published.
    super::ocds_sql::snapshot(tx, job_id)
}

/// Links events stored before the chain existed (migration 6), oldest first within each job.
/// Rows without a hash are the only ones the append-only trigger lets us update.
pub fn seal_unhashed_events(tx: &Connection) -> StoreResult<usize> {
    let pending: Vec<(i64, i64, i64, Actor, JobEvent, String)> = {
        let mut stmt = tx.prepare_cached(
            "SELECT id, job_id, at, actor, event, detail FROM job_events
             WHERE hash IS NULL ORDER BY job_id, id",
        )?;
        let rows = stmt
            .query_map([], |row| row.try_into())?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    for (id, job_id, at, actor, name, detail) in &pending {
        let (last_seq, prev_hash): (i64, String) = tx
            .row(
                "SELECT seq, hash FROM job_events WHERE job_id = $1 AND hash IS NOT NULL
                 ORDER BY seq DESC LIMIT 1",
                [job_id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?
            .unwrap_or((0, chain::GENESIS.to_string()));
        let seq = last_seq + 1;
        let hash = chain::link_hash(*job_id, seq, *at, *actor, *name, detail, &prev_hash);
        tx.run(
            "UPDATE job_events SET seq = $2, prev_hash = $3, hash = $4 WHERE id = $1",
            params![id, seq, prev_hash, hash],
        )?;
    }
    Ok(pending.len())
}

const BID_COUNT: &str = "(SELECT count(*) FROM bids b WHERE b.job_id = j.id AND b.status = 'active'
    AND b.terms_revision = j.terms_revision)";

/// The count as readers may see it: nothing while [`JobState::bids_opened`] is false, with the
/// sealed states listed from the domain rather than written out again here.
fn public_bid_count() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let sealed: Vec<String> = JobState::ALL
            .into_iter()
            .filter(|state| !state.bids_opened())
            .map(|state| format!("'{}'", state.code()))
            .collect();
        format!(
            "(CASE WHEN j.state IN ({}) THEN NULL ELSE {BID_COUNT} END)",
            sealed.join(", ")
        )
    })
}

pub fn create_job(
    tx: &Connection,
    owner: i64,
    draft: &JobDraft,
    at: OffsetDateTime,
) -> StoreResult<i64> {
    tx.run(
        "INSERT INTO jobs (enterprise_user_id, state, content, project_code, service_type, created_at)
         VALUES ($1, 'draft', $2, $3, $4, $5)",
        params![owner, json(draft)?, draft.project_code.trim(), draft.service_type, at.unix_timestamp()],
    )?;
    let id = tx.last_insert_rowid()?;
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
        .row(
            &format!(
                "SELECT j.id, j.state, u.organization_name, j.content, j.terms_revision, j.deadline,
                    {}, j.draw_commitment, j.unsuccessful_reason, j.published_at, j.created_at,
                    j.enterprise_user_id, j.draw_seed, j.award,
                    (SELECT a.name FROM agencies a WHERE a.id = award_agency(j.award))
                 FROM jobs j JOIN users u ON u.id = j.enterprise_user_id WHERE j.id = $1",
                public_bid_count()
            ),
            [id],
            |row| {
                let terms: JobDraft = parse_json(&row.get::<_, String>(3)?)?;
                let deadline: Option<i64> = row.get(5)?;
                let published_at: Option<i64> = row.get(9)?;
                let award: Option<AwardRecord> = row
                    .get::<_, Option<String>>(13)?
                    .as_deref()
                    .map(parse_json)
                    .transpose()?;
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

/// What a list line needs of a job's stored terms. Reading only these, and passing over the
/// scope, qualifications and avoidance lists without building them, halved the decoding that
/// was the largest part of a job-list page.
#[derive(serde::Deserialize)]
struct SummaryTerms {
    project_code: String,
    project_name: String,
    service_type: String,
    budget_ceiling: i64,
    selection: SelectionTag,
}

/// A selection method's tag alone: its parameters (the criteria) are not read.
#[derive(serde::Deserialize)]
struct SelectionTag {
    kind: market_domain::selection::SelectionKind,
}

/// The lines of a list, in the order of `ids` (the notices index chose which and in what
/// order): one statement for the page, rather than one read transaction per line.
pub fn summaries(conn: &Connection, ids: &[i64]) -> StoreResult<Vec<JobSummary>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT j.id, j.content, j.state, j.deadline, {}, u.organization_name
         FROM jsonb_array_elements_text($1::text::jsonb) WITH ORDINALITY AS ids(value, key)
         JOIN jobs j ON j.id = ids.value::bigint
         JOIN users u ON u.id = j.enterprise_user_id ORDER BY ids.key",
        public_bid_count()
    ))?;
    let ids = serde_json::to_string(ids).map_err(|e| StoreError::Database(e.to_string()))?;
    let rows = stmt
        .query_map([ids], |row| {
            let terms: SummaryTerms =
                serde_json::from_slice(row.get_text(1)?.as_bytes()).map_err(invalid)?;
            let deadline: Option<i64> = row.get(3)?;
            Ok(JobSummary {
                id: row.get(0)?,
                project_name: terms.project_name,
                project_code: terms.project_code,
                service_type: ServiceType::decode(&terms.service_type).map_err(invalid)?,
                state: row.get(2)?,
                selection_method: terms.selection.kind,
                budget_ceiling: Money::from_fen(terms.budget_ceiling).map_err(invalid)?,
                deadline: deadline.map(|d| to_rfc3339(from_unix(d))),
                bid_count: row.get(4)?,
                enterprise_name: row.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The terms of several jobs in one statement.
pub fn terms(
    conn: &Connection,
    ids: &[i64],
) -> StoreResult<std::collections::HashMap<i64, JobDraft>> {
    let mut stmt = conn.prepare_cached(
        "SELECT j.id, j.content FROM jsonb_array_elements_text($1::text::jsonb) WITH ORDINALITY AS ids(value, key)
         JOIN jobs j ON j.id = ids.value::bigint",
    )?;
    let ids = serde_json::to_string(ids).map_err(|e| StoreError::Database(e.to_string()))?;
    let rows = stmt
        .query_map([ids], |row| {
            Ok((row.get(0)?, parse_json(&row.get::<_, String>(1)?)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn update_draft(
    tx: &Connection,
    id: i64,
    draft: &JobDraft,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let changed = tx.run(
        "UPDATE jobs SET content = $2, project_code = $3, service_type = $4 WHERE id = $1 AND state = 'draft'",
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
    tx: &Connection,
    id: i64,
    deadline: OffsetDateTime,
    draw: Option<(Vec<u8>, String)>,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let (seed, commitment) = draw.unzip();
    let changed = tx.run(
        "UPDATE jobs SET state = 'published', deadline = $2, draw_seed = $3, draw_commitment = $4,
            published_at = $5 WHERE id = $1 AND state = 'draft'",
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
    tx: &Connection,
    id: i64,
    draft: &JobDraft,
    deadline: OffsetDateTime,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let changed = tx.run(
        "UPDATE jobs SET content = $2, deadline = $3, terms_revision = terms_revision + 1
         WHERE id = $1 AND state = 'published' AND deadline > $4",
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
    tx.run(
        "UPDATE bids SET status = 'voided', updated_at = $2 WHERE job_id = $1 AND status = 'active'",
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

pub fn settle(tx: &Connection, id: i64, at: OffsetDateTime) -> StoreResult<Option<JobState>> {
    let due: Option<(String, i64)> = tx
        .row(
            &format!("SELECT j.content, {BID_COUNT} FROM jobs j WHERE j.id = $1 AND j.state = 'published' AND j.deadline <= $2"),
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
        tx.run(
            "UPDATE jobs SET state = 'evaluating' WHERE id = $1 AND state = 'published'",
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
        tx.run(
            "UPDATE jobs SET state = 'unsuccessful', unsuccessful_reason = $2 WHERE id = $1 AND state = 'published'",
            params![id, reason],
        )?;
        event(tx, id, at, Actor::System, JobEvent::Unsuccessful, &reason)?;
        Ok(Some(JobState::Unsuccessful))
    }
}

pub fn events(conn: &Connection, job_id: i64) -> StoreResult<Vec<JobEventView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at, actor, event, detail, prev_hash, hash FROM job_events WHERE job_id = $1
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

pub fn publicity_end(at: OffsetDateTime, days: u32) -> i64 {
    (at + time::Duration::days(i64::from(days))).unix_timestamp()
}

/// The random draw, at opening: freeze the candidates, publish their hash, reveal the seed and
/// award to the first in the draw order.
fn draw(tx: &Connection, id: i64, terms: &JobDraft, at: OffsetDateTime) -> StoreResult<JobState> {
    let seed: Vec<u8> = tx.row("SELECT draw_seed FROM jobs WHERE id = $1", [id], |row| {
        row.get(0)
    })?;
    let seed: Seed = seed
        .try_into()
        .map_err(|_| StoreError::Database("draw seed is not 32 bytes".into()))?;
    let bids = valid_bids(tx, id)?;
    let ids: Vec<i64> = bids.iter().map(|b| b.agency_id).collect();
    let order = draw_order(&seed, &ids);
    let prices = prices_in_order(&order, &bids);
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
    tx.run(
        "UPDATE jobs SET state = 'publicity', award = $2 WHERE id = $1 AND state = 'evaluating'",
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
pub fn advance(tx: &Connection, transition: &super::Transition) -> StoreResult<bool> {
    let super::Transition {
        from,
        to,
        patch,
        line,
    } = transition;
    let (id, detail) = (line.job_id, &line.detail);
    let changed = tx.run(
        "UPDATE jobs SET state = $3,
            award = CASE WHEN $4::text IS NULL THEN award ELSE $4::text END,
            contract = CASE WHEN $5::text IS NULL THEN contract ELSE $5::text END,
            delivery = CASE WHEN $6::text IS NULL THEN delivery ELSE $6::text END,
            unsuccessful_reason = CASE WHEN $3 = 'unsuccessful' THEN $7 ELSE unsuccessful_reason END
         WHERE id = $1 AND state = $2",
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
    let (award, contract, delivery): (Option<String>, Option<String>, Option<String>) = conn.row(
        "SELECT award, contract, delivery FROM jobs WHERE id = $1",
        [id],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    Ok((
        award.as_deref().map(parse_json).transpose()?,
        contract.as_deref().map(parse_json).transpose()?,
        delivery.as_deref().map(parse_json).transpose()?,
    ))
}
