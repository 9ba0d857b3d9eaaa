//! SQL for complaints: filing, each step as a conditional update on the status it expects, the
//! deadlines, and the suspension proposal raised by repeated upheld quality complaints.

use super::conn::{params, Connection, OptionalExtension, Row};
use super::notifications_sql::{self, Message};
use super::rows::{from_json, to_json};
use super::StoreResult;
use crate::clock::{from_unix, to_rfc3339};
pub use crate::store::sqlite::complaints_sql::{ComplaintRow, ComplaintScope, Respondent};
use market_domain::complaint::{
    ComplaintCategory, ComplaintStatus, ComplaintTarget, ParsedComplaint, SuspensionProposal,
    SUSPENSION_THRESHOLD, SUSPENSION_WINDOW_DAYS,
};
use market_domain::notify::{NotificationKind, NotificationSubject};
use time::OffsetDateTime;

const DAY: i64 = 86_400;

fn regulators(tx: &Connection) -> StoreResult<Vec<i64>> {
    let mut stmt = tx.prepare_cached("SELECT id FROM users WHERE role = 'regulator'")?;
    let rows = stmt
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn notify(
    tx: &Connection,
    recipients: &[i64],
    id: i64,
    subject: NotificationSubject,
    body: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    notifications_sql::send(
        tx,
        recipients,
        &Message {
            kind: NotificationKind::Complaint,
            subject,
            body,
            link: &format!("/complaints/{id}"),
        },
        at,
    )
}

pub fn create(
    tx: &Connection,
    complainant: i64,
    complaint: &ParsedComplaint,
    respondent: &Respondent,
    at: OffsetDateTime,
) -> StoreResult<i64> {
    let (kind, target_id) = match complaint.target {
        ComplaintTarget::Agency(id) => ("agency", id),
        ComplaintTarget::Enterprise(id) => ("enterprise", id),
        ComplaintTarget::Job(id) => ("job", id),
    };
    let now = at.unix_timestamp();
    tx.run(
        "INSERT INTO complaints (complainant_user_id, target_kind, target_id, target_name,
            respondent_user_id, agency_id, category, title, description, evidence, attachments,
            status, filed_at, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'filed', $12, $13)",
        params![
            complainant,
            kind,
            target_id,
            respondent.name,
            respondent.user_id,
            respondent.agency_id,
            complaint.category.code(),
            complaint.title,
            complaint.description,
            to_json(&complaint.evidence)?,
            to_json(&complaint.attachments)?,
            now,
            now + ComplaintStatus::Filed.next_step_days().unwrap_or(0) * DAY,
        ],
    )?;
    let id = tx.last_insert_rowid()?;
    notify(
        tx,
        &regulators(tx)?,
        id,
        NotificationSubject::ComplaintFiled {
            complaint: complaint.title.to_string(),
            respondent: respondent.name.clone(),
        },
        "",
        at,
    )?;
    Ok(id)
}

const COLUMNS: &str =
    "c.id, c.complainant_user_id, u.organization_name, c.target_kind, c.target_id,
    c.target_name, c.respondent_user_id, c.category, c.title, c.description, c.evidence,
    c.attachments, c.status, c.filed_at, c.due_at, c.acceptance_note, c.answer,
    c.decision_reason, c.decided_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<ComplaintRow> {
    let kind: String = row.get(3)?;
    let target_id: i64 = row.get(4)?;
    let target = match kind.as_str() {
        "agency" => ComplaintTarget::Agency(target_id),
        "enterprise" => ComplaintTarget::Enterprise(target_id),
        "job" => ComplaintTarget::Job(target_id),
        other => return Err(super::rows::unknown("complaint target", other)),
    };
    Ok(ComplaintRow {
        id: row.get(0)?,
        complainant_user_id: row.get(1)?,
        complainant_name: row.get(2)?,
        target,
        target_name: row.get(5)?,
        respondent_user_id: row.get(6)?,
        category: row.get(7)?,
        title: row.get(8)?,
        description: row.get(9)?,
        evidence: from_json(&row.get::<_, String>(10)?)?,
        attachments: from_json(&row.get::<_, String>(11)?)?,
        status: row.get(12)?,
        filed_at: row.get(13)?,
        due_at: row.get(14)?,
        acceptance_note: row.get(15)?,
        answer: row.get(16)?,
        decision_reason: row.get(17)?,
        decided_at: row.get(18)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> StoreResult<Option<ComplaintRow>> {
    Ok(conn
        .row(
            &format!("SELECT {COLUMNS} FROM complaints c JOIN users u ON u.id = c.complainant_user_id WHERE c.id = $1"),
            [id],
            from_row,
        )
        .optional()?)
}

pub fn list(conn: &Connection, scope: ComplaintScope) -> StoreResult<Vec<ComplaintRow>> {
    let (filter, user) = match scope {
        ComplaintScope::All => ("1 = 1", 0),
        ComplaintScope::Party(user) => (
            "(c.complainant_user_id = $1 OR (c.respondent_user_id = $1 AND c.status <> 'filed'))",
            user,
        ),
        ComplaintScope::Closed => (
            "c.status IN ('refused', 'upheld', 'dismissed') AND $1 = $1",
            0,
        ),
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM complaints c JOIN users u ON u.id = c.complainant_user_id
         WHERE {filter} ORDER BY c.id DESC LIMIT 200"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = if matches!(scope, ComplaintScope::All) {
        stmt.query_map([], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?
    } else {
        stmt.query_map([user], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?
    };
    Ok(rows)
}

/// Moves a complaint from one of `from` to `to`, setting one text column and the next deadline;
/// false when another request moved it first.
pub fn step(
    tx: &Connection,
    id: i64,
    from: &[ComplaintStatus],
    to: ComplaintStatus,
    text: &str,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let column = match to {
        ComplaintStatus::Accepted | ComplaintStatus::Refused => "acceptance_note",
        ComplaintStatus::Answered => "answer",
        _ => "decision_reason",
    };
    let now = at.unix_timestamp();
    let due = to.next_step_days().map(|days| now + days * DAY);
    let allowed: Vec<String> = from.iter().map(|s| format!("'{}'", s.code())).collect();
    let changed = tx.run(
        &format!(
            "UPDATE complaints SET status = $2, {column} = $3, due_at = $4,
                decided_at = CASE WHEN $5 THEN $6 ELSE decided_at END
             WHERE id = $1 AND status IN ({})",
            allowed.join(", ")
        ),
        params![id, to.code(), text, due, to.is_closed(), now],
    )?;
    if changed == 0 {
        return Ok(false);
    }
    let row = get(tx, id)?.expect("the complaint just updated");
    let parties: Vec<i64> = std::iter::once(row.complainant_user_id)
        .chain(
            row.respondent_user_id
                .filter(|_| to != ComplaintStatus::Refused),
        )
        .collect();
    let recipients = if to == ComplaintStatus::Answered {
        let mut to_tell = regulators(tx)?;
        to_tell.push(row.complainant_user_id);
        to_tell
    } else {
        parties
    };
    let subject = NotificationSubject::ComplaintMoved {
        complaint: row.title.clone(),
        status: to,
    };
    notify(tx, &recipients, id, subject, text, at)?;
    if to == ComplaintStatus::Upheld && row.category == ComplaintCategory::Quality {
        propose_suspension(tx, id, at)?;
    }
    Ok(true)
}

/// After an upheld quality complaint: with [`SUSPENSION_THRESHOLD`] of them against the agency
/// in the window and no open proposal, proposes a suspension to the regulators.
fn propose_suspension(tx: &Connection, complaint_id: i64, at: OffsetDateTime) -> StoreResult<()> {
    let agency: Option<(i64, String)> = tx
        .row(
            "SELECT a.id, a.name FROM complaints c JOIN agencies a ON a.id = c.agency_id WHERE c.id = $1",
            [complaint_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let Some((agency_id, name)) = agency else {
        return Ok(());
    };
    let upheld: Vec<i64> = {
        let mut stmt = tx.prepare_cached(
            "SELECT id FROM complaints WHERE agency_id = $1 AND status = 'upheld'
               AND category = 'quality' AND decided_at >= $2 ORDER BY id",
        )?;
        let rows = stmt
            .query_map(
                params![
                    agency_id,
                    at.unix_timestamp() - SUSPENSION_WINDOW_DAYS * DAY
                ],
                |row| row.get(0),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    if (upheld.len() as i64) < SUSPENSION_THRESHOLD {
        return Ok(());
    }
    let inserted = tx.run(
        "INSERT INTO suspension_proposals (agency_id, complaint_ids, status, proposed_at)
         VALUES ($1, $2, 'proposed', $3) ON CONFLICT DO NOTHING",
        params![agency_id, to_json(&upheld)?, at.unix_timestamp()],
    )?;
    if inserted == 1 {
        notifications_sql::send(
            tx,
            &regulators(tx)?,
            &Message {
                kind: NotificationKind::Complaint,
                subject: NotificationSubject::SuspensionProposed {
                    agency: name,
                    upheld: upheld.len(),
                    window_days: SUSPENSION_WINDOW_DAYS,
                },
                body: "",
                link: "/oversight",
            },
            at,
        )?;
    }
    Ok(())
}

pub fn proposals(conn: &Connection) -> StoreResult<Vec<SuspensionProposal>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.agency_id, a.name, p.complaint_ids, p.status, p.proposed_at
         FROM suspension_proposals p JOIN agencies a ON a.id = p.agency_id
         ORDER BY p.status = 'proposed' DESC, p.id DESC",
    )?;
    let rows = stmt
        .query_map([], |row| {
            Ok(SuspensionProposal {
                id: row.get(0)?,
                agency_id: row.get(1)?,
                agency_name: row.get(2)?,
                complaint_ids: from_json(&row.get::<_, String>(3)?)?,
                status: row.get(4)?,
                proposed_at: to_rfc3339(from_unix(row.get(5)?)),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Closes an open proposal; returns its agency, or `None` when it was not open.
/// Dismisses an open proposal; false when it was not open.
pub fn dismiss_proposal(
    tx: &Connection,
    id: i64,
    regulator: i64,
    note: &str,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let changed = tx.run(
        "UPDATE suspension_proposals SET status = 'dismissed', decided_at = $2, decided_by = $3, note = $4
         WHERE id = $1 AND status = 'proposed'",
        params![id, at.unix_timestamp(), regulator, note],
    )?;
    Ok(changed == 1)
}

/// The agency of a proposal that is still open.
pub fn open_proposal_agency(tx: &Connection, id: i64) -> StoreResult<Option<i64>> {
    Ok(tx
        .row(
            "SELECT agency_id FROM suspension_proposals WHERE id = $1 AND status = 'proposed'",
            [id],
            |row| row.get(0),
        )
        .optional()?)
}

/// Marks the agency's open suspension proposal, if any, confirmed by the suspension just placed.
pub fn confirm_open_proposal(
    tx: &Connection,
    agency_id: i64,
    regulator: i64,
    note: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    tx.run(
        "UPDATE suspension_proposals SET status = 'confirmed', decided_at = $3, decided_by = $2, note = $4
         WHERE agency_id = $1 AND status = 'proposed'",
        params![agency_id, regulator, at.unix_timestamp(), note],
    )?;
    Ok(())
}

/// Upheld complaints against an agency (for its credit record): (id, category, title, decided at).
pub fn upheld_against(
    conn: &Connection,
    agency_id: i64,
) -> StoreResult<Vec<(i64, ComplaintCategory, String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, category, title, decided_at FROM complaints
         WHERE agency_id = $1 AND status = 'upheld' ORDER BY decided_at DESC",
    )?;
    let rows = stmt
        .query_map([agency_id], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Awards won by the agency with a fee flag on the winning bid (kept by migration 19's
/// triggers).
pub fn fee_flagged_awards(conn: &Connection, agency_id: i64) -> StoreResult<i64> {
    Ok(conn.row(
        "SELECT coalesce((SELECT flagged FROM stats_agency_awards WHERE agency_id = $1), 0)",
        [agency_id],
        |row| row.get(0),
    )?)
}

/// Resolves whom a complaint is against: `None` unless the target is a public (approved)
/// agency, an enterprise the complainant dealt with (it bid on one of its jobs, or handled one
/// of its approval cases), or a published job. Anything else is "no such target", so a
/// complaint cannot be used to learn hidden names.
pub fn respondent(
    conn: &Connection,
    complainant: i64,
    target: ComplaintTarget,
) -> StoreResult<Option<Respondent>> {
    Ok(match target {
        ComplaintTarget::Agency(id) => conn
            .row(
                "SELECT owner_user_id, name FROM agencies WHERE id = $1 AND listing_status = 'approved'",
                [id],
                |row| {
                    Ok(Respondent {
                        user_id: row.get(0)?,
                        agency_id: Some(id),
                        name: row.get(1)?,
                    })
                },
            )
            .optional()?,
        ComplaintTarget::Enterprise(id) => conn
            .row(
                "SELECT organization_name FROM users u WHERE u.id = $1 AND u.role = 'enterprise'
                   AND (EXISTS (SELECT 1 FROM bids b JOIN jobs j ON j.id = b.job_id
                                JOIN agencies a ON a.id = b.agency_id
                                WHERE j.enterprise_user_id = u.id AND a.owner_user_id = $2)
                     OR EXISTS (SELECT 1 FROM users o WHERE o.id = $2 AND o.role = 'approval_officer'
                                AND EXISTS (SELECT 1 FROM approval_cases c
                                            WHERE c.applicant_user_id = u.id)))",
                params![id, complainant],
                |row| {
                    Ok(Respondent {
                        user_id: Some(id),
                        agency_id: None,
                        name: row.get(0)?,
                    })
                },
            )
            .optional()?,
        ComplaintTarget::Job(id) => conn
            .row(
                "SELECT enterprise_user_id, (content::jsonb ->> 'project_name') FROM jobs
                 WHERE id = $1 AND published_at IS NOT NULL",
                [id],
                |row| {
                    Ok(Respondent {
                        user_id: Some(row.get(0)?),
                        agency_id: None,
                        name: format!("项目 #{id} {}", row.get::<_, String>(1)?),
                    })
                },
            )
            .optional()?,
    })
}

/// The agency's red/black-list entries, newest first, with the day each was lifted.
pub fn list_entries(
    conn: &Connection,
    agency_id: i64,
) -> StoreResult<Vec<(market_domain::wire::SuspensionView, Option<i64>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, reason, starts_on, ends_on, blacklist, basis, lifted_at FROM suspensions
         WHERE agency_id = $1 ORDER BY starts_on DESC, id DESC",
    )?;
    let rows = stmt
        .query_map([agency_id], |row| {
            let date = |index: usize| -> rusqlite::Result<market_domain::CalendarDate> {
                let text: String = row.get(index)?;
                market_domain::CalendarDate::parse(&text).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        index,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })
            };
            Ok((
                market_domain::wire::SuspensionView {
                    id: row.get(0)?,
                    reason: row.get(1)?,
                    starts_on: date(2)?,
                    ends_on: date(3)?,
                    blacklist: row.get(4)?,
                    basis: row.get(5)?,
                },
                row.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
