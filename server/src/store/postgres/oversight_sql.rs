//! The red-flag rules as SQL. Each constant is the exact query the server runs, and the console
//! shows it next to the rule's words (`market_domain::oversight`), so what regulators read is what
//! is computed. Thresholds come in as parameters from the domain constants.

use super::conn::{params, Connection};
use super::StoreResult;
use market_domain::money::Money;
use market_domain::oversight::{
    ContactField, Exhibit, Finding, RedFlag, RedFlagKind, RuleDoc, REPEAT_WIN_MIN,
    REPEAT_WIN_WINDOW_DAYS,
};
use market_domain::selection::FeeFlag;
use time::OffsetDateTime;

/// Awards still standing: the current winner and price by the award's position, and when it was
/// made. Shared with the statistics.
pub(crate) const AWARDS: &str = "WITH awards AS (
    SELECT j.id AS job_id,
           j.enterprise_user_id AS enterprise_id,
           award_agency(j.award) AS agency_id,
           (j.award::jsonb -> 'prices' ->> ((j.award::jsonb ->> 'position')::int))::bigint AS price,
           (SELECT max(e.at) FROM job_events e WHERE e.job_id = j.id
                AND e.event IN ('awarded', 'drawn', 'award_passed_on')) AS awarded_at,
           j.content::jsonb ->> 'project_name' AS project
    FROM jobs j
    WHERE j.award IS NOT NULL AND j.state NOT IN ('unsuccessful', 'cancelled')
)";

pub const SINGLE_BIDDER: &str =
    "SELECT j.id, j.content::jsonb ->> 'project_name', u.organization_name
FROM jobs j JOIN users u ON u.id = j.enterprise_user_id
WHERE j.award IS NOT NULL AND j.state NOT IN ('unsuccessful', 'cancelled')
  AND (SELECT count(*) FROM bids b
       WHERE b.job_id = j.id AND b.status = 'active' AND b.terms_revision = j.terms_revision) = 1
ORDER BY j.id";

/// $1 = start of the window (Unix seconds), $2 = the minimum number of awards.
pub const REPEAT_WINNER: &str = "SELECT a.enterprise_id, u.organization_name, a.agency_id, g.name,
       count(*) AS wins, string_agg(a.job_id::text, ',' ORDER BY a.job_id) AS jobs
FROM awards a
JOIN users u ON u.id = a.enterprise_id
JOIN agencies g ON g.id = a.agency_id
WHERE a.awarded_at >= $1
GROUP BY a.enterprise_id, a.agency_id, u.organization_name, g.name
HAVING count(*) >= $2
ORDER BY wins DESC, a.enterprise_id, a.agency_id";

pub const SHARED_CONTACT: &str = "SELECT * FROM (
  SELECT b1.job_id, j.content::jsonb ->> 'project_name' AS project,
         a1.id, a1.name, a2.id, a2.name,
         a1.phone <> '' AND replace(replace(a1.phone, '-', ''), ' ', '')
             = replace(replace(a2.phone, '-', ''), ' ', '') AS same_phone,
         a1.email <> '' AND lower(trim(a1.email)) = lower(trim(a2.email)) AS same_email,
         trim(a1.address) <> '' AND trim(a1.address) = trim(a2.address) AS same_address
  FROM bids b1
  JOIN bids b2 ON b2.job_id = b1.job_id AND b2.agency_id > b1.agency_id
  JOIN agencies a1 ON a1.id = b1.agency_id
  JOIN agencies a2 ON a2.id = b2.agency_id
  JOIN jobs j ON j.id = b1.job_id
  WHERE b1.status <> 'withdrawn' AND b2.status <> 'withdrawn'
    -- Sealed bids name nobody: only jobs past their deadline that were not cancelled before it.
    AND j.state NOT IN ('draft', 'cancelled') AND (j.state <> 'published' OR j.deadline <= $1)
) AS pairs
WHERE same_phone OR same_email OR same_address
ORDER BY 1, 3, 5";

pub const CANCELLED_AND_REPOSTED: &str = "SELECT old.id, new.id, old.content::jsonb ->> 'project_name',
       u.organization_name, (SELECT count(*) FROM bids b WHERE b.job_id = old.id) AS bids
FROM jobs new
JOIN jobs old ON old.id = new.reposted_from
JOIN users u ON u.id = old.enterprise_user_id
WHERE old.state = 'cancelled' AND new.state <> 'draft'
  AND EXISTS (SELECT 1 FROM bids b WHERE b.job_id = old.id)
  AND ((old.content::jsonb -> 'budget_ceiling') IS DISTINCT FROM (new.content::jsonb -> 'budget_ceiling')
    OR (old.content::jsonb -> 'scope') IS DISTINCT FROM (new.content::jsonb -> 'scope')
    OR (old.content::jsonb -> 'required_qualifications')
         IS DISTINCT FROM (new.content::jsonb -> 'required_qualifications')
    OR (old.content::jsonb -> 'selection') IS DISTINCT FROM (new.content::jsonb -> 'selection')
    OR (old.content::jsonb -> 'min_bidders') IS DISTINCT FROM (new.content::jsonb -> 'min_bidders')
    OR (old.content::jsonb -> 'avoidance') IS DISTINCT FROM (new.content::jsonb -> 'avoidance'))
ORDER BY old.id";

pub const FEE_FLAGGED_AWARD: &str = "SELECT a.job_id, a.project, g.id, g.name, b.flags, b.price
FROM awards a
JOIN bids b ON b.job_id = a.job_id AND b.agency_id = a.agency_id
JOIN agencies g ON g.id = a.agency_id
WHERE b.flags <> '[]'
ORDER BY a.job_id";

fn with_awards(sql: &str) -> String {
    format!("{AWARDS}\n{sql}")
}

/// The documented SQL of every rule computed here (the off-platform rule lives with the cases).
pub fn rule_docs() -> Vec<RuleDoc> {
    [
        (RedFlagKind::SingleBidder, SINGLE_BIDDER.to_owned()),
        (RedFlagKind::RepeatWinner, with_awards(REPEAT_WINNER)),
        (RedFlagKind::SharedContact, SHARED_CONTACT.to_owned()),
        (
            RedFlagKind::CancelledAndReposted,
            CANCELLED_AND_REPOSTED.to_owned(),
        ),
        (RedFlagKind::FeeFlaggedAward, with_awards(FEE_FLAGGED_AWARD)),
    ]
    .into_iter()
    .map(|(kind, sql)| RuleDoc { kind, sql })
    .collect()
}

fn job(id: i64, project: &str) -> Exhibit {
    Exhibit::Job {
        id,
        project: Some(project.to_owned()),
    }
}

fn agency(id: i64, name: &str) -> Exhibit {
    Exhibit::Agency {
        id,
        name: name.to_owned(),
    }
}

/// Every flag the SQL rules raise now.
pub fn red_flags(conn: &Connection, now: OffsetDateTime) -> StoreResult<Vec<RedFlag>> {
    let mut flags = Vec::new();

    let mut stmt = conn.prepare_cached(SINGLE_BIDDER)?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (id, project, enterprise) = row?;
        let evidence = vec![job(id, &project)];
        flags.push(
            Finding::SingleBidder {
                enterprise,
                project,
            }
            .flag(evidence),
        );
    }

    let window_start = now.unix_timestamp() - REPEAT_WIN_WINDOW_DAYS * 86_400;
    let mut stmt = conn.prepare_cached(&with_awards(REPEAT_WINNER))?;
    let rows = stmt.query_map(params![window_start, REPEAT_WIN_MIN], |row| {
        Ok((
            row.get::<_, String>(1)?,
            row.get::<_, i64>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, i64>(4)?,
            row.get::<_, String>(5)?,
        ))
    })?;
    for row in rows {
        let (enterprise, agency_id, agency_name, wins, jobs) = row?;
        let mut job_ids = jobs
            .split(',')
            .map(|j| j.parse::<i64>().map_err(super::rows::invalid))
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        job_ids.sort_unstable();
        let mut evidence = vec![agency(agency_id, &agency_name)];
        evidence.extend(job_ids.iter().map(|&id| Exhibit::Job { id, project: None }));
        flags.push(
            Finding::RepeatWinner {
                agency: agency_name,
                enterprise,
                wins,
                window_days: REPEAT_WIN_WINDOW_DAYS,
            }
            .flag(evidence),
        );
    }

    let mut stmt = conn.prepare_cached(SHARED_CONTACT)?;
    let rows = stmt.query_map([now.unix_timestamp()], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            (row.get::<_, i64>(2)?, row.get::<_, String>(3)?),
            (row.get::<_, i64>(4)?, row.get::<_, String>(5)?),
            (
                row.get::<_, bool>(6)?,
                row.get::<_, bool>(7)?,
                row.get::<_, bool>(8)?,
            ),
        ))
    })?;
    for row in rows {
        let (job_id, project, (a1, n1), (a2, n2), (phone, email, address)) = row?;
        let shared: Vec<ContactField> = [
            (phone, ContactField::Phone),
            (email, ContactField::Email),
            (address, ContactField::Address),
        ]
        .into_iter()
        .filter(|(same, _)| *same)
        .map(|(_, what)| what)
        .collect();
        let evidence = vec![job(job_id, &project), agency(a1, &n1), agency(a2, &n2)];
        flags.push(
            Finding::SharedContact {
                project,
                first: n1,
                second: n2,
                shared,
            }
            .flag(evidence),
        );
    }

    let mut stmt = conn.prepare_cached(CANCELLED_AND_REPOSTED)?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, i64>(4)?,
        ))
    })?;
    for row in rows {
        let (old, new, project, enterprise, bids) = row?;
        let evidence = vec![job(old, &project), Exhibit::Repost { id: new }];
        flags.push(
            Finding::CancelledAndReposted {
                enterprise,
                project,
                bids,
                reposted_as: new,
            }
            .flag(evidence),
        );
    }

    let mut stmt = conn.prepare_cached(&with_awards(FEE_FLAGGED_AWARD))?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, i64>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, String>(4)?,
            row.get::<_, Money>(5)?,
        ))
    })?;
    for row in rows {
        let (job_id, project, agency_id, agency_name, flags_json, price) = row?;
        let fee_flags: Vec<FeeFlag> = super::rows::from_json(&flags_json)?;
        let evidence = vec![job(job_id, &project), agency(agency_id, &agency_name)];
        flags.push(
            Finding::FeeFlaggedAward {
                project,
                price,
                flags: fee_flags,
            }
            .flag(evidence),
        );
    }
    Ok(flags)
}
