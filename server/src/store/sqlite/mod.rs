//! SQLite backend: WAL mode, one writer connection and a small pool of read-only readers.
//! Blocking calls run on tokio's blocking pool so they never stall the async workers.

mod accounts;
mod agencies;
mod bids_sql;
mod cases;
pub mod cases_sql;
mod chain_sql;
mod complaints;
pub mod complaints_sql;
mod jobs;
mod jobs_sql;
pub mod migrations;
mod notifications;
pub mod notifications_sql;
mod objections_sql;
pub mod ocds_sql;
pub mod oversight_sql;
mod ratings_sql;
pub(crate) mod rows;
mod search_sql;
mod stats_sql;
mod transparency;

// The backend implements the records and traits its parent declares.
use super::*;
use crate::clock::{from_unix, to_rfc3339};
use async_trait::async_trait;
use market_domain::listing::{ParsedSuspension, VersionStatus};
use market_domain::notify::PushedNotification;
use market_domain::wire::AgencyProfile;
use market_domain::wire::{ListingStatus, ListingVersionView, SuspensionView};
use market_domain::{CalendarDate, ServiceType};
use rows::Cached;
use rusqlite::types::ToSql;
use rusqlite::{params, params_from_iter, Connection, OpenFlags, OptionalExtension};
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
    /// Set for a bulk load ([`SqliteStore::open_bulk`]): writes share large transactions.
    bulk: Option<Arc<Bulk>>,
    search: Arc<Search>,
    /// Approval items as read, by code. Items are only ever inserted (`INSERT OR IGNORE`),
    /// never changed or removed, so a copy once read stays exact.
    items: Arc<cases_sql::ItemCache>,
}

/// A bulk load's state: how many writes it has made (negative once one failed), and the
/// triggers it set aside, as the schema holds them, to be put back at its end.
struct Bulk {
    writes: AtomicI64,
    triggers: Vec<String>,
}

/// Tables the schema keeps by trigger that a bulk load fills once, at its end, instead: the
/// triggers' names (a `LIKE` pattern) and the statements that write what they would have.
/// Per row, these triggers were a third of a load's time; set-based, they cost seconds.
const DEFERRED_TRIGGERS: &[(&str, &str)] = &[
    // The change feed tells a running server what to read again. A load has no server, and
    // a server starting on the loaded file builds its indexes from the tables.
    (r"search\_%", ""),
    (r"stats\_%", migrations::STATS_REFILL),
    (
        r"job\_search\_%",
        "DELETE FROM job_search;
         INSERT INTO job_search (job_id, state, service_type, owner, listed_at, project_name, scope)
         SELECT id, state, service_type, enterprise_user_id, coalesce(published_at, created_at),
                json_extract(content, '$.project_name'), json_extract(content, '$.scope')
         FROM jobs;",
    ),
    (
        r"ocds\_feed\_event",
        "DELETE FROM ocds_feed;
         INSERT INTO ocds_feed (job_id, cursor, at)
         SELECT job_id, max(id), max(at) FROM job_events GROUP BY job_id;",
    ),
];

/// The in-memory directory and notices, and how far into the change feed they are.
#[derive(Default)]
struct Search {
    directory: std::sync::RwLock<Option<crate::search::directory::Directory>>,
    notices: std::sync::RwLock<Option<crate::search::notices::Notices>>,
    /// The feed position applied; held while applying, so changes apply once and in order.
    position: Mutex<i64>,
    /// The database file, so the first build can read jobs on a connection of its own.
    path: Option<PathBuf>,
}

fn write_lock<T>(lock: &std::sync::RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|p| p.into_inner())
}

fn read_lock<T>(lock: &std::sync::RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|p| p.into_inner())
}

impl Search {
    /// Brings both indexes up to the feed and the directory to `today` (building them on
    /// first use).
    /// `today` is `None` where the caller has no clock (job lists): the directory keeps its day.
    fn catch_up(&self, conn: &Connection, today: Option<CalendarDate>) -> StoreResult<()> {
        use crate::search::{directory::Directory, notices::Notices};
        let mut position = lock(&self.position);
        let built = read_lock(&self.directory).as_ref().map(|d| d.today());
        if built.is_none() {
            let today = today.unwrap_or_else(|| crate::clock::city_date(OffsetDateTime::now_utc()));
            // The feed position first: a change committed while reading is applied again later.
            let start = search_sql::feed_position(conn)?;
            let timer = std::time::Instant::now();
            // Jobs are read and indexed on a connection and cores of their own meanwhile.
            let (directory, notices) = std::thread::scope(|scope| {
                let notices = scope.spawn(|| -> StoreResult<(Notices, f64)> {
                    let own;
                    let jobs_conn = match &self.path {
                        Some(path) => {
                            own = Connection::open_with_flags(
                                path,
                                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                            )?;
                            &own
                        }
                        None => return Err(StoreError::Task("no database path".into())),
                    };
                    let jobs = search_sql::all_jobs(jobs_conn)?;
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
                directory_text_mb = directory.text_bytes() / 1_000_000,
                notices_text_mb = notices.text_bytes() / 1_000_000,
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

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        // The PostgreSQL store's errors travel as rusqlite errors (`postgres/conn.rs`).
        if let Some(pg) = super::postgres::conn::pg_error(&err) {
            return super::postgres::store_error(pg);
        }
        if let rusqlite::Error::SqliteFailure(failure, Some(message)) = &err {
            if failure.code == rusqlite::ErrorCode::ConstraintViolation {
                let rule = if message.contains("users.username") {
                    Some(UniqueRule::Username)
                } else if message.contains("agencies.credit_code") {
                    Some(UniqueRule::AgencyCreditCode)
                } else if message.contains("users.credit_code")
                    // An expression index names itself, not the column (migration 13).
                    || message.contains("users_enterprise_credit_code")
                {
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
    // Every commit reaches the disk before it is acknowledged, so an acknowledged bid, award or
    // contract survives a power loss, not only a crash (NORMAL would keep the last commits in
    // the WAL's page cache until a checkpoint). `scripts/bench` measures what it costs.
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Every distinct statement of the store stays prepared (rows::Cached), with the plan it
    // was prepared with: without the stability guarantee SQLite re-prepares a statement each
    // time some bound values change, which was a tenth of a bulk load's time.
    conn.set_prepared_statement_cache_capacity(256);
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
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
        // Rows from before the hash chain and the stored OCDS releases are brought up once: each
        // pass reads every event, which at a provincial scale would cost seconds on every start.
        let upgraded: bool = writer.row(
            "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'history_upgraded')",
            [],
            |row| row.get(0),
        )?;
        if !upgraded {
            let tx = writer.transaction()?;
            let sealed = jobs_sql::seal_unhashed_events(&tx)?;
            let snapshots = ocds_sql::snapshot_missing(&tx)?;
            tx.run(
                "INSERT INTO meta (key, value) VALUES ('history_upgraded', '1')",
                [],
            )?;
            tx.commit()?;
            if sealed > 0 || snapshots > 0 {
                tracing::info!(
                    sealed,
                    snapshots,
                    "linked older job events and stored their OCDS releases"
                );
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
            bulk: None,
            search: Arc::new(Search {
                path: Some(path.clone()),
                ..Search::default()
            }),
            items: Arc::default(),
        })
    }

    /// Opens the store for a bulk load by one sequential writer (`market-server generate`).
    /// Writes share a transaction committed every [`BULK_WRITES`] writes: a million jobs then
    /// cost thousands of commits, not millions, each of which rewrites whole pages of every
    /// index it touches. The triggers of [`DEFERRED_TRIGGERS`] are set aside until
    /// [`SqliteStore::finish_bulk`] fills their tables and puts them back. Reads use the writer, so they see what the load has written. Nothing is durable until
    /// [`SqliteStore::finish_bulk`]; a load that stops early is started again from nothing.
    pub fn open_bulk(data_dir: &Path) -> StoreResult<SqliteStore> {
        let mut store = SqliteStore::open(data_dir)?;
        // No journal at all: copying every page a write touches, so that it could be undone,
        // was a fifth of the load, and a load that stops early is started again anyway.
        // Pages go straight to the database file (a write-ahead log writes each one twice),
        // with nothing synced until the end. Reads go to the writer, and the journal mode
        // changes only with no other connection.
        store.readers = Arc::new(Vec::new());
        {
            let writer = lock(&store.writer);
            let mode: String =
                writer.query_row("PRAGMA journal_mode = OFF", [], |row| row.get(0))?;
            if mode != "off" {
                return Err(StoreError::Database(format!(
                    "a bulk load needs the database to itself (journal mode stayed {mode})"
                )));
            }
            writer.execute_batch(
                "PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY;
                 PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -2097152;
                 BEGIN IMMEDIATE",
            )?;
            let mut triggers = Vec::new();
            for (pattern, _) in DEFERRED_TRIGGERS {
                let set_aside: Vec<(String, String)> = writer
                    .prepare(
                        "SELECT name, sql FROM sqlite_master
                         WHERE type = 'trigger' AND name LIKE ?1 ESCAPE '\\' ORDER BY name",
                    )?
                    .query_map([pattern], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                for (name, sql) in set_aside {
                    writer.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
                    triggers.push(sql);
                }
            }
            store.bulk = Some(Arc::new(Bulk {
                writes: AtomicI64::new(0),
                triggers,
            }));
        }
        Ok(store)
    }

    /// Commits the bulk load's last writes.
    pub fn finish_bulk(&self) -> StoreResult<()> {
        if let Some(bulk) = &self.bulk {
            let writer = lock(&self.writer);
            if bulk.writes.load(Ordering::Relaxed) < 0 {
                return Err(StoreError::Database(
                    "the bulk load failed; start it again in a new folder".into(),
                ));
            }
            for (_, fill) in DEFERRED_TRIGGERS {
                writer.execute_batch(fill)?;
            }
            for trigger in &bulk.triggers {
                writer.execute_batch(trigger)?;
            }
            // A server builds its directory from the tables, so the load's feed is not needed.
            writer.execute_batch(
                "DELETE FROM search_changes; COMMIT; PRAGMA locking_mode = NORMAL;
                 PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL",
            )?;
            // Nothing was synced while loading; the whole file is, once.
            if let Some(path) = &self.search.path {
                std::fs::File::open(path)
                    .and_then(|file| file.sync_all())
                    .map_err(|e| StoreError::Database(format!("cannot sync {path:?}: {e}")))?;
            }
        }
        Ok(())
    }

    async fn read<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        if self.bulk.is_some() {
            // The load is the only task: handing each statement to another thread and back
            // cost a fifth of its time in futex waits.
            return work(&lock(&self.writer));
        }
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

    /// A read whose cost is bounded by a page (a session by its key, one page of a list): run
    /// on the request's own thread when a reader is free. Handing it to the blocking pool and
    /// back cost more than the read itself: a case page went from 8,100 to 14,500 requests/s.
    /// Reads that grow with the data, or that may wait on the disk for long, use `read`.
    async fn read_inline<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        if self.bulk.is_none() {
            if let Ok(turn) = Arc::clone(&self.reader_turns).try_acquire_owned() {
                let free = self
                    .readers
                    .iter()
                    .find_map(|reader| match reader.try_lock() {
                        Ok(guard) => Some(guard),
                        Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
                        Err(TryLockError::WouldBlock) => None,
                    });
                if let Some(conn) = free {
                    let value = work(&conn);
                    // The connection goes back before the permit that promises a free one.
                    drop(conn);
                    drop(turn);
                    return value;
                }
            }
        }
        self.read(work).await
    }

    async fn write<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        if let Some(bulk) = &self.bulk {
            return bulk_write(&lock(&self.writer), &bulk.writes, work);
        }
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

/// One write of a bulk load, on the calling thread (see `read`), through statements prepared
/// once rather than parsed for every write. There is no journal to undo a write that fails
/// half way (see [`SqliteStore::open_bulk`]), so the first failure ends the load: every write
/// after it is refused, and the load is started again from nothing.
fn bulk_write<T>(
    conn: &Connection,
    writes: &AtomicI64,
    work: impl FnOnce(&Connection) -> StoreResult<T>,
) -> StoreResult<T> {
    if writes.load(Ordering::Relaxed) < 0 {
        return Err(StoreError::Database(
            "an earlier write of this bulk load failed".into(),
        ));
    }
    let value = match work(conn) {
        Ok(value) => value,
        Err(err) => {
            writes.store(i64::MIN, Ordering::Relaxed);
            return Err(err);
        }
    };
    if writes.fetch_add(1, Ordering::Relaxed) % BULK_WRITES == BULK_WRITES - 1 {
        conn.run("COMMIT", [])?;
        conn.run("BEGIN IMMEDIATE", [])?;
    }
    Ok(value)
}

/// Writes per transaction in a bulk load.
const BULK_WRITES: i64 = 20_000;

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

/// The agencies columns a listing sets, bound as `?1`–`?11` by [`profile_params`].
const PROFILE_COLUMNS: &str = "name, credit_code, district, address, legal_representative,
    contact_person, phone, email, description, staff_count, service_commitment";

/// The values of [`PROFILE_COLUMNS`], in order, for the insert and the approval's update alike.
fn profile_params(profile: &AgencyProfile) -> [&dyn ToSql; 11] {
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
    let extra: [&dyn ToSql; 4] = [
        &owner,
        &status.as_str(),
        &listed_since,
        &at.unix_timestamp(),
    ];
    tx.run(
        &format!(
            "INSERT INTO agencies ({PROFILE_COLUMNS}, owner_user_id, listing_status, listed_since,
                created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
        ),
        params_from_iter(profile_params(&agency.profile).into_iter().chain(extra)),
    )?;
    let agency_id = tx.last_insert_rowid();
    write_children(tx, agency_id, agency)?;
    for (number, (status, draft)) in agency.versions.iter().enumerate() {
        let decided = *status != VersionStatus::Submitted;
        tx.run(
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
    Ok(tx.row(
        "SELECT id, reason, starts_on, ends_on, blacklist, basis FROM suspensions WHERE id = ?1",
        [id],
        suspension_from_row,
    )?)
}

/// Replaces the agency's public service types, qualifications and fee standards.
fn write_children(tx: &Connection, agency_id: i64, agency: &NewAgency) -> StoreResult<()> {
    for table in ["agency_service_types", "qualifications", "fee_standards"] {
        tx.run(
            &format!("DELETE FROM {table} WHERE agency_id = ?1"),
            [agency_id],
        )?;
    }
    for service in &agency.profile.service_types {
        tx.run(
            "INSERT OR IGNORE INTO agency_service_types (agency_id, service_type) VALUES (?1, ?2)",
            params![agency_id, service.code()],
        )?;
    }
    for q in &agency.profile.qualifications {
        tx.run(
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
            tx.run(
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
    for standard in &agency.profile.fee_standards {
        tx.run(
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
    conn.row(
        "SELECT id, reason, starts_on, ends_on, blacklist, basis FROM suspensions
         WHERE agency_id = ?1 AND lifted_at IS NULL AND starts_on <= ?2 AND ends_on >= ?2
         ORDER BY blacklist DESC, ends_on DESC LIMIT 1",
        params![agency_id, today],
        suspension_from_row,
    )
    .optional()
}

#[async_trait]
impl Store for SqliteStore {
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
        self.read(move |conn| {
            search.catch_up(conn, Some(today))?;
            Ok(search.with(|d| d.len()).unwrap_or(0))
        })
        .await
    }

    async fn prune_search_feed(&self) -> StoreResult<usize> {
        let applied = *lock(&self.search.position);
        self.write(move |tx| search_sql::prune_feed(tx, applied))
            .await
    }

    async fn mark_initialised(&self, at: OffsetDateTime, demo: bool) -> StoreResult<()> {
        self.write(move |tx| {
            tx.run(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('initialised_at', ?1), ('demo_data', ?2)",
                params![to_rfc3339(at), if demo { "yes" } else { "no" }],
            )?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM t", [], |row| row.get(0))
            .expect("count")
    }

    #[test]
    fn a_failed_bulk_write_refuses_every_later_write() {
        let conn = Connection::open_in_memory().expect("open");
        conn.execute_batch("CREATE TABLE t (x INTEGER UNIQUE); BEGIN")
            .expect("schema");
        let writes = AtomicI64::new(0);
        let insert = |x: i64| {
            move |conn: &Connection| -> StoreResult<()> {
                conn.run("INSERT INTO t (x) VALUES (?1)", [x])?;
                Ok(())
            }
        };
        bulk_write(&conn, &writes, insert(1)).expect("first write");
        assert!(bulk_write(&conn, &writes, insert(1)).is_err());
        // A load with a hole in it is worse than no load: nothing more goes in.
        assert!(bulk_write(&conn, &writes, insert(2)).is_err());
        assert_eq!(counted(&conn), 1);
    }

    #[test]
    fn bulk_writes_are_committed_every_bulk_writes_writes() {
        let conn = Connection::open_in_memory().expect("open");
        conn.execute_batch("CREATE TABLE t (x INTEGER); BEGIN")
            .expect("schema");
        let writes = AtomicI64::new(BULK_WRITES - 2);
        let write = |conn: &Connection| -> StoreResult<()> {
            conn.run("INSERT INTO t (x) VALUES (1)", [])?;
            Ok(())
        };
        bulk_write(&conn, &writes, write).expect("write");
        assert!(!conn.is_autocommit());
        bulk_write(&conn, &writes, write).expect("write");
        // The commit happened and the next transaction is already open.
        assert!(!conn.is_autocommit());
        conn.execute_batch("ROLLBACK").expect("rollback");
        assert_eq!(counted(&conn), 2);
    }
}
