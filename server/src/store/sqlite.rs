//! SQLite backend: WAL mode, one writer connection and a small pool of read-only readers.
//! Blocking calls run on tokio's blocking pool so they never stall the async workers.

use super::cases_sql::{self, CaseEventOutcome, CaseRecord, NewCase, NewCaseEvent, TokenRow};
use super::chain_sql;
use super::complaints_sql;
use super::notifications_sql;
use super::ocds_sql;
use super::oversight_sql;
use super::stats_sql;
use super::{
    jobs_sql, migrations, rows, AuditEntry, AuditRecord, BidRefusal, ComplaintRow, ComplaintScope,
    CreditFacts, JobFilter, JobLine, JobParts, JobPatch, JobRecord, LoginAttempt, NewAgency,
    NewBid, NewUser, Pushed, Reservation, Respondent, SessionRecord, StatsParts, Store, StoreError,
    StoreResult, Transition, UniqueRule, UserCredentials,
};
use crate::clock::{from_unix, to_rfc3339};
use async_trait::async_trait;
use market_domain::approval::{ApprovalItem, CaseEventView};
use market_domain::complaint::{
    ComplaintStatus, ComplaintTarget, ParsedComplaint, SuspensionProposal,
};
use market_domain::fee::FeeStandard;
use market_domain::job::{Actor, JobDraft, JobEvent, JobState};
use market_domain::listing::{
    ListingDraft, ParsedSuspension, QualificationDraft, ReviewDecision, VersionStatus,
};
use market_domain::notify::{Inbox, NotificationKind, NotificationView, PushedNotification};
use market_domain::ocds::ReleaseSource;
use market_domain::oversight::RedFlag;
use market_domain::wire::{
    Account, AgencyDetail, AgencyFeeStandard, AgencyFilter, AgencySummary, BidView, JobEventView,
    JobSummary, ListingStatus, ListingVersionView, Page, Qualification, ReviewQueueItem,
    SuspensionView,
};
use market_domain::wire::{ChainAudit, ChainCheck, DailyRootView};
use market_domain::{CalendarDate, ServiceType};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Transaction};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, TryLockError};
use time::OffsetDateTime;
use tokio::sync::broadcast;
use tokio::sync::Semaphore;

const READERS: usize = 4;

pub struct SqliteStore {
    writer: Arc<Mutex<Connection>>,
    /// New notifications go out here after the transaction that wrote them commits.
    pushed: broadcast::Sender<Pushed>,
    /// The highest notification id already published.
    last_pushed: Arc<AtomicI64>,
    writer_turn: Arc<Semaphore>,
    readers: Arc<Vec<Mutex<Connection>>>,
    /// One permit per reader connection. The permit moves into the blocking task, so it is
    /// released when the work that holds the connection ends, not when the request future is
    /// dropped (a client that hangs up must not hand out a connection still in use).
    reader_turns: Arc<Semaphore>,
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(failure, Some(message)) = &err {
            if failure.code == rusqlite::ErrorCode::ConstraintViolation {
                let rule = if message.contains("users.username") {
                    Some(UniqueRule::Username)
                } else if message.contains("agencies.credit_code") {
                    Some(UniqueRule::AgencyCreditCode)
                } else if message.contains("users.credit_code") {
                    Some(UniqueRule::EnterpriseCreditCode)
                } else {
                    None
                };
                if let Some(rule) = rule {
                    return StoreError::Duplicate(rule);
                }
            }
        }
        if let rusqlite::Error::SqliteFailure(failure, _) = &err {
            if matches!(
                failure.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) {
                return StoreError::Busy;
            }
        }
        StoreError::Database(err.to_string())
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl SqliteStore {
    /// Opens (creating if needed) `market.sqlite3` in `data_dir` and applies migrations.
    pub fn open(data_dir: &Path) -> StoreResult<SqliteStore> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| StoreError::Database(format!("cannot create {data_dir:?}: {e}")))?;
        let path: PathBuf = data_dir.join("market.sqlite3");
        let mut writer = Connection::open(&path)?;
        writer.pragma_update(None, "journal_mode", "WAL")?;
        configure(&writer)?;
        migrations::apply(&mut writer)?;
        {
            let tx = writer.transaction()?;
            let sealed = jobs_sql::seal_unhashed_events(&tx)?;
            tx.commit()?;
            if sealed > 0 {
                tracing::info!(sealed, "linked job events into their hash chains");
            }
            let tx = writer.transaction()?;
            let snapshots = ocds_sql::snapshot_missing(&tx)?;
            tx.commit()?;
            if snapshots > 0 {
                tracing::info!(snapshots, "stored the current OCDS release of older jobs");
            }
        }
        let readers = (0..READERS)
            .map(|_| {
                let conn = Connection::open_with_flags(
                    &path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                configure(&conn)?;
                Ok(Mutex::new(conn))
            })
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let last_pushed = notifications_sql::latest_id(&writer)?;
        Ok(SqliteStore {
            pushed: broadcast::channel(1024).0,
            last_pushed: Arc::new(AtomicI64::new(last_pushed)),
            writer: Arc::new(Mutex::new(writer)),
            writer_turn: Arc::new(Semaphore::new(1)),
            readers: Arc::new(readers),
            reader_turns: Arc::new(Semaphore::new(READERS)),
        })
    }

    async fn read<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let turn = take_turn(&self.reader_turns).await?;
        let readers = Arc::clone(&self.readers);
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            // The permit guarantees at least one reader is free.
            let conn = readers
                .iter()
                .find_map(|reader| match reader.try_lock() {
                    Ok(guard) => Some(guard),
                    Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
                    Err(TryLockError::WouldBlock) => None,
                })
                .ok_or_else(|| StoreError::Task("no free reader".into()))?;
            work(&conn)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    async fn write<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> StoreResult<T> + Send + 'static,
    {
        let turn = take_turn(&self.writer_turn).await?;
        let writer = Arc::clone(&self.writer);
        let pushed = self.pushed.clone();
        let last_pushed = Arc::clone(&self.last_pushed);
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            let mut conn = lock(&writer);
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let value = work(&tx)?;
            tx.commit()?;
            // Still holding the writer, so notifications are published in id order.
            publish_new_notifications(&conn, &pushed, &last_pushed);
            Ok(value)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }
}

/// How long a request waits for a connection before it is told to come back (503).
const TURN_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

async fn take_turn(turns: &Arc<Semaphore>) -> StoreResult<tokio::sync::OwnedSemaphorePermit> {
    match tokio::time::timeout(TURN_WAIT, Arc::clone(turns).acquire_owned()).await {
        Ok(permit) => permit.map_err(|e| StoreError::Task(e.to_string())),
        Err(_) => Err(StoreError::Busy),
    }
}

fn publish_new_notifications(
    conn: &Connection,
    pushed: &broadcast::Sender<Pushed>,
    last_pushed: &AtomicI64,
) {
    let after = last_pushed.load(Ordering::Acquire);
    match notifications_sql::latest_id(conn) {
        Ok(latest) if latest > after => match notifications_sql::newer_than(conn, after) {
            Ok(rows) => {
                last_pushed.store(latest, Ordering::Release);
                for (user_id, notification, unread) in rows {
                    // No receiver is not an error: nobody is connected.
                    let _ = pushed.send(Pushed {
                        user_id,
                        event: PushedNotification {
                            notification,
                            unread,
                        },
                    });
                }
            }
            Err(error) => tracing::warn!(?error, "reading new notifications failed"),
        },
        Ok(_) => {}
        Err(error) => tracing::warn!(?error, "reading the latest notification failed"),
    }
}

fn service_types_from_csv(csv: Option<String>) -> rusqlite::Result<Vec<ServiceType>> {
    let mut types: Vec<ServiceType> = rows::codes(csv.as_deref().unwrap_or_default().split(','))?;
    types.sort();
    types.dedup();
    Ok(types)
}

fn service_types_to_csv(types: &[ServiceType]) -> String {
    types.iter().map(|t| t.code()).collect::<Vec<_>>().join(",")
}

fn date_from_sql(text: String) -> rusqlite::Result<CalendarDate> {
    CalendarDate::parse(&text).map_err(rows::invalid)
}

fn insert_agency(
    tx: &Transaction<'_>,
    agency: &NewAgency,
    owner: Option<i64>,
    at: OffsetDateTime,
) -> StoreResult<i64> {
    let listed_since = agency.approved.then(|| to_rfc3339(at)[..10].to_owned());
    tx.execute(
        "INSERT INTO agencies (owner_user_id, name, credit_code, district, address,
            legal_representative, contact_person, phone, email, description, staff_count,
            listing_status, listed_since, created_at, service_commitment)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            owner,
            agency.name,
            agency.credit_code,
            agency.district.code(),
            agency.address,
            agency.legal_representative,
            agency.contact_person,
            agency.phone,
            agency.email,
            agency.description,
            agency.staff_count,
            if agency.approved {
                ListingStatus::Approved.as_str()
            } else {
                ListingStatus::Pending.as_str()
            },
            listed_since,
            at.unix_timestamp(),
            agency.service_commitment,
        ],
    )?;
    let agency_id = tx.last_insert_rowid();
    write_children(tx, agency_id, agency)?;
    for (number, (status, draft)) in agency.versions.iter().enumerate() {
        let decided = *status != VersionStatus::Submitted;
        tx.execute(
            "INSERT INTO listing_versions (agency_id, version_no, status, content, submitted_by,
                submitted_at, decided_at, decision_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                agency_id,
                number as i64 + 1,
                status.code(),
                to_json(draft)?,
                owner,
                at.unix_timestamp(),
                decided.then_some(at.unix_timestamp()),
                decided.then_some("资料齐全,符合入驻条件"),
            ],
        )?;
    }
    Ok(agency_id)
}

use super::rows::{from_json, to_json};

/// Replaces the agency's public service types, qualifications and fee standards.
/// Places a suspension; placed any way, it confirms the agency's open automatic proposal.
fn insert_suspension(
    tx: &Transaction<'_>,
    agency_id: i64,
    suspension: &ParsedSuspension,
    regulator_id: i64,
    at: OffsetDateTime,
) -> StoreResult<SuspensionView> {
    tx.execute(
        "INSERT INTO suspensions (agency_id, reason, starts_on, ends_on, blacklist, basis, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            agency_id,
            suspension.reason.as_str(),
            suspension.starts_on.to_string(),
            suspension.ends_on.to_string(),
            suspension.blacklist,
            suspension.basis.as_ref().map(|b| b.as_str().to_owned()),
            regulator_id,
            at.unix_timestamp(),
        ],
    )?;
    let id = tx.last_insert_rowid();
    complaints_sql::confirm_open_proposal(
        tx,
        agency_id,
        regulator_id,
        suspension.reason.as_str(),
        at,
    )?;
    Ok(tx.query_row(
        "SELECT id, reason, starts_on, ends_on, blacklist, basis FROM suspensions WHERE id = ?1",
        [id],
        suspension_from_row,
    )?)
}

fn write_children(tx: &Transaction<'_>, agency_id: i64, agency: &NewAgency) -> StoreResult<()> {
    tx.execute(
        "DELETE FROM agency_service_types WHERE agency_id = ?1",
        [agency_id],
    )?;
    tx.execute(
        "DELETE FROM qualifications WHERE agency_id = ?1",
        [agency_id],
    )?;
    tx.execute(
        "DELETE FROM fee_standards WHERE agency_id = ?1",
        [agency_id],
    )?;
    for service in &agency.service_types {
        tx.execute(
            "INSERT OR IGNORE INTO agency_service_types (agency_id, service_type) VALUES (?1, ?2)",
            params![agency_id, service.code()],
        )?;
    }
    for q in &agency.qualifications {
        tx.execute(
            "INSERT INTO qualifications (agency_id, name, number, level, authority, issued_on,
                expires_on, service_types)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                agency_id,
                q.name,
                q.number,
                q.level,
                q.authority,
                q.issued_on.to_string(),
                q.expires_on.to_string(),
                service_types_to_csv(&q.service_types),
            ],
        )?;
        let qualification_id = tx.last_insert_rowid();
        for service in &q.service_types {
            tx.execute(
                "INSERT OR IGNORE INTO qualification_services
                    (qualification_id, agency_id, service_type, expires_on)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    qualification_id,
                    agency_id,
                    service.code(),
                    q.expires_on.to_string()
                ],
            )?;
        }
    }
    for standard in &agency.fee_standards {
        tx.execute(
            "INSERT INTO fee_standards (agency_id, service_type, content) VALUES (?1, ?2, ?3)",
            params![
                agency_id,
                standard.service_type().code(),
                to_json(standard)?
            ],
        )?;
    }
    Ok(())
}

/// SQL: may agency `a` offer service type `{service}` on `?today`? A type whose covering
/// qualifications have all expired is hidden; one without any qualification stays.
fn offered(service: &str, today: &str) -> String {
    format!(
        "(NOT EXISTS (SELECT 1 FROM qualification_services qs
                     WHERE qs.agency_id = a.id AND qs.service_type = {service})
          OR EXISTS (SELECT 1 FROM qualification_services qs
                     WHERE qs.agency_id = a.id AND qs.service_type = {service}
                       AND qs.expires_on >= {today}))"
    )
}

fn not_suspended(today: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM suspensions x WHERE x.agency_id = a.id AND x.lifted_at IS NULL
                     AND x.starts_on <= {today} AND x.ends_on >= {today})"
    )
}

const VERSION_COLUMNS: &str = "id, agency_id, version_no, status, content, submitted_at,
    decided_at, decision_reason";

fn version_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ListingVersionView> {
    let content: String = row.get(4)?;
    let decided_at: Option<i64> = row.get(6)?;
    Ok(ListingVersionView {
        id: row.get(0)?,
        agency_id: row.get(1)?,
        version_no: row.get(2)?,
        status: row.get(3)?,
        draft: from_json(&content)?,
        submitted_at: to_rfc3339(from_unix(row.get(5)?)),
        decided_at: decided_at.map(|t| to_rfc3339(from_unix(t))),
        decision_reason: row.get(7)?,
    })
}

fn suspension_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SuspensionView> {
    Ok(SuspensionView {
        id: row.get(0)?,
        reason: row.get(1)?,
        starts_on: date_from_sql(row.get(2)?)?,
        ends_on: date_from_sql(row.get(3)?)?,
        blacklist: row.get(4)?,
        basis: row.get(5)?,
    })
}

fn active_suspension_in(
    conn: &Connection,
    agency_id: i64,
    today: &str,
) -> rusqlite::Result<Option<SuspensionView>> {
    conn.query_row(
        "SELECT id, reason, starts_on, ends_on, blacklist, basis FROM suspensions
         WHERE agency_id = ?1 AND lifted_at IS NULL AND starts_on <= ?2 AND ends_on >= ?2
         ORDER BY blacklist DESC, ends_on DESC LIMIT 1",
        params![agency_id, today],
        suspension_from_row,
    )
    .optional()
}

/// Escapes `%`, `_` and the escape character itself for a LIKE pattern.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        self.read(|conn| Ok(conn.query_row("SELECT 1", [], |_| Ok(()))?))
            .await
    }

    async fn is_initialised(&self) -> StoreResult<bool> {
        self.read(|conn| {
            let in_use: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'initialised_at')
                     OR EXISTS (SELECT 1 FROM users)",
                [],
                |row| row.get(0),
            )?;
            Ok(in_use)
        })
        .await
    }

    async fn mark_initialised(&self, at: OffsetDateTime, demo: bool) -> StoreResult<()> {
        self.write(move |tx| {
            tx.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('initialised_at', ?1), ('demo_data', ?2)",
                params![to_rfc3339(at), if demo { "yes" } else { "no" }],
            )?;
            Ok(())
        })
        .await
    }

    async fn create_user(&self, user: NewUser) -> StoreResult<i64> {
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO users (username, password_hash, role, organization_name, credit_code,
                    contact_person, phone, email, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    user.username,
                    user.password_hash,
                    user.role.as_str(),
                    user.organization_name,
                    user.credit_code,
                    user.contact_person,
                    user.phone,
                    user.email,
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

    async fn create_agencies(
        &self,
        agencies: Vec<NewAgency>,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        self.write(move |tx| {
            for agency in &agencies {
                insert_agency(tx, agency, None, at)?;
            }
            Ok(())
        })
        .await
    }

    async fn credentials(&self, username: &str) -> StoreResult<Option<UserCredentials>> {
        let username = username.to_owned();
        self.read(move |conn| {
            Ok(conn
                .query_row(
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
                .query_row(
                    "SELECT u.id, u.username, u.role, u.organization_name, u.credit_code,
                        u.contact_person, u.phone, u.email, a.id, a.listing_status, u.created_at
                     FROM users u LEFT JOIN agencies a ON a.owner_user_id = u.id
                     WHERE u.id = ?1",
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
            tx.execute(
                "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ip)
                 VALUES (?1, ?2, ?3, ?3, ?4)",
                params![token_hash, user_id, at.unix_timestamp(), ip],
            )?;
            Ok(())
        })
        .await
    }

    async fn session(&self, token_hash: Vec<u8>) -> StoreResult<Option<SessionRecord>> {
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT s.user_id, u.role, u.username, s.created_at, s.last_seen_at
                     FROM sessions s JOIN users u ON u.id = s.user_id
                     WHERE s.token_hash = ?1",
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
            tx.execute(
                "UPDATE sessions SET last_seen_at = max(last_seen_at, ?2) WHERE token_hash = ?1",
                params![token_hash, at.unix_timestamp()],
            )?;
            Ok(())
        })
        .await
    }

    async fn delete_session(&self, token_hash: Vec<u8>) -> StoreResult<()> {
        self.write(move |tx| {
            tx.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
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
            tx.execute(
                "INSERT INTO login_known_addresses (username, ip, last_success_at)
                 VALUES (?1, ?2, ?3)
                 ON CONFLICT (username, ip) DO UPDATE SET last_success_at = excluded.last_success_at",
                params![username, ip, at.unix_timestamp()],
            )?;
            tx.execute(
                "DELETE FROM login_failures WHERE throttle_key = ?1 AND at <= ?2",
                params![forgive_key, at.unix_timestamp()],
            )?;
            Ok(())
        })
        .await
    }

    async fn append_audit(&self, entry: AuditEntry) -> StoreResult<()> {
        self.write(move |tx| {
            tx.execute(
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
            let mut stmt = conn.prepare(
                "SELECT id, at, user_id, username, ip, event, outcome FROM audit_log
                 ORDER BY id DESC LIMIT ?1",
            )?;
            let rows = stmt
                .query_map([limit], |row| {
                    Ok(AuditRecord {
                        id: row.get(0)?,
                        at: from_unix(row.get(1)?),
                        user_id: row.get(2)?,
                        username: row.get(3)?,
                        ip: row.get(4)?,
                        event: row.get(5)?,
                        outcome: row.get(6)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn list_agencies(
        &self,
        filter: &AgencyFilter,
        today: CalendarDate,
    ) -> StoreResult<Page<AgencySummary>> {
        let filter = filter.clone();
        self.read(move |conn| {
            let service = filter.service_type.map(|s| s.code());
            let district = filter.district.map(|d| d.code());
            // The trigram index needs three characters; shorter searches scan names instead.
            let (fts_query, like_query) = match filter.q.as_deref() {
                Some(q) if q.chars().count() >= 3 => {
                    (Some(format!("\"{}\"", q.replace('"', "\"\""))), None)
                }
                Some(q) => (None, Some(like_pattern(q))),
                None => (None, None),
            };
            let condition = format!(
                "a.listing_status = 'approved' AND {not_suspended}
                AND (?1 IS NULL OR EXISTS (SELECT 1 FROM agency_service_types s
                        WHERE s.agency_id = a.id AND s.service_type = ?1 AND {offered}))
                AND (?2 IS NULL OR a.district = ?2)
                AND (?3 IS NULL OR a.id IN (SELECT rowid FROM agency_search WHERE agency_search MATCH ?3))
                AND (?4 IS NULL OR a.name LIKE ?4 ESCAPE '\\' OR a.description LIKE ?4 ESCAPE '\\')",
                not_suspended = not_suspended("?5"),
                offered = offered("s.service_type", "?5"),
            );
            let today = today.to_string();
            let total: i64 = conn.query_row(
                &format!("SELECT count(*) FROM agencies a WHERE {condition}"),
                params![service, district, fts_query, like_query, today],
                |row| row.get(0),
            )?;
            let offset = i64::from(filter.page.saturating_sub(1)) * i64::from(filter.per_page);
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT a.id, a.name, a.credit_code, a.district,
                    (SELECT group_concat(s.service_type) FROM agency_service_types s
                     WHERE s.agency_id = a.id AND {offered}),
                    (SELECT count(*) FROM qualifications q WHERE q.agency_id = a.id AND q.expires_on >= ?5)
                 FROM agencies a WHERE {condition}
                 ORDER BY a.id LIMIT ?6 OFFSET ?7",
                offered = offered("s.service_type", "?5"),
            ))?;
            let items = stmt
                .query_map(
                    params![service, district, fts_query, like_query, today, filter.per_page, offset],
                    |row| {
                        Ok(AgencySummary {
                            id: row.get(0)?,
                            name: row.get(1)?,
                            credit_code: row.get(2)?,
                            district: row.get(3)?,
                            service_types: service_types_from_csv(row.get(4)?)?,
                            qualification_count: row.get(5)?,
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
        })
        .await
    }

    async fn agency_detail(
        &self,
        id: i64,
        today: CalendarDate,
    ) -> StoreResult<Option<AgencyDetail>> {
        self.read(move |conn| {
            let today = today.to_string();
            let detail = conn
                .query_row(
                    &format!(
                        "SELECT a.id, a.name, a.credit_code, a.district, a.address,
                            a.legal_representative, a.contact_person, a.phone, a.email,
                            a.description, a.staff_count, a.listed_since,
                            (SELECT group_concat(s.service_type) FROM agency_service_types s
                             WHERE s.agency_id = a.id AND {offered}),
                            a.service_commitment
                         FROM agencies a WHERE a.id = ?1 AND a.listing_status = 'approved'",
                        offered = offered("s.service_type", "?2")
                    ),
                    params![id, today],
                    |row| {
                        Ok(AgencyDetail {
                            id: row.get(0)?,
                            name: row.get(1)?,
                            credit_code: row.get(2)?,
                            district: row.get(3)?,
                            address: row.get(4)?,
                            legal_representative: row.get(5)?,
                            contact_person: row.get(6)?,
                            phone: row.get(7)?,
                            email: row.get(8)?,
                            description: row.get(9)?,
                            staff_count: row.get(10)?,
                            listed_since: date_from_sql(row.get(11)?)?,
                            service_types: service_types_from_csv(row.get(12)?)?,
                            qualifications: Vec::new(),
                            service_commitment: row.get(13)?,
                            fee_standards: Vec::new(),
                            suspension: None,
                            ratings: Default::default(),
                        })
                    },
                )
                .optional()?;
            let Some(mut detail) = detail else {
                return Ok(None);
            };
            let mut stmt = conn.prepare_cached(
                "SELECT name, number, level, authority, issued_on, expires_on, service_types
                 FROM qualifications WHERE agency_id = ?1 ORDER BY expires_on DESC, id",
            )?;
            detail.qualifications = stmt
                .query_map([id], |row| {
                    let expires_on = date_from_sql(row.get(5)?)?;
                    Ok(Qualification {
                        name: row.get(0)?,
                        number: row.get(1)?,
                        level: row.get(2)?,
                        authority: row.get(3)?,
                        issued_on: date_from_sql(row.get(4)?)?,
                        expired: expires_on.to_string() < today,
                        expires_on,
                        service_types: service_types_from_csv(row.get(6)?)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut stmt = conn.prepare_cached(
                "SELECT content FROM fee_standards WHERE agency_id = ?1 ORDER BY service_type, id",
            )?;
            let offered_types = detail.service_types.clone();
            detail.fee_standards = stmt
                .query_map([id], |row| {
                    from_json::<FeeStandard>(&row.get::<_, String>(0)?)
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?
                .into_iter()
                .filter(|f| offered_types.contains(&f.service_type()))
                .collect();
            detail.suspension = active_suspension_in(conn, id, &today)?;
            detail.ratings = jobs_sql::ratings(conn, id)?;
            Ok(Some(detail))
        })
        .await
    }

    async fn agency_exists(&self, id: i64) -> StoreResult<bool> {
        self.read(move |conn| {
            Ok(conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM agencies WHERE id = ?1)",
                [id],
                |row| row.get(0),
            )?)
        })
        .await
    }

    async fn agency_is_public(&self, id: i64) -> StoreResult<bool> {
        self.read(move |conn| {
            Ok(conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM agencies WHERE id = ?1 AND listing_status = 'approved')",
                [id],
                |row| row.get(0),
            )?)
        })
        .await
    }

    async fn fee_standards_for(
        &self,
        service_type: ServiceType,
        today: CalendarDate,
    ) -> StoreResult<Vec<AgencyFeeStandard>> {
        self.read(move |conn| {
            let sql = format!(
                "SELECT a.id, a.name, a.district, f.content FROM fee_standards f
                 JOIN agencies a ON a.id = f.agency_id
                 WHERE f.service_type = ?1 AND a.listing_status = 'approved' AND {not_suspended}
                   AND {offered}
                 ORDER BY a.id, f.id",
                not_suspended = not_suspended("?2"),
                offered = offered("?1", "?2"),
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt
                .query_map(params![service_type.code(), today.to_string()], |row| {
                    Ok(AgencyFeeStandard {
                        agency_id: row.get(0)?,
                        agency_name: row.get(1)?,
                        district: row.get(2)?,
                        standard: from_json(&row.get::<_, String>(3)?)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn agency_of_owner(&self, user_id: i64) -> StoreResult<Option<i64>> {
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT id FROM agencies WHERE owner_user_id = ?1",
                    [user_id],
                    |row| row.get(0),
                )
                .optional()?)
        })
        .await
    }

    async fn agency_as_draft(&self, agency_id: i64) -> StoreResult<Option<ListingDraft>> {
        self.read(move |conn| {
            let draft = conn
                .query_row(
                    "SELECT name, credit_code, legal_representative, contact_person, phone, email,
                        address, district, description, staff_count, service_commitment
                     FROM agencies WHERE id = ?1",
                    [agency_id],
                    |row| {
                        Ok(ListingDraft {
                            name: row.get(0)?,
                            credit_code: row.get(1)?,
                            legal_representative: row.get(2)?,
                            contact_person: row.get(3)?,
                            phone: row.get(4)?,
                            email: row.get(5)?,
                            address: row.get(6)?,
                            district: row.get(7)?,
                            description: row.get(8)?,
                            staff_count: row.get(9)?,
                            service_commitment: row.get(10)?,
                            ..ListingDraft::default()
                        })
                    },
                )
                .optional()?;
            let Some(mut draft) = draft else {
                return Ok(None);
            };
            let mut stmt = conn.prepare(
                "SELECT service_type FROM agency_service_types WHERE agency_id = ?1 ORDER BY service_type",
            )?;
            draft.service_types = stmt
                .query_map([agency_id], |row| row.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            let mut stmt = conn.prepare(
                "SELECT name, number, level, authority, issued_on, expires_on, service_types
                 FROM qualifications WHERE agency_id = ?1 ORDER BY id",
            )?;
            draft.qualifications = stmt
                .query_map([agency_id], |row| {
                    let csv: String = row.get(6)?;
                    Ok(QualificationDraft {
                        name: row.get(0)?,
                        number: row.get(1)?,
                        level: row.get(2)?,
                        authority: row.get(3)?,
                        issued_on: row.get(4)?,
                        expires_on: row.get(5)?,
                        service_types: csv.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut stmt = conn.prepare("SELECT content FROM fee_standards WHERE agency_id = ?1 ORDER BY id")?;
            draft.fee_standards = stmt
                .query_map([agency_id], |row| {
                    from_json::<FeeStandard>(&row.get::<_, String>(0)?).map(Into::into)
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Some(draft))
        })
        .await
    }

    async fn listing_versions(&self, agency_id: i64) -> StoreResult<Vec<ListingVersionView>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {VERSION_COLUMNS} FROM listing_versions WHERE agency_id = ?1 ORDER BY version_no DESC"
            ))?;
            let rows = stmt
                .query_map([agency_id], version_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn listing_version(&self, version_id: i64) -> StoreResult<Option<ListingVersionView>> {
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    &format!("SELECT {VERSION_COLUMNS} FROM listing_versions WHERE id = ?1"),
                    [version_id],
                    version_from_row,
                )
                .optional()?)
        })
        .await
    }

    async fn submit_listing(
        &self,
        agency_id: i64,
        user_id: i64,
        draft: ListingDraft,
        at: OffsetDateTime,
    ) -> StoreResult<ListingVersionView> {
        self.write(move |tx| {
            let taken: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM agencies WHERE credit_code = ?1 AND id <> ?2)",
                params![draft.credit_code.trim().to_uppercase(), agency_id],
                |row| row.get(0),
            )?;
            if taken {
                return Err(StoreError::Duplicate(UniqueRule::AgencyCreditCode));
            }
            tx.execute(
                "UPDATE listing_versions SET status = 'superseded'
                 WHERE agency_id = ?1 AND status = 'submitted'",
                [agency_id],
            )?;
            let next: i64 = tx.query_row(
                "SELECT coalesce(max(version_no), 0) + 1 FROM listing_versions WHERE agency_id = ?1",
                [agency_id],
                |row| row.get(0),
            )?;
            tx.execute(
                "INSERT INTO listing_versions (agency_id, version_no, status, content, submitted_by, submitted_at)
                 VALUES (?1, ?2, 'submitted', ?3, ?4, ?5)",
                params![agency_id, next, to_json(&draft)?, user_id, at.unix_timestamp()],
            )?;
            let id = tx.last_insert_rowid();
            Ok(tx.query_row(
                &format!("SELECT {VERSION_COLUMNS} FROM listing_versions WHERE id = ?1"),
                [id],
                version_from_row,
            )?)
        })
        .await
    }

    async fn review_queue(&self) -> StoreResult<Vec<ReviewQueueItem>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT v.id, v.agency_id, a.name, v.version_no, v.submitted_at,
                    a.listing_status <> 'approved'
                 FROM listing_versions v JOIN agencies a ON a.id = v.agency_id
                 WHERE v.status = 'submitted'
                 ORDER BY v.submitted_at, v.id",
            )?;
            let rows = stmt
                .query_map([], |row| {
                    Ok(ReviewQueueItem {
                        version_id: row.get(0)?,
                        agency_id: row.get(1)?,
                        agency_name: row.get(2)?,
                        version_no: row.get(3)?,
                        submitted_at: to_rfc3339(from_unix(row.get(4)?)),
                        first_listing: row.get(5)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn decide_listing(
        &self,
        version_id: i64,
        decision: ReviewDecision,
        reason: String,
        regulator_id: i64,
        at: OffsetDateTime,
        projection: Option<NewAgency>,
    ) -> StoreResult<Option<ListingVersionView>> {
        self.write(move |tx| {
            // Conditional update: of two concurrent decisions, only one finds it submitted.
            let changed = tx.execute(
                "UPDATE listing_versions SET status = ?2, decided_by = ?3, decided_at = ?4, decision_reason = ?5
                 WHERE id = ?1 AND status = 'submitted'",
                params![
                    version_id,
                    VersionStatus::after(decision).code(),
                    regulator_id,
                    at.unix_timestamp(),
                    reason
                ],
            )?;
            if changed == 0 {
                return Ok(None);
            }
            let version = tx.query_row(
                &format!("SELECT {VERSION_COLUMNS} FROM listing_versions WHERE id = ?1"),
                [version_id],
                version_from_row,
            )?;
            notifications_sql::on_listing_decision(
                tx,
                version.agency_id,
                decision.name(market_domain::Locale::ZhCn),
                &reason,
                at,
            )?;
            if let (ReviewDecision::Approve, Some(agency)) = (decision, projection) {
                tx.execute(
                    "UPDATE listing_versions SET status = 'superseded'
                     WHERE agency_id = ?1 AND status = 'approved' AND id <> ?2",
                    params![version.agency_id, version_id],
                )?;
                tx.execute(
                    "UPDATE agencies SET name = ?2, credit_code = ?3, district = ?4, address = ?5,
                        legal_representative = ?6, contact_person = ?7, phone = ?8, email = ?9,
                        description = ?10, staff_count = ?11, service_commitment = ?12,
                        listing_status = 'approved', listed_since = coalesce(listed_since, ?13)
                     WHERE id = ?1",
                    params![
                        version.agency_id,
                        agency.name,
                        agency.credit_code,
                        agency.district.code(),
                        agency.address,
                        agency.legal_representative,
                        agency.contact_person,
                        agency.phone,
                        agency.email,
                        agency.description,
                        agency.staff_count,
                        agency.service_commitment,
                        &to_rfc3339(at)[..10],
                    ],
                )?;
                write_children(tx, version.agency_id, &agency)?;
            }
            Ok(Some(version))
        })
        .await
    }

    async fn active_suspension(
        &self,
        agency_id: i64,
        today: CalendarDate,
    ) -> StoreResult<Option<SuspensionView>> {
        self.read(move |conn| Ok(active_suspension_in(conn, agency_id, &today.to_string())?))
            .await
    }

    async fn create_suspension(
        &self,
        agency_id: i64,
        suspension: ParsedSuspension,
        regulator_id: i64,
        at: OffsetDateTime,
    ) -> StoreResult<SuspensionView> {
        self.write(move |tx| insert_suspension(tx, agency_id, &suspension, regulator_id, at))
            .await
    }

    async fn lift_suspension(
        &self,
        suspension_id: i64,
        regulator_id: i64,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| {
            let changed = tx.execute(
                "UPDATE suspensions SET lifted_by = ?2, lifted_at = ?3 WHERE id = ?1 AND lifted_at IS NULL",
                params![suspension_id, regulator_id, at.unix_timestamp()],
            )?;
            Ok(changed == 1)
        })
        .await
    }

    async fn create_job(
        &self,
        owner: i64,
        draft: JobDraft,
        at: OffsetDateTime,
    ) -> StoreResult<i64> {
        self.write(move |tx| jobs_sql::create_job(tx, owner, &draft, at))
            .await
    }

    async fn job(&self, id: i64) -> StoreResult<Option<JobRecord>> {
        self.read(move |conn| jobs_sql::job(conn, id)).await
    }

    async fn list_jobs(&self, filter: &JobFilter) -> StoreResult<Page<JobSummary>> {
        let filter = filter.clone();
        self.read(move |conn| jobs_sql::list_jobs(conn, &filter))
            .await
    }

    async fn update_job_draft(
        &self,
        id: i64,
        draft: JobDraft,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| jobs_sql::update_draft(tx, id, &draft, at))
            .await
    }

    async fn publish_job(
        &self,
        id: i64,
        deadline: OffsetDateTime,
        draw: Option<(Vec<u8>, String)>,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| jobs_sql::publish(tx, id, deadline, draw, at))
            .await
    }

    async fn amend_job(
        &self,
        id: i64,
        draft: JobDraft,
        deadline: OffsetDateTime,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| jobs_sql::amend(tx, id, &draft, deadline, at))
            .await
    }

    async fn settle_job(&self, id: i64, at: OffsetDateTime) -> StoreResult<Option<JobState>> {
        self.write(move |tx| jobs_sql::settle(tx, id, at)).await
    }

    async fn create_bid(
        &self,
        job_id: i64,
        agency_id: i64,
        bid: NewBid,
        at: OffsetDateTime,
    ) -> StoreResult<Result<BidView, BidRefusal>> {
        self.write(move |tx| jobs_sql::create_bid(tx, job_id, agency_id, &bid, at))
            .await
    }

    async fn update_bid(
        &self,
        job_id: i64,
        agency_id: i64,
        bid: NewBid,
        at: OffsetDateTime,
    ) -> StoreResult<Result<BidView, BidRefusal>> {
        self.write(move |tx| jobs_sql::update_bid(tx, job_id, agency_id, &bid, at))
            .await
    }

    async fn withdraw_bid(
        &self,
        job_id: i64,
        agency_id: i64,
        at: OffsetDateTime,
    ) -> StoreResult<Result<(), BidRefusal>> {
        self.write(move |tx| jobs_sql::withdraw_bid(tx, job_id, agency_id, at))
            .await
    }

    async fn bids(&self, job_id: i64) -> StoreResult<Vec<BidView>> {
        self.read(move |conn| jobs_sql::bids(conn, job_id)).await
    }

    async fn job_events(&self, job_id: i64) -> StoreResult<Vec<JobEventView>> {
        self.read(move |conn| jobs_sql::events(conn, job_id)).await
    }

    async fn link_repost(&self, new_id: i64, old_id: i64) -> StoreResult<()> {
        self.write(move |tx| {
            tx.execute(
                "UPDATE jobs SET reposted_from = ?2 WHERE id = ?1",
                params![new_id, old_id],
            )?;
            Ok(())
        })
        .await
    }

    async fn red_flags(&self, now: OffsetDateTime) -> StoreResult<Vec<RedFlag>> {
        self.read(move |conn| oversight_sql::red_flags(conn, now))
            .await
    }

    async fn statistics(&self, full: bool) -> StoreResult<StatsParts> {
        self.read(move |conn| {
            Ok(StatsParts {
                by_month: stats_sql::by_month(conn)?,
                by_service: stats_sql::by_service(conn)?,
                bids_per_job: stats_sql::bids_per_job(conn)?,
                steps: if full {
                    stats_sql::steps(conn)?
                } else {
                    Vec::new()
                },
                top_agencies: if full {
                    stats_sql::top_agencies(conn)?
                } else {
                    Vec::new()
                },
            })
        })
        .await
    }

    async fn stored_release(&self, release_id: &str) -> StoreResult<Option<String>> {
        let release_id = release_id.to_owned();
        self.read(move |conn| ocds_sql::stored_release(conn, &release_id))
            .await
    }

    async fn stored_releases(&self, job_id: i64) -> StoreResult<Vec<ocds_sql::StoredRelease>> {
        self.read(move |conn| ocds_sql::stored_releases(conn, job_id))
            .await
    }

    async fn release_source(&self, job_id: i64) -> StoreResult<Option<ReleaseSource>> {
        self.read(move |conn| ocds_sql::source(conn, job_id)).await
    }

    async fn changed_releases(
        &self,
        after: i64,
        since: i64,
        limit: u32,
    ) -> StoreResult<Vec<(i64, ReleaseSource)>> {
        self.read(move |conn| ocds_sql::changed(conn, after, since, limit))
            .await
    }

    async fn complaint_respondent(
        &self,
        complainant: i64,
        target: ComplaintTarget,
    ) -> StoreResult<Option<Respondent>> {
        self.read(move |conn| complaints_sql::respondent(conn, complainant, target))
            .await
    }

    async fn create_complaint(
        &self,
        complainant: i64,
        complaint: ParsedComplaint,
        respondent: Respondent,
        at: OffsetDateTime,
    ) -> StoreResult<i64> {
        self.write(move |tx| complaints_sql::create(tx, complainant, &complaint, &respondent, at))
            .await
    }

    async fn complaint(&self, id: i64) -> StoreResult<Option<ComplaintRow>> {
        self.read(move |conn| complaints_sql::get(conn, id)).await
    }

    async fn complaints(&self, scope: ComplaintScope) -> StoreResult<Vec<ComplaintRow>> {
        self.read(move |conn| complaints_sql::list(conn, scope))
            .await
    }

    async fn step_complaint(
        &self,
        id: i64,
        from: Vec<ComplaintStatus>,
        to: ComplaintStatus,
        text: String,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| complaints_sql::step(tx, id, &from, to, &text, at))
            .await
    }

    async fn suspension_proposals(&self) -> StoreResult<Vec<SuspensionProposal>> {
        self.read(complaints_sql::proposals).await
    }

    async fn confirm_suspension_proposal(
        &self,
        id: i64,
        suspension: ParsedSuspension,
        regulator: i64,
        at: OffsetDateTime,
    ) -> StoreResult<Option<SuspensionView>> {
        self.write(
            move |tx| match complaints_sql::open_proposal_agency(tx, id)? {
                Some(agency_id) => {
                    insert_suspension(tx, agency_id, &suspension, regulator, at).map(Some)
                }
                None => Ok(None),
            },
        )
        .await
    }

    async fn dismiss_suspension_proposal(
        &self,
        id: i64,
        regulator: i64,
        note: String,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| complaints_sql::dismiss_proposal(tx, id, regulator, &note, at))
            .await
    }

    async fn credit_facts(&self, agency_id: i64) -> StoreResult<CreditFacts> {
        self.read(move |conn| {
            Ok(CreditFacts {
                upheld: complaints_sql::upheld_against(conn, agency_id)?,
                fee_flagged_awards: complaints_sql::fee_flagged_awards(conn, agency_id)?,
                entries: complaints_sql::list_entries(conn, agency_id)?,
            })
        })
        .await
    }

    fn subscribe_notifications(&self) -> broadcast::Receiver<Pushed> {
        self.pushed.subscribe()
    }

    async fn inbox(&self, user_id: i64, before: Option<i64>, limit: u32) -> StoreResult<Inbox> {
        self.read(move |conn| {
            Ok(Inbox {
                items: notifications_sql::inbox(conn, user_id, before, limit)?,
                unread: notifications_sql::unread(conn, user_id)?,
            })
        })
        .await
    }

    async fn notifications_after(
        &self,
        user_id: i64,
        after: i64,
    ) -> StoreResult<Vec<NotificationView>> {
        self.read(move |conn| notifications_sql::for_user_after(conn, user_id, after))
            .await
    }

    async fn unread_notifications(&self, user_id: i64) -> StoreResult<i64> {
        self.read(move |conn| notifications_sql::unread(conn, user_id))
            .await
    }

    async fn mark_notifications_read(
        &self,
        user_id: i64,
        ids: Option<Vec<i64>>,
        at: OffsetDateTime,
    ) -> StoreResult<i64> {
        self.write(move |tx| notifications_sql::mark_read(tx, user_id, ids.as_deref(), at))
            .await
    }

    async fn notification_mutes(&self, user_id: i64) -> StoreResult<Vec<NotificationKind>> {
        self.read(move |conn| notifications_sql::mutes(conn, user_id))
            .await
    }

    async fn set_notification_mutes(
        &self,
        user_id: i64,
        muted: Vec<NotificationKind>,
    ) -> StoreResult<()> {
        self.write(move |tx| notifications_sql::set_mutes(tx, user_id, &muted))
            .await
    }

    async fn send_deadline_reminders(&self, now: OffsetDateTime) -> StoreResult<usize> {
        self.write(move |tx| notifications_sql::send_deadline_reminders(tx, now))
            .await
    }

    async fn seal_chain_roots(&self, today: String, now: OffsetDateTime) -> StoreResult<usize> {
        self.write(move |tx| chain_sql::seal_days_before(tx, &today, now.unix_timestamp()))
            .await
    }

    async fn daily_roots(&self, limit: u32) -> StoreResult<Vec<DailyRootView>> {
        self.read(move |conn| chain_sql::daily_roots(conn, limit))
            .await
    }

    async fn chain_check(&self, job_id: i64) -> StoreResult<ChainCheck> {
        self.read(move |conn| chain_sql::check_job(conn, job_id))
            .await
    }

    async fn chain_audit(&self, now: OffsetDateTime) -> StoreResult<ChainAudit> {
        self.read(move |conn| chain_sql::audit(conn, now.unix_timestamp()))
            .await
    }

    async fn append_job_event(&self, line: JobLine) -> StoreResult<()> {
        self.write(move |tx| jobs_sql::line(tx, &line)).await
    }

    async fn valid_bids(&self, job_id: i64) -> StoreResult<Vec<(i64, market_domain::Money, i64)>> {
        self.read(move |conn| jobs_sql::valid_bids(conn, job_id))
            .await
    }

    async fn advance_job(&self, transition: Transition) -> StoreResult<bool> {
        self.write(move |tx| jobs_sql::advance(tx, &transition))
            .await
    }

    async fn job_parts(&self, id: i64) -> StoreResult<JobParts> {
        self.read(move |conn| jobs_sql::job_parts(conn, id)).await
    }

    async fn file_objection(
        &self,
        job_id: i64,
        user_id: i64,
        reason: String,
        at: OffsetDateTime,
    ) -> StoreResult<market_domain::wire::ObjectionView> {
        self.write(move |tx| jobs_sql::file_objection(tx, job_id, user_id, &reason, at))
            .await
    }

    async fn objections(
        &self,
        job_id: i64,
    ) -> StoreResult<Vec<market_domain::wire::ObjectionView>> {
        self.read(move |conn| jobs_sql::objections(conn, job_id))
            .await
    }

    async fn answer_objection(
        &self,
        job_id: i64,
        objection_id: i64,
        upheld: bool,
        answer: String,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| {
            jobs_sql::answer_objection(tx, job_id, objection_id, upheld, &answer, at)
        })
        .await
    }

    async fn rate_job(
        &self,
        job_id: i64,
        agency_id: i64,
        rating: market_domain::wire::RatingRequest,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| {
            let transition = JobLine::new(
                job_id,
                at,
                Actor::Enterprise,
                JobEvent::Rated,
                "业主完成评价",
            )
            .moving(JobState::Accepted, JobState::Rated, JobPatch::default());
            let moved = jobs_sql::advance(tx, &transition)?;
            if moved {
                jobs_sql::insert_rating(tx, job_id, agency_id, &rating, at)?;
            }
            Ok(moved)
        })
        .await
    }

    async fn reply_rating(
        &self,
        job_id: i64,
        agency_id: i64,
        reply: String,
        at: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.write(move |tx| jobs_sql::reply_rating(tx, job_id, agency_id, &reply, at))
            .await
    }

    async fn ratings(&self, agency_id: i64) -> StoreResult<market_domain::wire::RatingSummary> {
        self.read(move |conn| jobs_sql::ratings(conn, agency_id))
            .await
    }

    async fn due_jobs(&self, at: OffsetDateTime) -> StoreResult<Vec<i64>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id FROM jobs WHERE state = 'published' AND deadline <= ?1 ORDER BY deadline",
            )?;
            let ids = stmt
                .query_map([at.unix_timestamp()], |row| row.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(ids)
        })
        .await
    }

    async fn cancel_job(&self, id: i64, reason: String, at: OffsetDateTime) -> StoreResult<bool> {
        self.write(move |tx| {
            let changed = tx.execute(
                "UPDATE jobs SET state = 'cancelled', unsuccessful_reason = ?2
                 WHERE id = ?1 AND state IN ('draft', 'published', 'evaluating')",
                rusqlite::params![id, reason],
            )?;
            if changed == 1 {
                tx.execute(
                    "UPDATE bids SET status = 'voided', updated_at = ?2 WHERE job_id = ?1 AND status = 'active'",
                    rusqlite::params![id, at.unix_timestamp()],
                )?;
                jobs_sql::event(tx, id, at, Actor::Enterprise, JobEvent::Cancelled, &format!("业主撤销项目:{reason}"))?;
            }
            Ok(changed == 1)
        })
        .await
    }

    async fn seed_approval_items(&self, items: Vec<ApprovalItem>) -> StoreResult<()> {
        self.write(move |tx| cases_sql::seed_items(tx, &items))
            .await
    }

    async fn approval_items(&self) -> StoreResult<Vec<ApprovalItem>> {
        self.read(cases_sql::items).await
    }

    async fn create_case(
        &self,
        case: NewCase,
        first: NewCaseEvent,
        at: OffsetDateTime,
    ) -> StoreResult<Option<i64>> {
        self.write(move |tx| cases_sql::create_case(tx, &case, &first, at))
            .await
    }

    async fn case(&self, id: i64) -> StoreResult<Option<CaseRecord>> {
        self.read(move |conn| cases_sql::case(conn, id)).await
    }

    async fn case_id_by_number(&self, number: &str) -> StoreResult<Option<i64>> {
        let number = number.to_owned();
        self.read(move |conn| cases_sql::case_id_by_number(conn, &number))
            .await
    }

    async fn cases(&self, applicant: Option<i64>) -> StoreResult<Vec<CaseRecord>> {
        self.read(move |conn| cases_sql::cases(conn, applicant))
            .await
    }

    async fn case_events(&self, case_id: i64) -> StoreResult<Vec<CaseEventView>> {
        self.read(move |conn| cases_sql::events(conn, case_id))
            .await
    }

    async fn case_jobs(&self, case_id: i64) -> StoreResult<Vec<(i64, ServiceType, JobState)>> {
        self.read(move |conn| cases_sql::case_jobs(conn, case_id))
            .await
    }

    async fn record_case_event(
        &self,
        case_id: i64,
        event: NewCaseEvent,
        at: OffsetDateTime,
    ) -> StoreResult<CaseEventOutcome> {
        self.write(move |tx| cases_sql::record_event(tx, case_id, &event, at))
            .await
    }

    async fn link_job_to_case(&self, job_id: i64, case_id: i64) -> StoreResult<()> {
        self.write(move |tx| cases_sql::link_job(tx, job_id, case_id))
            .await
    }

    async fn job_case(&self, job_id: i64) -> StoreResult<Option<i64>> {
        self.read(move |conn| cases_sql::job_case(conn, job_id))
            .await
    }

    async fn enterprise_by_credit_code(&self, code: &str) -> StoreResult<Option<i64>> {
        let code = code.to_owned();
        self.read(move |conn| cases_sql::enterprise_by_credit_code(conn, &code))
            .await
    }

    async fn create_integration_token(
        &self,
        name: String,
        token_hash: String,
        created_by: i64,
        at: OffsetDateTime,
    ) -> StoreResult<i64> {
        self.write(move |tx| cases_sql::create_token(tx, &name, &token_hash, created_by, at))
            .await
    }

    async fn revoke_integration_token(&self, id: i64, at: OffsetDateTime) -> StoreResult<bool> {
        self.write(move |tx| cases_sql::revoke_token(tx, id, at))
            .await
    }

    async fn integration_token(&self, token_hash: &str) -> StoreResult<Option<String>> {
        let token_hash = token_hash.to_owned();
        self.read(move |conn| cases_sql::token_name(conn, &token_hash))
            .await
    }

    async fn integration_tokens(&self) -> StoreResult<Vec<TokenRow>> {
        self.read(cases_sql::tokens).await
    }
}
