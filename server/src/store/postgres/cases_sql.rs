//! SQL for approval cases, their append-only events and integration tokens. A status event is
//! stored only if the history, with it placed by its timestamp, is one the case machine allows.

use super::conn::{params, Connection, OptionalExtension, Row};
use super::{notifications_sql, StoreError, StoreResult};
use crate::clock::{from_unix, to_rfc3339};
pub use crate::store::sqlite::cases_sql::{CaseEventOutcome, CaseRecord, NewCase, NewCaseEvent};
use market_domain::approval::{
    replay, ApprovalItem, CaseEventKind, CaseEventView, CaseStatus, ReviewResult,
};
use market_domain::job::JobState;
use market_domain::notify::NotificationSubject;
use market_domain::wire::Page;
use market_domain::ServiceType;
use std::collections::HashMap;
use time::OffsetDateTime;

use super::rows::invalid as conversion;

pub fn seed_items(tx: &Connection, items: &[ApprovalItem]) -> StoreResult<()> {
    for item in items {
        let services: Vec<&str> = item.required_services.iter().map(|s| s.code()).collect();
        tx.run(
            "INSERT INTO approval_items (code, name, department, required_services)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            params![
                item.code,
                item.name,
                item.department,
                serde_json::to_string(&services)
                    .map_err(|e| StoreError::Database(e.to_string()))?
            ],
        )?;
    }
    Ok(())
}

fn item_from(
    code: String,
    name: String,
    department: String,
    services: String,
) -> rusqlite::Result<ApprovalItem> {
    let codes: Vec<String> = serde_json::from_str(&services).map_err(conversion)?;
    Ok(ApprovalItem {
        code,
        name,
        department,
        required_services: super::rows::codes(codes.iter().map(String::as_str))?,
    })
}

/// Approval items by code, as read (see `PgStore::items`).
pub type ItemCache = std::sync::RwLock<HashMap<String, ApprovalItem>>;

/// The item with this code, from the cache or read once into it.
fn cached_item(conn: &Connection, cache: &ItemCache, code: &str) -> rusqlite::Result<ApprovalItem> {
    if let Some(item) = cache.read().unwrap_or_else(|p| p.into_inner()).get(code) {
        return Ok(item.clone());
    }
    let item = conn.row(
        "SELECT code, name, department, required_services FROM approval_items WHERE code = $1",
        [code],
        |row| item_from(row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?),
    )?;
    cache
        .write()
        .unwrap_or_else(|p| p.into_inner())
        .insert(code.to_owned(), item.clone());
    Ok(item)
}

pub fn items(conn: &Connection) -> StoreResult<Vec<ApprovalItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT code, name, department, required_services FROM approval_items ORDER BY ctid",
    )?;
    let rows = stmt
        .query_map([], |row| {
            item_from(row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A case's columns; its approval item comes from the cache (see `PgStore::items`) by code.
const CASE_COLUMNS: &str = "c.id, c.case_number, c.project_code, c.project_name, c.item_code,
    c.applicant_user_id, u.organization_name, c.status, c.created_at";

/// Reads a row of [`CASE_COLUMNS`].
fn case_from<'a>(
    conn: &'a Connection,
    items: &'a ItemCache,
) -> impl Fn(&Row<'_>) -> rusqlite::Result<CaseRecord> + 'a {
    move |row| {
        Ok(CaseRecord {
            id: row.get(0)?,
            case_number: row.get(1)?,
            project_code: row.get(2)?,
            project_name: row.get(3)?,
            item: cached_item(conn, items, row.get_text(4)?.as_str())?,
            applicant_user_id: row.get(5)?,
            applicant_name: row.get(6)?,
            status: row.get(7)?,
        })
    }
}

pub fn case(conn: &Connection, items: &ItemCache, id: i64) -> StoreResult<Option<CaseRecord>> {
    Ok(conn
        .row(
            &format!(
                "SELECT {CASE_COLUMNS} FROM approval_cases c
                 JOIN users u ON u.id = c.applicant_user_id WHERE c.id = $1"
            ),
            [id],
            case_from(conn, items),
        )
        .optional()?)
}

pub fn case_id_by_number(conn: &Connection, number: &str) -> StoreResult<Option<i64>> {
    Ok(conn
        .row(
            "SELECT id FROM approval_cases WHERE case_number = $1",
            [number],
            |row| row.get(0),
        )
        .optional()?)
}

/// Every case, or one applicant's, newest first.
pub fn cases(
    conn: &Connection,
    items: &ItemCache,
    applicant: Option<i64>,
) -> StoreResult<Vec<CaseRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CASE_COLUMNS} FROM approval_cases c
         JOIN users u ON u.id = c.applicant_user_id
         WHERE $1::bigint IS NULL OR c.applicant_user_id = $1 ORDER BY c.created_at DESC, c.id DESC"
    ))?;
    let rows = stmt
        .query_map([applicant], case_from(conn, items))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Cases under review or decided with a required service that no job of theirs (other than a
/// draft) was posted for: what the off-platform rule flags, found by the indexes rather than by
/// reading every case's jobs. Newest received first.
pub fn off_platform_candidates(
    conn: &Connection,
    items: &ItemCache,
) -> StoreResult<Vec<CaseRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CASE_COLUMNS} FROM approval_cases c
         JOIN approval_items i ON i.code = c.item_code
         JOIN users u ON u.id = c.applicant_user_id
         WHERE c.status <> 'received' AND EXISTS (
             SELECT 1 FROM jsonb_array_elements_text(i.required_services::jsonb) AS needed(value)
             WHERE NOT EXISTS (
                 SELECT 1 FROM jobs j WHERE j.case_id = c.id
                 AND j.service_type = needed.value AND j.state <> 'draft'))
         ORDER BY c.created_at DESC, c.id DESC"
    ))?;
    let rows = stmt
        .query_map([], case_from(conn, items))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One page of cases, newest received first, by keyset (`created_at`, `id`) when `after` is
/// given. The total comes from the counter migration 18 keeps, or the applicant's own index.
pub fn cases_page(
    conn: &Connection,
    items: &ItemCache,
    applicant: Option<i64>,
    after: Option<(i64, u32)>,
    page: u32,
    per_page: u32,
) -> StoreResult<Page<CaseRecord>> {
    let (key, id) = after.unwrap_or((i64::MAX, u32::MAX));
    let offset = match after {
        Some(_) => 0,
        None => i64::from(page.max(1) - 1) * i64::from(per_page),
    };
    let scope = match applicant {
        Some(_) => "c.applicant_user_id = $1",
        None => "$1::bigint IS NULL",
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CASE_COLUMNS} FROM approval_cases c JOIN users u ON u.id = c.applicant_user_id
         WHERE {scope} AND (c.created_at < $2 OR (c.created_at = $2 AND c.id < $3))
         ORDER BY c.created_at DESC, c.id DESC LIMIT $4 OFFSET $5"
    ))?;
    let case = case_from(conn, items);
    let mut rows = stmt
        .query_map(
            params![
                applicant,
                key,
                i64::from(id),
                i64::from(per_page) + 1,
                offset
            ],
            |row| Ok((case(row)?, row.get::<_, i64>(8)?)),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let next = (rows.len() > per_page as usize).then(|| {
        let (last, created_at) = &rows[per_page as usize - 1];
        format!("{created_at}.{}", last.id)
    });
    rows.truncate(per_page as usize);
    let items: Vec<CaseRecord> = rows.into_iter().map(|(case, _)| case).collect();
    let total: i64 = match applicant {
        Some(user) => conn.row(
            "SELECT count(*) FROM approval_cases WHERE applicant_user_id = $1",
            [user],
            |row| row.get(0),
        )?,
        None => conn.row(
            "SELECT n FROM counters WHERE name = 'approval_cases'",
            [],
            |row| row.get(0),
        )?,
    };
    Ok(Page {
        items,
        total: total.max(0) as u64,
        page: page.max(1),
        per_page,
        next,
    })
}

pub fn events(conn: &Connection, case_id: i64) -> StoreResult<Vec<CaseEventView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, kind, status, service_type, result, note, source FROM case_events
         WHERE case_id = $1 ORDER BY at, id",
    )?;
    let rows = stmt
        .query_map([case_id], |row| event_from(row, 0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The technical reviews of several cases (a page of them) in one statement, by case, oldest
/// first: a summary needs no other event, nor any event's time or note. Each case's few rows
/// are put in order here rather than by a sort in the database over the whole page.
pub fn reviews_of(
    conn: &Connection,
    case_ids: &[i64],
) -> StoreResult<HashMap<i64, Vec<(ServiceType, ReviewResult)>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.case_id, e.service_type, e.result, e.at, e.id
         FROM jsonb_array_elements_text($1::text::jsonb) WITH ORDINALITY AS ids(value, key)
         JOIN case_events e ON e.case_id = ids.value::bigint
         WHERE e.kind = 'technical_review'",
    )?;
    type Timed = Vec<((i64, i64), (ServiceType, ReviewResult))>;
    let mut found: HashMap<i64, Timed> = HashMap::new();
    let mut rows = stmt.query([id_list(case_ids)])?;
    while let Some(row) = rows.next()? {
        let result: String = row.get(2)?;
        let result = match result.as_str() {
            "passed" => ReviewResult::Passed,
            "returned" => ReviewResult::Returned,
            other => return Err(super::rows::unknown("review result", other).into()),
        };
        found
            .entry(row.get(0)?)
            .or_default()
            .push(((row.get(3)?, row.get(4)?), (row.get(1)?, result)));
    }
    Ok(found
        .into_iter()
        .map(|(case, mut reviews)| {
            reviews.sort_unstable_by_key(|(at, _)| *at);
            (
                case,
                reviews.into_iter().map(|(_, review)| review).collect(),
            )
        })
        .collect())
}

/// A case's jobs: (job id, service type, state).
pub type CaseJobs = Vec<(i64, ServiceType, JobState)>;

/// The jobs of several cases in one statement, by case, each case's newest first (put in order
/// here: see `reviews_of`).
pub fn jobs_of(conn: &Connection, case_ids: &[i64]) -> StoreResult<HashMap<i64, CaseJobs>> {
    let mut stmt = conn.prepare_cached(
        "SELECT j.case_id, j.id, j.service_type, j.state
         FROM jsonb_array_elements_text($1::text::jsonb) WITH ORDINALITY AS ids(value, key)
         JOIN jobs j ON j.case_id = ids.value::bigint
         WHERE j.state <> 'draft'",
    )?;
    let mut found: HashMap<i64, CaseJobs> = HashMap::new();
    let mut rows = stmt.query([id_list(case_ids)])?;
    while let Some(row) = rows.next()? {
        found
            .entry(row.get(0)?)
            .or_default()
            .push((row.get(1)?, row.get(2)?, row.get(3)?));
    }
    for jobs in found.values_mut() {
        jobs.sort_unstable_by_key(|(id, _, _)| std::cmp::Reverse(*id));
    }
    Ok(found)
}

fn id_list(ids: &[i64]) -> String {
    let listed: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("[{}]", listed.join(","))
}

/// A case event from the row's columns starting at `first`.
fn event_from(row: &Row<'_>, first: usize) -> rusqlite::Result<CaseEventView> {
    let kind: String = row.get(first + 1)?;
    let kind = match kind.as_str() {
        "status" => CaseEventKind::Status {
            status: row.get(first + 2)?,
        },
        "technical_review" => CaseEventKind::TechnicalReview {
            service_type: row.get(first + 3)?,
            result: match row.get::<_, String>(first + 4)?.as_str() {
                "passed" => ReviewResult::Passed,
                "returned" => ReviewResult::Returned,
                other => return Err(super::rows::unknown("review result", other)),
            },
        },
        other => return Err(super::rows::unknown("case event kind", other)),
    };
    Ok(CaseEventView {
        at: to_rfc3339(from_unix(row.get(first)?)),
        kind,
        note: row.get(first + 5)?,
        source: row.get(first + 6)?,
    })
}

/// The case's jobs, newest per service type first: (job id, service type, state).
pub fn case_jobs(
    conn: &Connection,
    case_id: i64,
) -> StoreResult<Vec<(i64, ServiceType, JobState)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, service_type, state FROM jobs WHERE case_id = $1 AND state <> 'draft'
         ORDER BY id DESC",
    )?;
    let rows = stmt
        .query_map([case_id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Creates the case with its first event (受理). `None` when the case number is taken.
pub fn create_case(
    tx: &Connection,
    case: &NewCase,
    first: &NewCaseEvent,
    received_at: OffsetDateTime,
) -> StoreResult<Option<i64>> {
    let inserted = tx.run(
        "INSERT INTO approval_cases
            (case_number, project_code, project_name, item_code, applicant_user_id, status, created_at)
         VALUES ($1, $2, $3, $4, $5, 'received', $6) ON CONFLICT DO NOTHING",
        params![
            case.case_number,
            case.project_code,
            case.project_name,
            case.item_code,
            case.applicant_user_id,
            first.at.unix_timestamp()
        ],
    )?;
    if inserted == 0 {
        return Ok(None);
    }
    let id = tx.last_insert_rowid()?;
    insert_event(tx, id, first, received_at)?;
    Ok(Some(id))
}

fn insert_event(
    tx: &Connection,
    case_id: i64,
    event: &NewCaseEvent,
    received_at: OffsetDateTime,
) -> StoreResult<()> {
    let (kind, status, service, result) = match &event.kind {
        CaseEventKind::Status { status } => ("status", Some(status.code()), None, None),
        CaseEventKind::TechnicalReview {
            service_type,
            result,
        } => (
            "technical_review",
            None,
            Some(service_type.code()),
            Some(match result {
                ReviewResult::Passed => "passed",
                ReviewResult::Returned => "returned",
            }),
        ),
    };
    tx.run(
        "INSERT INTO case_events (case_id, event_id, at, kind, status, service_type, result, note, source, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        params![
            case_id,
            event.event_id,
            event.at.unix_timestamp(),
            kind,
            status,
            service,
            result,
            event.note,
            event.source,
            received_at.unix_timestamp()
        ],
    )?;
    Ok(())
}

/// Records one event, idempotent by its id, placed by its time.
pub fn record_event(
    tx: &Connection,
    case_id: i64,
    event: &NewCaseEvent,
    received_at: OffsetDateTime,
) -> StoreResult<CaseEventOutcome> {
    let seen: bool = tx.row(
        "SELECT EXISTS (SELECT 1 FROM case_events WHERE case_id = $1 AND event_id = $2)",
        params![case_id, event.event_id],
        |row| row.get(0),
    )?;
    if seen {
        return Ok(CaseEventOutcome::Duplicate);
    }
    match &event.kind {
        CaseEventKind::Status { status } => {
            let mut stmt = tx.prepare_cached(
                "SELECT at, status FROM case_events WHERE case_id = $1 AND kind = 'status' ORDER BY at, id",
            )?;
            let mut history: Vec<(i64, CaseStatus)> = stmt
                .query_map([case_id], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            // After every event of the same instant: arrival order breaks ties.
            let at = event.at.unix_timestamp();
            let position = history.partition_point(|(t, _)| *t <= at);
            history.insert(position, (at, *status));
            let statuses: Vec<CaseStatus> = history.iter().map(|(_, s)| *s).collect();
            match replay(&statuses) {
                Ok(current) => {
                    insert_event(tx, case_id, event, received_at)?;
                    let before: String = tx.row(
                        "SELECT status FROM approval_cases WHERE id = $1",
                        [case_id],
                        |row| row.get(0),
                    )?;
                    tx.run(
                        "UPDATE approval_cases SET status = $2 WHERE id = $1",
                        params![case_id, current.code()],
                    )?;
                    if before != current.code() {
                        let number = case_number(tx, case_id)?;
                        notifications_sql::on_case_event(
                            tx,
                            case_id,
                            NotificationSubject::CaseStatus {
                                case_number: number,
                                status: current,
                            },
                            &event.note,
                            received_at,
                        )?;
                    }
                    Ok(CaseEventOutcome::Recorded)
                }
                Err(error) => Ok(CaseEventOutcome::InvalidHistory(error)),
            }
        }
        CaseEventKind::TechnicalReview { service_type, .. } => {
            let delivered: bool = tx.row(
                "SELECT EXISTS (SELECT 1 FROM jobs WHERE case_id = $1 AND service_type = $2
                    AND state IN ('delivered', 'accepted', 'rated'))",
                params![case_id, service_type.code()],
                |row| row.get(0),
            )?;
            if !delivered {
                return Ok(CaseEventOutcome::NoDeliveredJob);
            }
            insert_event(tx, case_id, event, received_at)?;
            let number = case_number(tx, case_id)?;
            notifications_sql::on_case_event(
                tx,
                case_id,
                NotificationSubject::TechnicalReview {
                    case_number: number,
                    service_type: *service_type,
                },
                &event.note,
                received_at,
            )?;
            Ok(CaseEventOutcome::Recorded)
        }
    }
}

fn case_number(tx: &Connection, case_id: i64) -> StoreResult<String> {
    Ok(tx.row(
        "SELECT case_number FROM approval_cases WHERE id = $1",
        [case_id],
        |row| row.get(0),
    )?)
}

pub fn link_job(tx: &Connection, job_id: i64, case_id: i64) -> StoreResult<()> {
    tx.run(
        "UPDATE jobs SET case_id = $2 WHERE id = $1",
        params![job_id, case_id],
    )?;
    Ok(())
}

pub fn job_case(conn: &Connection, job_id: i64) -> StoreResult<Option<i64>> {
    Ok(conn
        .row("SELECT case_id FROM jobs WHERE id = $1", [job_id], |row| {
            row.get::<_, Option<i64>>(0)
        })
        .optional()?
        .flatten())
}

/// Integration tokens: stored as hashes only.
pub fn create_token(
    tx: &Connection,
    name: &str,
    token_hash: &str,
    created_by: i64,
    at: OffsetDateTime,
) -> StoreResult<i64> {
    tx.run(
        "INSERT INTO integration_tokens (name, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4)",
        params![name, token_hash, created_by, at.unix_timestamp()],
    )?;
    Ok(tx.last_insert_rowid()?)
}

pub fn revoke_token(tx: &Connection, id: i64, at: OffsetDateTime) -> StoreResult<bool> {
    Ok(tx.run(
        "UPDATE integration_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        params![id, at.unix_timestamp()],
    )? == 1)
}

/// The live token with this hash: its name.
pub fn token_name(conn: &Connection, token_hash: &str) -> StoreResult<Option<String>> {
    Ok(conn
        .row(
            "SELECT name FROM integration_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
            [token_hash],
            |row| row.get(0),
        )
        .optional()?)
}

/// An integration token as listed: id, name, created at, revoked at (RFC 3339).
pub type TokenRow = (i64, String, String, Option<String>);

/// Every token, newest first.
pub fn tokens(conn: &Connection) -> StoreResult<Vec<TokenRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, created_at, revoked_at FROM integration_tokens ORDER BY id DESC",
    )?;
    let rows = stmt
        .query_map([], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                to_rfc3339(from_unix(row.get(2)?)),
                row.get::<_, Option<i64>>(3)?
                    .map(|t| to_rfc3339(from_unix(t))),
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The enterprise account registered with this credit code.
pub fn enterprise_by_credit_code(conn: &Connection, code: &str) -> StoreResult<Option<i64>> {
    Ok(conn
        .row(
            "SELECT id FROM users WHERE role = 'enterprise' AND credit_code = $1",
            [code],
            |row| row.get(0),
        )
        .optional()?)
}
