//! The SQLite side of [`AccountStore`].

use super::cases_sql;
use super::{insert_agency, AccountStore, SqliteStore};
use super::{
    AuditEntry, AuditRecord, LoginAttempt, NewUser, Reservation, SessionRecord, StoreResult,
    UserCredentials,
};
use crate::clock::{from_unix, to_rfc3339};
use crate::store::sqlite::rows::Cached;
use async_trait::async_trait;
use market_domain::wire::Account;
use rusqlite::{params, OptionalExtension};
use time::OffsetDateTime;

#[async_trait]
impl AccountStore for SqliteStore {
    async fn create_user(&self, user: NewUser) -> StoreResult<i64> {
        self.write(move |tx| {
            tx.run(
                "INSERT INTO users (username, password_hash, role, organization_name, credit_code,
                    contact_person, phone, email, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    user.username,
                    user.password_hash,
                    user.role.as_str(),
                    user.organization.name,
                    user.organization.credit_code,
                    user.organization.contact_person,
                    user.organization.phone,
                    user.organization.email,
                    user.created_at.unix_timestamp(),
                ],
            )?;
            let user_id = tx.last_insert_rowid();
            if let Some(agency) = &user.agency {
                insert_agency(tx, agency, Some(user_id), user.created_at)?;
            }
            Ok(user_id)
        })
        .await
    }

    async fn credentials(&self, username: &str) -> StoreResult<Option<UserCredentials>> {
        let username = username.to_owned();
        self.read(move |conn| {
            Ok(conn
                .row(
                    "SELECT id, username, role, password_hash FROM users WHERE username = ?1",
                    [&username],
                    |row| {
                        Ok(UserCredentials {
                            id: row.get(0)?,
                            username: row.get(1)?,
                            role: row.get(2)?,
                            password_hash: row.get(3)?,
                        })
                    },
                )
                .optional()?)
        })
        .await
    }

    async fn account(&self, user_id: i64) -> StoreResult<Option<Account>> {
        self.read(move |conn| {
            Ok(conn
                .row(
                    "SELECT u.id, u.username, u.role, u.organization_name, u.credit_code,
                        u.contact_person, u.phone, u.email, a.id, a.listing_status, u.created_at
                     FROM users u LEFT JOIN agencies a ON a.owner_user_id = u.id
                     WHERE u.id = +?1",
                    [user_id],
                    |row| {
                        Ok(Account {
                            id: row.get(0)?,
                            username: row.get(1)?,
                            role: row.get(2)?,
                            organization_name: row.get(3)?,
                            credit_code: row.get(4)?,
                            contact_person: row.get(5)?,
                            phone: row.get(6)?,
                            email: row.get(7)?,
                            agency_id: row.get(8)?,
                            listing_status: row.get(9)?,
                            created_at: to_rfc3339(from_unix(row.get(10)?)),
                        })
                    },
                )
                .optional()?)
        })
        .await
    }

    async fn create_session(
        &self,
        token_hash: Vec<u8>,
        user_id: i64,
        at: OffsetDateTime,
        ip: &str,
    ) -> StoreResult<()> {
        let ip = ip.to_owned();
        self.write(move |tx| {
            tx.run(
                "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ip)
                 VALUES (?1, ?2, ?3, ?3, ?4)",
                params![token_hash, user_id, at.unix_timestamp(), ip],
            )?;
            Ok(())
        })
        .await
    }

    async fn session(&self, token_hash: Vec<u8>) -> StoreResult<Option<SessionRecord>> {
        self.read_inline(move |conn| {
            Ok(conn
                .row(
                    "SELECT s.user_id, u.role, u.username, s.created_at, s.last_seen_at
                     FROM sessions s JOIN users u ON u.id = s.user_id
                     WHERE s.token_hash = +?1",
                    [token_hash],
                    |row| {
                        Ok(SessionRecord {
                            user_id: row.get(0)?,
                            role: row.get(1)?,
                            username: row.get(2)?,
                            created_at: from_unix(row.get(3)?),
                            last_seen_at: from_unix(row.get(4)?),
                        })
                    },
                )
                .optional()?)
        })
        .await
    }

    async fn touch_session(&self, token_hash: Vec<u8>, at: OffsetDateTime) -> StoreResult<()> {
        self.write(move |tx| {
            tx.run(
                "UPDATE sessions SET last_seen_at = max(last_seen_at, ?2) WHERE token_hash = ?1",
                params![token_hash, at.unix_timestamp()],
            )?;
            Ok(())
        })
        .await
    }

    async fn delete_session(&self, token_hash: Vec<u8>) -> StoreResult<()> {
        self.write(move |tx| {
            tx.run("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
            Ok(())
        })
        .await
    }

    async fn reserve_login_attempt(&self, attempt: LoginAttempt) -> StoreResult<Reservation> {
        self.write(move |tx| {
            let now = attempt.at.unix_timestamp();
            let since = (attempt.at - attempt.window).unix_timestamp();
            let known: bool = tx
                .prepare_cached(
                    "SELECT 1 FROM login_known_addresses
                     WHERE username = ?1 AND ip = ?2 AND last_success_at > ?3",
                )?
                .exists(params![
                    attempt.username,
                    attempt.ip,
                    (attempt.at - attempt.known_for).unix_timestamp()
                ])?;
            let mut locked_until: Option<i64> = None;
            for key in &attempt.keys {
                if key.waived_for_known_address && known {
                    continue;
                }
                let times = tx
                    .prepare_cached(
                        "SELECT at FROM login_failures WHERE throttle_key = ?1 AND at > ?2
                         ORDER BY at",
                    )?
                    .query_map(params![key.key, since], |row| row.get::<_, i64>(0))?
                    .collect::<rusqlite::Result<Vec<i64>>>()?;
                if times.len() >= key.limit {
                    // The lock lifts when enough attempts have left the window.
                    let until = times[times.len() - key.limit] + attempt.window.whole_seconds();
                    locked_until = Some(locked_until.map_or(until, |u| u.max(until)));
                }
            }
            if let Some(until) = locked_until {
                return Ok(Reservation::Locked(from_unix(until)));
            }
            let mut rows = Vec::with_capacity(attempt.keys.len());
            for key in &attempt.keys {
                tx.prepare_cached("INSERT INTO login_failures (throttle_key, at) VALUES (?1, ?2)")?
                    .execute(params![key.key, now])?;
                rows.push(tx.last_insert_rowid());
            }
            // Attempts older than a day can no longer lock anybody out.
            tx.prepare_cached("DELETE FROM login_failures WHERE at < ?1")?
                .execute([now - 86_400])?;
            Ok(Reservation::Granted(rows))
        })
        .await
    }

    async fn record_login_success(
        &self,
        username: &str,
        ip: &str,
        reservation: Vec<i64>,
        forgive_key: &str,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        let (username, ip, forgive_key) =
            (username.to_owned(), ip.to_owned(), forgive_key.to_owned());
        self.write(move |tx| {
            for id in reservation {
                tx.prepare_cached("DELETE FROM login_failures WHERE id = ?1")?
                    .execute([id])?;
            }
            tx.run(
                "INSERT INTO login_known_addresses (username, ip, last_success_at)
                 VALUES (?1, ?2, ?3)
                 ON CONFLICT (username, ip) DO UPDATE SET last_success_at = excluded.last_success_at",
                params![username, ip, at.unix_timestamp()],
            )?;
            tx.run(
                "DELETE FROM login_failures WHERE throttle_key = ?1 AND at <= ?2",
                params![forgive_key, at.unix_timestamp()],
            )?;
            Ok(())
        })
        .await
    }

    async fn append_audit(&self, entry: AuditEntry) -> StoreResult<()> {
        self.write(move |tx| {
            tx.run(
                "INSERT INTO audit_log (at, user_id, username, ip, event, outcome)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    entry.at.unix_timestamp(),
                    entry.user_id,
                    entry.username,
                    entry.ip,
                    entry.event,
                    entry.outcome
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn audit_log(&self, limit: u32) -> StoreResult<Vec<AuditRecord>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, at, user_id, username, ip, event, outcome FROM audit_log
                 ORDER BY id DESC LIMIT ?1",
            )?;
            let rows = stmt
                .query_map([limit], audit_record)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn audit_page(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<AuditRecord>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, at, user_id, username, ip, event, outcome FROM audit_log
                 WHERE at >= ?1 AND at < ?2 AND id > ?3 ORDER BY id LIMIT ?4",
            )?;
            let rows = stmt
                .query_map(
                    params![
                        from.unix_timestamp(),
                        to.unix_timestamp(),
                        after,
                        i64::from(limit)
                    ],
                    audit_record,
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn prune_audit(&self, before: OffsetDateTime) -> StoreResult<u64> {
        self.write(move |tx| {
            let gone = tx.run(
                "DELETE FROM audit_log WHERE at < ?1",
                params![before.unix_timestamp()],
            )?;
            Ok(gone as u64)
        })
        .await
    }

    async fn enterprise_by_credit_code(&self, code: &str) -> StoreResult<Option<i64>> {
        let code = code.to_owned();
        self.read(move |conn| cases_sql::enterprise_by_credit_code(conn, &code))
            .await
    }
}

/// An `audit_log` row read as `SELECT id, at, user_id, username, ip, event, outcome`.
fn audit_record(row: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRecord> {
    Ok(AuditRecord {
        id: row.get(0)?,
        at: from_unix(row.get(1)?),
        user_id: row.get(2)?,
        username: row.get(3)?,
        ip: row.get(4)?,
        event: row.get(5)?,
        outcome: row.get(6)?,
    })
}
