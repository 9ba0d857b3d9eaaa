//! SQL for in-app notifications. They are written inside the same transaction as the change they
//! report, so a notification exists exactly when its change does; the store publishes new rows to
//! the live streams after the commit.

use super::conn::{params, Connection, OptionalExtension, Row, ToPg};
use super::rows::{from_json, to_json};
use super::StoreResult;
use crate::clock::{from_unix, to_rfc3339};
use market_domain::job::JobEvent;
use market_domain::listing::ReviewDecision;
use market_domain::notify::{
    job_notice, Audience, NotificationKind, NotificationSubject, NotificationView,
};
use market_domain::{Locale, ServiceType};
use time::OffsetDateTime;

/// How far ahead of a bid deadline the reminder goes out.
pub const REMINDER_LEAD_SECONDS: i64 = 24 * 3600;

/// A notification about to be written for several recipients. Its title, and its body unless
/// a person wrote it, come from the subject, so each reader's locale can render them again.
pub struct Message<'a> {
    pub kind: NotificationKind,
    pub subject: NotificationSubject,
    /// The user's own words (a reason, a note), or the job event's detail.
    pub body: &'a str,
    pub link: &'a str,
}

/// Writes `message` for each distinct recipient who has not muted its kind.
pub fn send(
    tx: &Connection,
    recipients: &[i64],
    message: &Message<'_>,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let Some(title) = message.subject.title(Locale::ZhCn) else {
        return Ok(());
    };
    let body = message
        .subject
        .body(Locale::ZhCn)
        .unwrap_or_else(|| message.body.to_owned());
    let subject = to_json(&message.subject)?;
    let mut seen = std::collections::BTreeSet::new();
    let mut stmt = tx.prepare_cached(
        "INSERT INTO notifications (user_id, kind, title, body, link, created_at, subject)
         SELECT $1, $2, $3, $4, $5, $6, $7
         WHERE NOT EXISTS (SELECT 1 FROM notification_mutes WHERE user_id = $1 AND kind = $2)",
    )?;
    for user in recipients {
        if seen.insert(*user) {
            stmt.execute(params![
                user,
                message.kind.as_str(),
                title,
                body,
                message.link,
                at.unix_timestamp(),
                subject
            ])?;
        }
    }
    Ok(())
}

fn user_ids(tx: &Connection, sql: &str, key: &dyn ToPg) -> StoreResult<Vec<i64>> {
    let mut stmt = tx.prepare_cached(sql)?;
    let rows = stmt
        .query_map([key], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Agencies' users with a bid on the job, in any status.
fn bidders(tx: &Connection, job_id: i64) -> StoreResult<Vec<i64>> {
    user_ids(
        tx,
        "SELECT DISTINCT a.owner_user_id FROM bids b JOIN agencies a ON a.id = b.agency_id
         WHERE b.job_id = $1 AND a.owner_user_id IS NOT NULL",
        &job_id,
    )
}

/// Agencies' users whose bids on the job are voided (terms changed since).
fn voided_bidders(tx: &Connection, job_id: i64) -> StoreResult<Vec<i64>> {
    user_ids(
        tx,
        "SELECT DISTINCT a.owner_user_id FROM bids b JOIN agencies a ON a.id = b.agency_id
         WHERE b.job_id = $1 AND b.status = 'voided' AND a.owner_user_id IS NOT NULL",
        &job_id,
    )
}

/// Users of listed agencies that offer the service type.
fn agencies_offering(tx: &Connection, service_type: ServiceType) -> StoreResult<Vec<i64>> {
    user_ids(
        tx,
        // Driven by the agencies with an account (the owner index), not by everyone offering
        // the service: imported agencies without one were read on every publish.
        "SELECT a.owner_user_id FROM agencies a
         WHERE a.owner_user_id > 0 AND a.listing_status = 'approved'
           AND EXISTS (SELECT 1 FROM agency_service_types s
                       WHERE s.agency_id = a.id AND s.service_type = $1)",
        &service_type,
    )
}

/// Sends what [`job_notice`] decides for a job event, in the transaction that writes the event,
/// so an acknowledged change never loses its notification.
pub fn on_job_event(
    tx: &Connection,
    job_id: i64,
    event: JobEvent,
    detail: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let (owner, project, service_type): (i64, String, ServiceType) = tx.row(
        "SELECT enterprise_user_id, (content::jsonb ->> 'project_name'), service_type
         FROM jobs WHERE id = $1",
        [job_id],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    let link = format!("/jobs/{job_id}");
    let Some(notice) = job_notice(event, &project, service_type, Locale::ZhCn) else {
        return Ok(());
    };
    let recipients = match notice.audience {
        Audience::Owner => vec![owner],
        Audience::Bidders => bidders(tx, job_id)?,
        Audience::Parties => {
            let mut users = bidders(tx, job_id)?;
            users.push(owner);
            users
        }
        Audience::VoidedBidders => voided_bidders(tx, job_id)?,
        Audience::AgenciesOffering => agencies_offering(tx, service_type)?,
    };
    let subject = NotificationSubject::Job {
        event,
        project,
        service_type,
    };
    send(
        tx,
        &recipients,
        &Message {
            kind: notice.kind,
            subject,
            body: detail,
            link: &link,
        },
        at,
    )
}

/// Tells the agency's user of the regulator's decision on its listing.
pub fn on_listing_decision(
    tx: &Connection,
    agency_id: i64,
    decision: ReviewDecision,
    reason: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let owner: Option<i64> = tx
        .row(
            "SELECT owner_user_id FROM agencies WHERE id = $1",
            [agency_id],
            |row| row.get(0),
        )
        .optional()?
        .flatten();
    let Some(owner) = owner else {
        return Ok(());
    };
    send(
        tx,
        &[owner],
        &Message {
            kind: NotificationKind::ReviewDecision,
            subject: NotificationSubject::ListingDecision { decision },
            body: reason,
            link: "/account",
        },
        at,
    )
}

/// Tells the applicant and the agencies bidding on the case's jobs that the case moved.
pub fn on_case_event(
    tx: &Connection,
    case_id: i64,
    subject: NotificationSubject,
    note: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let mut recipients = user_ids(
        tx,
        "SELECT DISTINCT a.owner_user_id FROM jobs j JOIN bids b ON b.job_id = j.id
         JOIN agencies a ON a.id = b.agency_id
         WHERE j.case_id = $1 AND a.owner_user_id IS NOT NULL",
        &case_id,
    )?;
    recipients.extend(user_ids(
        tx,
        "SELECT applicant_user_id FROM approval_cases WHERE id = $1 AND applicant_user_id IS NOT NULL",
        &case_id,
    )?);
    send(
        tx,
        &recipients,
        &Message {
            kind: NotificationKind::CaseStatus,
            subject,
            body: note,
            link: &format!("/cases/{case_id}"),
        },
        at,
    )
}

/// Reminds agencies whose bid on a job closing within 24 h still needs re-confirming, once per
/// terms revision. Returns how many reminders went out.
pub fn send_deadline_reminders(tx: &Connection, now: OffsetDateTime) -> StoreResult<usize> {
    let due: Vec<(i64, i64, i64, i64, String, i64)> = {
        let mut stmt = tx.prepare_cached(
            "SELECT j.id, b.agency_id, a.owner_user_id, j.terms_revision,
                    (j.content::jsonb ->> 'project_name'), j.deadline
             FROM jobs j JOIN bids b ON b.job_id = j.id JOIN agencies a ON a.id = b.agency_id
             WHERE j.state = 'published' AND j.deadline > $1 AND j.deadline <= $1 + $2
               AND b.status = 'voided' AND a.owner_user_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM deadline_reminders r WHERE r.job_id = j.id
                    AND r.agency_id = b.agency_id AND r.terms_revision = j.terms_revision)",
        )?;
        let rows = stmt
            .query_map(
                params![now.unix_timestamp(), REMINDER_LEAD_SECONDS],
                |row| row.try_into(),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    for (job_id, agency_id, user_id, revision, project, deadline) in &due {
        tx.run(
            "INSERT INTO deadline_reminders (job_id, agency_id, terms_revision, sent_at)
             VALUES ($1, $2, $3, $4)",
            params![job_id, agency_id, revision, now.unix_timestamp()],
        )?;
        let deadline = to_rfc3339(from_unix(*deadline));
        send(
            tx,
            &[*user_id],
            &Message {
                kind: NotificationKind::DeadlineSoon,
                subject: NotificationSubject::DeadlineSoon {
                    project: project.clone(),
                    deadline: deadline[..16].replace('T', " "),
                },
                body: "",
                link: &format!("/jobs/{job_id}"),
            },
            now,
        )?;
    }
    Ok(due.len())
}

const COLUMNS: &str = "id, kind, title, body, link, created_at, read_at IS NOT NULL, subject";

fn view_from_row(row: &Row<'_>) -> rusqlite::Result<NotificationView> {
    Ok(NotificationView {
        id: row.get(0)?,
        kind: row.get(1)?,
        title: row.get(2)?,
        body: row.get(3)?,
        link: row.get(4)?,
        created_at: to_rfc3339(from_unix(row.get(5)?)),
        read: row.get(6)?,
        subject: row
            .get::<_, Option<String>>(7)?
            .as_deref()
            .map(from_json)
            .transpose()?,
    })
}

pub fn latest_id(conn: &Connection) -> StoreResult<i64> {
    Ok(conn.row(
        "SELECT coalesce(max(id), 0) FROM notifications",
        [],
        |row| row.get(0),
    )?)
}

/// Every notification after `after`, for the live streams: (user, notification, unread count).
pub fn newer_than(conn: &Connection, after: i64) -> StoreResult<Vec<(i64, NotificationView, i64)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, user_id,
            (SELECT count(*) FROM notifications u WHERE u.user_id = n.user_id AND u.read_at IS NULL)
         FROM notifications n WHERE id > $1 ORDER BY id"
    ))?;
    let rows = stmt
        .query_map([after], |row| {
            Ok((row.get(8)?, view_from_row(row)?, row.get(9)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The user's notifications after `after`, oldest first (a reconnecting stream's backlog).
pub fn for_user_after(
    conn: &Connection,
    user_id: i64,
    after: i64,
) -> StoreResult<Vec<NotificationView>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM notifications WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT 200"
    ))?;
    let rows = stmt
        .query_map(params![user_id, after], view_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The user's newest notifications, newest first, before `before` when given.
pub fn inbox(
    conn: &Connection,
    user_id: i64,
    before: Option<i64>,
    limit: u32,
) -> StoreResult<Vec<NotificationView>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM notifications WHERE user_id = $1 AND id < $2
         ORDER BY id DESC LIMIT $3"
    ))?;
    let rows = stmt
        .query_map(
            params![user_id, before.unwrap_or(i64::MAX), limit],
            view_from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn unread(conn: &Connection, user_id: i64) -> StoreResult<i64> {
    Ok(conn.row(
        "SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
        [user_id],
        |row| row.get(0),
    )?)
}

/// Marks the user's given notifications (or all) read; other users' ids are ignored.
pub fn mark_read(
    tx: &Connection,
    user_id: i64,
    ids: Option<&[i64]>,
    at: OffsetDateTime,
) -> StoreResult<i64> {
    match ids {
        None => {
            tx.run(
                "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL",
                params![user_id, at.unix_timestamp()],
            )?;
        }
        Some(ids) => {
            let mut stmt = tx.prepare_cached(
                "UPDATE notifications SET read_at = $3
                 WHERE user_id = $1 AND id = $2 AND read_at IS NULL",
            )?;
            for id in ids {
                stmt.execute(params![user_id, id, at.unix_timestamp()])?;
            }
        }
    }
    unread(tx, user_id)
}

pub fn mutes(conn: &Connection, user_id: i64) -> StoreResult<Vec<NotificationKind>> {
    let mut stmt = conn
        .prepare_cached("SELECT kind FROM notification_mutes WHERE user_id = $1 ORDER BY kind")?;
    let rows = stmt
        .query_map([user_id], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn set_mutes(tx: &Connection, user_id: i64, muted: &[NotificationKind]) -> StoreResult<()> {
    tx.run(
        "DELETE FROM notification_mutes WHERE user_id = $1",
        [user_id],
    )?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO notification_mutes (user_id, kind) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )?;
    for kind in muted {
        stmt.execute(params![user_id, kind.as_str()])?;
    }
    Ok(())
}
