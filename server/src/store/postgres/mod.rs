//! PostgreSQL backend, for deployments that run several server instances on one shared,
//! replicated database. The schema mirrors SQLite's column for column (so `market-server
//! migrate` can move a city's data across), and each feature's SQL sits in its own file here as
//! it does under `sqlite/`, run through a rusqlite-shaped connection (`conn.rs`).
//!
//! Writes keep SQLite's guarantee that they happen one at a time: each write transaction first
//! takes one advisory lock, on every instance alike. So ids (the search feed's, the
//! notifications') are handed out in commit order, and a read-then-write transaction cannot
//! interleave with another (one winner per selection, one opening per deadline).

// The files keep the shape of their SQLite twins, where binding a statement's rows before
// returning them ends the statement's borrow; here rows are owned, so the binding is redundant.
#![allow(clippy::let_and_return)]

mod accounts;
mod agencies;
mod bids_sql;
mod cases;
pub mod cases_sql;
mod chain_sql;
mod complaints;
pub mod complaints_sql;
pub mod conn;
mod jobs;
mod jobs_sql;
pub mod migrations;
mod notifications;
pub mod notifications_sql;
mod objections_sql;
pub mod ocds_sql;
pub mod oversight_sql;
mod ratings_sql;
mod search_sql;
mod stats_sql;
mod transparency;

use super::sqlite::rows;
use super::*;
use crate::clock::{from_unix, to_rfc3339};
use ::postgres::fallible_iterator::FallibleIterator;
use async_trait::async_trait;
use conn::{params, params_from_iter, Connection, OptionalExtension, Row, ToPg};
use market_domain::listing::{ParsedSuspension, VersionStatus};
use market_domain::notify::PushedNotification;
use market_domain::wire::AgencyProfile;
use market_domain::wire::{ListingStatus, ListingVersionView, SuspensionView};
use market_domain::{CalendarDate, ServiceType};
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;
use tokio::sync::broadcast;
use tokio::sync::Semaphore;
use tokio_postgres::Client;

/// Connections per instance.
const POOL: usize = 8;

/// The advisory lock every write transaction takes first (any constant all instances share).
const WRITE_LOCK: i64 = 0x6d61_726b_6574_0002;

/// Connects to `url` (`postgres://user@host:port/database`) with the async client. The
/// connection's I/O runs on its own task, which logs how the connection ended.
pub async fn connect(url: &str) -> Result<Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::warn!(%error, "PostgreSQL connection ended");
        }
    });
    Ok(client)
}

/// A PostgreSQL error with the server's message and detail, which `Display` leaves out.
pub fn describe(error: &tokio_postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{}: {detail}", db.message()),
            None => db.message().to_owned(),
        },
        None => error.to_string(),
    }
}

/// The store's view of a PostgreSQL error: the unique rules it names, a lock or serialization
/// conflict as busy, anything else as a database error.
pub(crate) fn store_error(error: &::postgres::Error) -> StoreError {
    if let Some(db) = error.as_db_error() {
        use tokio_postgres::error::SqlState;
        if *db.code() == SqlState::UNIQUE_VIOLATION {
            let rule = match db.constraint() {
                Some("users_username_key") => Some(UniqueRule::Username),
                Some("agencies_credit_code_key") => Some(UniqueRule::AgencyCreditCode),
                Some("users_enterprise_credit_code") => Some(UniqueRule::EnterpriseCreditCode),
                _ => None,
            };
            if let Some(rule) = rule {
                return StoreError::Duplicate(rule);
            }
        }
        if [
            SqlState::T_R_SERIALIZATION_FAILURE,
            SqlState::T_R_DEADLOCK_DETECTED,
            SqlState::LOCK_NOT_AVAILABLE,
            SqlState::TOO_MANY_CONNECTIONS,
        ]
        .contains(db.code())
        {
            return StoreError::Busy;
        }
        return StoreError::Database(format!("{}: {}", db.code().code(), db.message()));
    }
    // A dropped connection, or a server that cannot be reached (restarting, failing over):
    // the request may succeed if tried again soon, so it is told so (503), not a 500.
    let unreachable = std::error::Error::source(error)
        .is_some_and(|cause| cause.downcast_ref::<std::io::Error>().is_some());
    if error.is_closed() || unreachable {
        return StoreError::Busy;
    }
    StoreError::Database(error.to_string())
}

pub struct PgStore {
    url: String,
    pool: Arc<Pool>,
    /// New notifications go out here, from this instance's writes and, through LISTEN, from
    /// every other instance's.
    pushed: broadcast::Sender<Pushed>,
    /// The highest notification id already published; held while publishing.
    last_pushed: Arc<Mutex<i64>>,
    search: Arc<Search>,
    items: Arc<cases_sql::ItemCache>,
    /// This instance's name in `search_readers`.
    instance: String,
}

/// Connections handed out one task at a time. A connection goes back after its work, or is
/// dropped (and a new one opened on the next turn) if the work broke it.
struct Pool {
    url: String,
    idle: Mutex<Vec<Connection>>,
    turns: Arc<Semaphore>,
}

impl Pool {
    fn open(url: &str) -> StoreResult<Connection> {
        let client =
            ::postgres::Client::connect(url, ::postgres::NoTls).map_err(|e| store_error(&e))?;
        Ok(Connection::new(client))
    }

    /// Runs `work` on a connection, on tokio's blocking pool.
    async fn with<T, F>(self: &Arc<Self>, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let turn =
            match tokio::time::timeout(TURN_WAIT, Arc::clone(&self.turns).acquire_owned()).await {
                Ok(permit) => permit.map_err(|e| StoreError::Task(e.to_string()))?,
                Err(_) => return Err(StoreError::Busy),
            };
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            let idle = lock(&pool.idle).pop();
            let conn = match idle {
                Some(conn) if !conn.is_closed() => conn,
                _ => Pool::open(&pool.url)?,
            };
            let value = work(&conn);
            if !conn.is_closed() {
                lock(&pool.idle).push(conn);
            }
            value
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }
}

/// How long a request waits for a connection before it is told to come back (503).
const TURN_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The in-memory directory and notices, and how far into the change feed they are.
#[derive(Default)]
struct Search {
    directory: std::sync::RwLock<Option<crate::search::directory::Directory>>,
    notices: std::sync::RwLock<Option<crate::search::notices::Notices>>,
    /// The feed position applied; held while applying, so changes apply once and in order.
    position: Mutex<i64>,
    /// The database, so the first build can read jobs on a connection of its own.
    url: String,
}

fn write_lock<T>(lock: &std::sync::RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|p| p.into_inner())
}

fn read_lock<T>(lock: &std::sync::RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|p| p.into_inner())
}

impl Search {
    /// Brings both indexes up to the feed and the directory to `today` (building them on
    /// first use, and again if another instance pruned changes this one had not applied).
    fn catch_up(&self, conn: &Connection, today: Option<CalendarDate>) -> StoreResult<()> {
        use crate::search::{directory::Directory, notices::Notices};
        let mut position = lock(&self.position);
        let mut built = read_lock(&self.directory).as_ref().map(|d| d.today());
        if built.is_some() && search_sql::pruned_through(conn)? > *position {
            tracing::warn!(
                position = *position,
                "the search feed was pruned past this instance; rebuilding its indexes"
            );
            built = None;
        }
        if built.is_none() {
            let today = today.unwrap_or_else(|| crate::clock::city_date(OffsetDateTime::now_utc()));
            // The feed position first: a change committed while reading is applied again later.
            let start = search_sql::feed_position(conn)?;
            let timer = std::time::Instant::now();
            // Jobs are read and indexed on a connection and cores of their own meanwhile.
            let (directory, notices) = std::thread::scope(|scope| {
                let notices = scope.spawn(|| -> StoreResult<(Notices, f64)> {
                    let jobs_conn = Pool::open(&self.url)?;
                    let jobs = search_sql::all_jobs(&jobs_conn)?;
                    let read = timer.elapsed().as_secs_f64();
                    Ok((Notices::build(jobs), read))
                });
                let directory = search_sql::all_agencies(conn).map(|agencies| {
                    (
                        Directory::build(agencies, today),
                        timer.elapsed().as_secs_f64(),
                    )
                });
                (directory, notices.join())
            });
            let (directory, directory_at) = directory?;
            let (notices, jobs_read_at) = notices
                .map_err(|_| StoreError::Task("building the notices index panicked".into()))??;
            tracing::info!(
                directory_at,
                jobs_read_at,
                notices_at = timer.elapsed().as_secs_f64(),
                "search indexes built"
            );
            *write_lock(&self.directory) = Some(directory);
            *write_lock(&self.notices) = Some(notices);
            *position = start;
        }
        loop {
            let changes = search_sql::changes(conn, *position)?;
            if changes.position == *position {
                break;
            }
            let mut agencies = Vec::with_capacity(changes.agencies.len());
            for id in changes.agencies {
                agencies.push((id, search_sql::agency(conn, id)?));
            }
            let mut jobs = Vec::with_capacity(changes.jobs.len());
            for id in changes.jobs {
                jobs.push((id, search_sql::job(conn, id)?));
            }
            if let Some(directory) = write_lock(&self.directory).as_mut() {
                for (id, record) in agencies {
                    directory.upsert(id, record);
                }
            }
            if let Some(notices) = write_lock(&self.notices).as_mut() {
                for (id, record) in jobs {
                    notices.upsert(id, record);
                }
            }
            *position = changes.position;
        }
        if let (Some(day), Some(today)) = (built, today) {
            if day != today {
                if let Some(directory) = write_lock(&self.directory).as_mut() {
                    directory.roll_to(today);
                }
            }
        }
        Ok(())
    }

    fn with<T>(&self, read: impl FnOnce(&crate::search::directory::Directory) -> T) -> Option<T> {
        read_lock(&self.directory).as_ref().map(read)
    }

    fn with_notices<T>(
        &self,
        read: impl FnOnce(&crate::search::notices::Notices) -> T,
    ) -> Option<T> {
        read_lock(&self.notices).as_ref().map(read)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl PgStore {
    /// Connects to `url`, applies the pending migrations, and starts listening for other
    /// instances' notifications.
    pub async fn open(url: &str) -> StoreResult<PgStore> {
        let mut client = connect(url).await.map_err(|e| {
            StoreError::Database(format!("cannot connect to PostgreSQL: {}", describe(&e)))
        })?;
        migrations::apply(&mut client).await.map_err(|e| {
            StoreError::Database(format!("PostgreSQL migration failed: {}", describe(&e)))
        })?;
        drop(client);
        let pool = Arc::new(Pool {
            url: url.to_owned(),
            idle: Mutex::new(Vec::new()),
            turns: Arc::new(Semaphore::new(POOL)),
        });
        let store = PgStore {
            url: url.to_owned(),
            pool,
            pushed: broadcast::channel(1024).0,
            last_pushed: Arc::new(Mutex::new(0)),
            search: Arc::new(Search {
                url: url.to_owned(),
                ..Search::default()
            }),
            items: Arc::default(),
            instance: {
                use rand::Rng;
                format!("{:016x}", rand::thread_rng().gen::<u64>())
            },
        };
        store
            .write(|tx| {
                let upgraded: bool = tx.row(
                    "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'history_upgraded')",
                    [],
                    |row| row.get(0),
                )?;
                if !upgraded {
                    jobs_sql::seal_unhashed_events(tx)?;
                    ocds_sql::snapshot_missing(tx)?;
                    tx.run(
                        "INSERT INTO meta (key, value) VALUES ('history_upgraded', '1')",
                        [],
                    )?;
                }
                Ok(())
            })
            .await?;
        let latest = store.pool.with(notifications_sql::latest_id).await?;
        *lock(&store.last_pushed) = latest;
        store.listen()?;
        Ok(store)
    }

    /// A thread that LISTENs for notifications written by any instance and publishes them to
    /// this instance's live streams; it reconnects if the connection drops.
    fn listen(&self) -> StoreResult<()> {
        let (url, pool) = (self.url.clone(), Arc::downgrade(&self.pool));
        let (pushed, last_pushed) = (self.pushed.clone(), Arc::clone(&self.last_pushed));
        let runtime = tokio::runtime::Handle::current();
        std::thread::Builder::new()
            .name("pg-listen".into())
            .spawn(move || {
                // Ends with the store: the pool is gone once the store is dropped.
                while pool.strong_count() > 0 {
                    let listened = (|| -> Result<(), ::postgres::Error> {
                        let mut client = ::postgres::Client::connect(&url, ::postgres::NoTls)?;
                        client.batch_execute("LISTEN market_notifications")?;
                        // What was written while no connection listened.
                        let mut woken = true;
                        loop {
                            let Some(pool) = pool.upgrade() else {
                                return Ok(());
                            };
                            if woken {
                                publish_on(&runtime, &pool, &pushed, &last_pushed);
                            }
                            let mut notifications = client.notifications();
                            woken = notifications
                                .timeout_iter(std::time::Duration::from_millis(500))
                                .next()?
                                .is_some();
                            // Several notifications at once need one read: drain what arrived.
                            let mut pending = notifications.iter();
                            while pending.next()?.is_some() {}
                        }
                    })();
                    if let Err(error) = listened {
                        tracing::warn!(%error, "listening for notifications failed; retrying");
                        std::thread::sleep(std::time::Duration::from_secs(1));
                    }
                }
            })
            .map_err(|e| StoreError::Task(e.to_string()))?;
        Ok(())
    }

    async fn read<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        self.pool.with(work).await
    }

    async fn read_inline<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        self.pool.with(work).await
    }

    /// One write transaction, after every earlier one on any instance (see the module note).
    async fn write<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let (pushed, last_pushed) = (self.pushed.clone(), Arc::clone(&self.last_pushed));
        self.pool
            .with(move |conn| {
                conn.execute_batch("BEGIN")?;
                let value = conn
                    .run("SELECT pg_advisory_xact_lock($1)", [WRITE_LOCK])
                    .map_err(StoreError::from)
                    .and_then(|_| work(conn));
                match value {
                    Ok(value) => {
                        conn.execute_batch("COMMIT")?;
                        publish_new_notifications(conn, &pushed, &last_pushed);
                        Ok(value)
                    }
                    Err(error) => {
                        // A broken connection is dropped by the pool; nothing to roll back then.
                        let _ = conn.execute_batch("ROLLBACK");
                        Err(error)
                    }
                }
            })
            .await
    }
}

/// Publishes on a pooled connection, from the listening thread.
fn publish_on(
    runtime: &tokio::runtime::Handle,
    pool: &Arc<Pool>,
    pushed: &broadcast::Sender<Pushed>,
    last_pushed: &Arc<Mutex<i64>>,
) {
    let (pushed, last_pushed) = (pushed.clone(), Arc::clone(last_pushed));
    let published = runtime.block_on(pool.with(move |conn| {
        publish_new_notifications(conn, &pushed, &last_pushed);
        Ok(())
    }));
    if let Err(error) = published {
        tracing::warn!(?error, "publishing notifications failed");
    }
}

/// Sends what is newer than the last published id, once per instance: the id is advanced
/// under its lock, and ids are handed out in commit order (see the module note).
fn publish_new_notifications(
    conn: &Connection,
    pushed: &broadcast::Sender<Pushed>,
    last_pushed: &Mutex<i64>,
) {
    let mut last = lock(last_pushed);
    match notifications_sql::latest_id(conn) {
        Ok(latest) if latest > *last => match notifications_sql::newer_than(conn, *last) {
            Ok(rows) => {
                *last = latest;
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

/// The agencies columns a listing sets, bound as `$1`–`$11` by [`profile_params`].
const PROFILE_COLUMNS: &str = "name, credit_code, district, address, legal_representative,
    contact_person, phone, email, description, staff_count, service_commitment";

/// The values of [`PROFILE_COLUMNS`], in order, for the insert and the approval's update alike.
fn profile_params(profile: &AgencyProfile) -> [&dyn ToPg; 11] {
    [
        &profile.name,
        &profile.credit_code,
        &profile.district,
        &profile.address,
        &profile.legal_representative,
        &profile.contact_person,
        &profile.phone,
        &profile.email,
        &profile.description,
        &profile.staff_count,
        &profile.service_commitment,
    ]
}

fn insert_agency(
    tx: &Connection,
    agency: &NewAgency,
    owner: Option<i64>,
    at: OffsetDateTime,
) -> StoreResult<i64> {
    let listed_since = agency.approved.then(|| to_rfc3339(at)[..10].to_owned());
    let status = if agency.approved {
        ListingStatus::Approved
    } else {
        ListingStatus::Pending
    };
    let extra: [&dyn ToPg; 4] = [
        &owner,
        &status.as_str(),
        &listed_since,
        &at.unix_timestamp(),
    ];
    tx.run(
        &format!(
            "INSERT INTO agencies ({PROFILE_COLUMNS}, owner_user_id, listing_status, listed_since,
                created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        ),
        params_from_iter(profile_params(&agency.profile).into_iter().chain(extra)),
    )?;
    let agency_id = tx.last_insert_rowid()?;
    write_children(tx, agency_id, agency)?;
    for (number, (status, draft)) in agency.versions.iter().enumerate() {
        let decided = *status != VersionStatus::Submitted;
        tx.run(
            "INSERT INTO listing_versions (agency_id, version_no, status, content, submitted_by,
                submitted_at, decided_at, decision_reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
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

use rows::{from_json, to_json};

/// Places a suspension; placed any way, it confirms the agency's open automatic proposal.
fn insert_suspension(
    tx: &Connection,
    agency_id: i64,
    suspension: &ParsedSuspension,
    regulator_id: i64,
    at: OffsetDateTime,
) -> StoreResult<SuspensionView> {
    tx.run(
        "INSERT INTO suspensions (agency_id, reason, starts_on, ends_on, blacklist, basis, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
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
    let id = tx.last_insert_rowid()?;
    complaints_sql::confirm_open_proposal(
        tx,
        agency_id,
        regulator_id,
        suspension.reason.as_str(),
        at,
    )?;
    Ok(tx.row(
        "SELECT id, reason, starts_on, ends_on, blacklist, basis FROM suspensions WHERE id = $1",
        [id],
        suspension_from_row,
    )?)
}

/// Replaces the agency's public service types, qualifications and fee standards.
fn write_children(tx: &Connection, agency_id: i64, agency: &NewAgency) -> StoreResult<()> {
    for table in ["agency_service_types", "qualifications", "fee_standards"] {
        tx.run(
            &format!("DELETE FROM {table} WHERE agency_id = $1"),
            [agency_id],
        )?;
    }
    for service in &agency.profile.service_types {
        tx.run(
            "INSERT INTO agency_service_types (agency_id, service_type) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            params![agency_id, service.code()],
        )?;
    }
    for q in &agency.profile.qualifications {
        tx.run(
            "INSERT INTO qualifications (agency_id, name, number, level, authority, issued_on,
                expires_on, service_types)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
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
        let qualification_id = tx.last_insert_rowid()?;
        for service in &q.service_types {
            tx.run(
                "INSERT INTO qualification_services
                    (qualification_id, agency_id, service_type, expires_on)
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                params![
                    qualification_id,
                    agency_id,
                    service.code(),
                    q.expires_on.to_string()
                ],
            )?;
        }
    }
    for standard in &agency.profile.fee_standards {
        tx.run(
            "INSERT INTO fee_standards (agency_id, service_type, content) VALUES ($1, $2, $3)",
            params![
                agency_id,
                standard.service_type().code(),
                to_json(standard)?
            ],
        )?;
    }
    Ok(())
}

const VERSION_COLUMNS: &str = "id, agency_id, version_no, status, content, submitted_at,
    decided_at, decision_reason";

fn version_from_row(row: &Row<'_>) -> rusqlite::Result<ListingVersionView> {
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

fn suspension_from_row(row: &Row<'_>) -> rusqlite::Result<SuspensionView> {
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
    conn.row(
        "SELECT id, reason, starts_on, ends_on, blacklist, basis FROM suspensions
         WHERE agency_id = $1 AND lifted_at IS NULL AND starts_on <= $2 AND ends_on >= $2
         ORDER BY blacklist DESC, ends_on DESC LIMIT 1",
        params![agency_id, today],
        suspension_from_row,
    )
    .optional()
}

#[async_trait]
impl Store for PgStore {
    fn rule_docs(&self) -> Vec<market_domain::oversight::RuleDoc> {
        oversight_sql::rule_docs()
    }

    async fn ping(&self) -> StoreResult<()> {
        self.read(|conn| Ok(conn.row("SELECT 1", [], |_| Ok(()))?))
            .await
    }

    async fn is_initialised(&self) -> StoreResult<bool> {
        self.read(|conn| {
            let in_use: bool = conn.row(
                "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'initialised_at')
                     OR EXISTS (SELECT 1 FROM users)",
                [],
                |row| row.get(0),
            )?;
            Ok(in_use)
        })
        .await
    }

    async fn prepare_search(&self, today: CalendarDate) -> StoreResult<usize> {
        let search = Arc::clone(&self.search);
        let built = self
            .read(move |conn| {
                search.catch_up(conn, Some(today))?;
                Ok(search.with(|d| d.len()).unwrap_or(0))
            })
            .await?;
        // From now on, another instance's prune keeps what this one has not applied.
        let applied = *lock(&self.search.position);
        let instance = self.instance.clone();
        let now = OffsetDateTime::now_utc().unix_timestamp();
        self.write(move |tx| search_sql::record_reader(tx, &instance, applied, now))
            .await?;
        Ok(built)
    }

    async fn prune_search_feed(&self) -> StoreResult<usize> {
        let applied = *lock(&self.search.position);
        let instance = self.instance.clone();
        let now = OffsetDateTime::now_utc().unix_timestamp();
        self.write(move |tx| search_sql::prune_feed(tx, &instance, applied, now))
            .await
    }

    async fn mark_initialised(&self, at: OffsetDateTime, demo: bool) -> StoreResult<()> {
        self.write(move |tx| {
            tx.run(
                "INSERT INTO meta (key, value) VALUES ('initialised_at', $1), ('demo_data', $2)
                 ON CONFLICT DO NOTHING",
                params![to_rfc3339(at), if demo { "yes" } else { "no" }],
            )?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_database_server_that_cannot_be_reached_is_busy_not_an_internal_error() {
        // Port 1 on loopback: nothing listens there.
        let refused = ::postgres::Client::connect(
            "postgres://market@127.0.0.1:1/market?connect_timeout=2",
            ::postgres::NoTls,
        )
        .err()
        .expect("nothing listens on port 1");
        assert!(matches!(
            super::store_error(&refused),
            super::StoreError::Busy
        ));
    }
}
