//! Online, consistent copies of the embedded database (`market-server backup`, the scheduled
//! backups) and their restoration (`market-server restore`). A copy is only called a backup
//! once it has been opened and proven: SQLite's integrity check, every table's row count and
//! every job's hash chain recomputed from the copied events.
//!
//! PostgreSQL deployments back up with the database's own tools (`pg_dump`, or continuous
//! archiving); the server does not duplicate them.

use crate::migrate::{sqlite_count, sqlite_tables};
use market_domain::chain;
use market_domain::code::Code;
use market_domain::job::{Actor, JobEvent, JobEventView};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The database file inside a data folder.
pub const DATABASE: &str = "market.sqlite3";

/// What a verified copy holds: rows per table, and the jobs whose chains were recomputed.
pub use crate::migrate::Report as Summary;

/// Scheduled backups: a copy every `every` into `dir`, keeping the newest `keep`.
#[derive(Clone, Debug)]
pub struct Schedule {
    pub dir: PathBuf,
    pub every: Duration,
    pub keep: usize,
}

fn failed(what: &str) -> impl Fn(rusqlite::Error) -> String + '_ {
    move |e| format!("{what}: {e}")
}

/// Copies the database in `data_dir` to `to` while the server keeps serving, then verifies the
/// copy. `VACUUM INTO` reads inside one read transaction, so the copy is the database as of
/// one commit, and in WAL mode writers are not held up while it runs. The copy is written next
/// to `to` and renamed into place once synced, so `to` never names half a backup.
pub fn backup(data_dir: &Path, to: &Path) -> Result<Summary, String> {
    let source = data_dir.join(DATABASE);
    if !source.exists() {
        return Err(format!("no database at {}", source.display()));
    }
    if to.exists() {
        return Err(format!(
            "{} already exists; choose a new file for the backup",
            to.display()
        ));
    }
    let partial = partial_name(to);
    let _ = std::fs::remove_file(&partial);
    let conn = Connection::open_with_flags(
        &source,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(failed("cannot open the database"))?;
    conn.busy_timeout(Duration::from_secs(30))
        .map_err(failed("busy timeout"))?;
    let target = partial
        .to_str()
        .ok_or_else(|| format!("{} is not a UTF-8 path", partial.display()))?;
    conn.execute("VACUUM INTO ?1", [target])
        .map_err(failed("the copy failed"))?;
    drop(conn);
    let summary = match verify(&partial) {
        Ok(summary) => summary,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
    };
    sync_file(&partial)?;
    std::fs::rename(&partial, to).map_err(|e| format!("cannot name the backup: {e}"))?;
    sync_parent(to)?;
    Ok(summary)
}

/// Opens a copy read-only and proves it: `PRAGMA integrity_check`, each table's row count and
/// every job's hash chain.
pub fn verify(file: &Path) -> Result<Summary, String> {
    let conn = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .map_err(|e| format!("{} is not a database: {e}", file.display()))?;
    if check != "ok" {
        return Err(format!(
            "{} fails SQLite's integrity check: {check}",
            file.display()
        ));
    }
    let mut summary = Summary::default();
    for table in sqlite_tables(&conn)? {
        let rows = sqlite_count(&conn, &table)?;
        summary.tables.insert(table, rows);
    }
    if !summary.tables.contains_key("job_events") {
        return Err(format!("{} holds no marketplace", file.display()));
    }
    verify_chains(&conn, &mut summary)?;
    Ok(summary)
}

/// Recomputes every job's chain, one job's events in memory at a time.
fn verify_chains(conn: &Connection, summary: &mut Summary) -> Result<(), String> {
    let mut stmt = conn
        .prepare(
            "SELECT job_id, seq, at, actor, event, detail, prev_hash, hash FROM job_events
             ORDER BY job_id, seq",
        )
        .map_err(failed("reading the job events"))?;
    let mut rows = stmt.query([]).map_err(failed("reading the job events"))?;
    let mut job: Option<i64> = None;
    let mut events: Vec<JobEventView> = Vec::new();
    let check = |job_id: i64, events: &[JobEventView]| -> Result<(), String> {
        chain::verify(job_id, events).map(drop).map_err(|link| {
            format!(
                "job {job_id}'s hash chain does not verify: {}",
                link.message(market_domain::Locale::En)
            )
        })
    };
    while let Some(row) = rows.next().map_err(failed("reading the job events"))? {
        let read = |e: rusqlite::Error| format!("reading the job events: {e}");
        let job_id: i64 = row.get(0).map_err(read)?;
        if job != Some(job_id) {
            if let Some(previous) = job {
                check(previous, &events)?;
                summary.chains += 1;
                events.clear();
            }
            job = Some(job_id);
        }
        let actor: String = row.get(3).map_err(read)?;
        let event: String = row.get(4).map_err(read)?;
        events.push(JobEventView {
            seq: row.get::<_, Option<i64>>(1).map_err(read)?.unwrap_or(0),
            at: crate::clock::to_rfc3339(crate::clock::from_unix(
                row.get::<_, i64>(2).map_err(read)?,
            )),
            actor: Actor::decode(&actor).map_err(|e| format!("job {job_id}: {e}"))?,
            event: JobEvent::decode(&event).map_err(|e| format!("job {job_id}: {e}"))?,
            detail: row.get(5).map_err(read)?,
            prev_hash: row
                .get::<_, Option<String>>(6)
                .map_err(read)?
                .unwrap_or_default(),
            hash: row
                .get::<_, Option<String>>(7)
                .map_err(read)?
                .unwrap_or_default(),
        });
        summary.events += 1;
    }
    if let Some(last) = job {
        check(last, &events)?;
        summary.chains += 1;
    }
    Ok(())
}

/// Replaces the database in `data_dir` with the verified backup `from`. The server must be
/// stopped: a database still open elsewhere is refused. The database it replaces is kept
/// beside it (`market.sqlite3.before-restore-<unix seconds>`), never deleted.
pub fn restore(from: &Path, data_dir: &Path, now_unix: i64) -> Result<Summary, String> {
    let summary = verify(from)?;
    std::fs::create_dir_all(data_dir)
        .map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
    let live = data_dir.join(DATABASE);
    let mut kept = None;
    if live.exists() {
        fold_wal_and_hold(&live)?;
        let aside = data_dir.join(format!("{DATABASE}.before-restore-{now_unix}"));
        std::fs::rename(&live, &aside)
            .map_err(|e| format!("cannot move the current database aside: {e}"))?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(data_dir.join(format!("{DATABASE}{suffix}")));
        }
        kept = Some(aside);
    }
    let partial = partial_name(&live);
    let copied = std::fs::copy(from, &partial)
        .map_err(|e| format!("cannot copy the backup: {e}"))
        .and_then(|_| sync_file(&partial))
        .and_then(|()| {
            std::fs::rename(&partial, &live).map_err(|e| format!("cannot name the database: {e}"))
        })
        .and_then(|()| sync_parent(&live));
    if let Err(error) = copied {
        let _ = std::fs::remove_file(&partial);
        if let Some(aside) = kept {
            let _ = std::fs::rename(aside, &live);
        }
        return Err(error);
    }
    if let Some(aside) = kept {
        tracing::info!(kept = %aside.display(), "the replaced database is kept");
    }
    Ok(summary)
}

/// Folds the write-ahead log into the database file, holding the database exclusively: an open
/// connection anywhere else (a running server) makes this fail instead of losing its writes.
fn fold_wal_and_hold(live: &Path) -> Result<(), String> {
    let conn =
        Connection::open(live).map_err(|e| format!("cannot open {}: {e}", live.display()))?;
    let in_use = |e: rusqlite::Error| {
        format!(
            "{} is in use ({e}); stop the server before restoring",
            live.display()
        )
    };
    conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT")
        .map_err(in_use)?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .map_err(in_use)?;
    Ok(())
}

/// Takes a backup into the schedule's folder and removes the oldest beyond `keep`. Returns the
/// new file.
pub fn scheduled(data_dir: &Path, schedule: &Schedule, now_unix: i64) -> Result<PathBuf, String> {
    std::fs::create_dir_all(&schedule.dir)
        .map_err(|e| format!("cannot create {}: {e}", schedule.dir.display()))?;
    let stamp = time::OffsetDateTime::from_unix_timestamp(now_unix)
        .map_err(|e| e.to_string())?
        .format(time::macros::format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .map_err(|e| e.to_string())?;
    let file = schedule.dir.join(format!("market-{stamp}.sqlite3"));
    backup(data_dir, &file)?;
    let mut backups: Vec<PathBuf> = std::fs::read_dir(&schedule.dir)
        .map_err(|e| format!("cannot list {}: {e}", schedule.dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("market-") && n.ends_with("Z.sqlite3"))
        })
        .collect();
    // The stamp sorts as the time it names.
    backups.sort();
    let surplus = backups.len().saturating_sub(schedule.keep.max(1));
    for old in &backups[..surplus] {
        std::fs::remove_file(old)
            .map_err(|e| format!("cannot remove the old backup {}: {e}", old.display()))?;
    }
    Ok(file)
}

fn partial_name(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

fn sync_file(path: &Path) -> Result<(), String> {
    std::fs::File::open(path)
        .and_then(|file| file.sync_all())
        .map_err(|e| format!("cannot sync {}: {e}", path.display()))
}

fn sync_parent(path: &Path) -> Result<(), String> {
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => sync_file(dir),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(dir: &Path, keep: usize) -> Schedule {
        Schedule {
            dir: dir.to_path_buf(),
            every: Duration::from_secs(3600),
            keep,
        }
    }

    fn a_database() -> tempfile::TempDir {
        let data = tempfile::tempdir().unwrap();
        crate::store::SqliteStore::open(data.path()).unwrap();
        data
    }

    #[test]
    fn a_backup_refuses_to_overwrite_a_file() {
        let data = a_database();
        let to = data.path().join("copy.sqlite3");
        std::fs::write(&to, b"precious").unwrap();
        let error = backup(data.path(), &to).unwrap_err();
        assert!(error.contains("already exists"), "{error}");
        assert_eq!(std::fs::read(&to).unwrap(), b"precious");
    }

    #[test]
    fn a_file_that_is_not_a_database_does_not_restore() {
        let data = a_database();
        let junk = data.path().join("junk");
        std::fs::write(
            &junk,
            b"not a database at all, but long enough to look like one",
        )
        .unwrap();
        let target = tempfile::tempdir().unwrap();
        assert!(restore(&junk, target.path(), 0).is_err());
        assert!(!target.path().join(DATABASE).exists());
    }

    #[test]
    fn scheduled_backups_keep_only_the_newest() {
        let data = a_database();
        let dir = tempfile::tempdir().unwrap();
        let day = 86_400;
        let first = scheduled(data.path(), &schedule(dir.path(), 2), 1_800_000_000).unwrap();
        let second = scheduled(data.path(), &schedule(dir.path(), 2), 1_800_000_000 + day).unwrap();
        let third = scheduled(
            data.path(),
            &schedule(dir.path(), 2),
            1_800_000_000 + 2 * day,
        )
        .unwrap();
        assert!(!first.exists());
        assert!(second.exists() && third.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn restoring_keeps_the_database_it_replaces() {
        let data = a_database();
        let copy = tempfile::tempdir().unwrap();
        let file = copy.path().join("b.sqlite3");
        backup(data.path(), &file).unwrap();
        let before = verify(&data.path().join(DATABASE)).unwrap();
        restore(&file, data.path(), 42).unwrap();
        let kept = data.path().join(format!("{DATABASE}.before-restore-42"));
        assert_eq!(verify(&kept).unwrap(), before);
        assert_eq!(verify(&data.path().join(DATABASE)).unwrap(), before);
    }
}
