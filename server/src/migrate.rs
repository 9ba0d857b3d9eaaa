//! `market-server migrate`: moves a city's data from the embedded SQLite database to
//! PostgreSQL, then proves the copy: every table's row count, and every job's hash chain
//! recomputed from the copied rows with the same head as the original.

use crate::store::postgres::{self, describe};
use crate::store::SqliteStore;
use futures_util::StreamExt;
use market_domain::chain;
use market_domain::code::Code;
use market_domain::job::{Actor, JobEvent, JobEventView};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::path::Path;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, GenericClient};

/// What a finished migration copied and checked (and what a verified backup holds).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Rows per table, equal on both sides.
    pub tables: BTreeMap<String, i64>,
    /// Jobs whose chain was recomputed from the copied events, and those events.
    pub chains: i64,
    pub events: i64,
}

impl Report {
    /// The report as the command prints it.
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .tables
            .iter()
            .map(|(table, rows)| format!("{table}: {rows} rows"))
            .collect();
        lines.push(format!(
            "verified {} tables' row counts and {} job hash chains ({} events)",
            self.tables.len(),
            self.chains,
            self.events
        ));
        lines
    }
}

/// Tables no migration copies: SQLite's own bookkeeping, PostgreSQL's migration record and
/// the places of running instances in the search feed.
fn copied(table: &str) -> bool {
    !table.starts_with("sqlite_") && !["schema_migrations", "search_readers"].contains(&table)
}

/// Copies everything in `data_dir`'s database into the (empty) database at `url`, in one
/// transaction, and verifies it. Nothing is written to PostgreSQL unless the copy is whole.
pub async fn sqlite_to_postgres(data_dir: &Path, url: &str) -> Result<Report, String> {
    let file = data_dir.join("market.sqlite3");
    if !file.exists() {
        return Err(format!("no database at {}", file.display()));
    }
    // Brings an older database up to the schema PostgreSQL mirrors, as a start of the server
    // would.
    drop(SqliteStore::open(data_dir).map_err(|e| format!("cannot open {}: {e}", file.display()))?);
    let sqlite = Connection::open_with_flags(&file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    // One read transaction: the copy and its check see one snapshot, whatever a running
    // server writes meanwhile.
    sqlite.execute_batch("BEGIN").map_err(|e| e.to_string())?;
    let version = sqlite
        .query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0))
        .map_err(|e| e.to_string())? as usize;
    if version != postgres::migrations::MIRRORS_SQLITE_VERSION {
        return Err(format!(
            "the SQLite database is at schema version {version}; this server's PostgreSQL \
             schema mirrors version {}",
            postgres::migrations::MIRRORS_SQLITE_VERSION
        ));
    }

    let mut client = postgres::connect(url)
        .await
        .map_err(|e| format!("cannot connect to PostgreSQL: {}", describe(&e)))?;
    postgres::migrations::apply(&mut client)
        .await
        .map_err(|e| format!("cannot prepare the PostgreSQL schema: {}", describe(&e)))?;

    let tables = sqlite_tables(&sqlite)?;
    let target = postgres_tables(&client).await?;
    let missing: Vec<_> = tables.iter().filter(|t| !target.contains(t)).collect();
    let extra: Vec<_> = target.iter().filter(|t| !tables.contains(t)).collect();
    if !missing.is_empty() || !extra.is_empty() {
        return Err(format!(
            "the schemas differ: only in SQLite {missing:?}, only in PostgreSQL {extra:?}"
        ));
    }
    for table in &tables {
        // Migration 1 sets up the counters' row; everything else must be empty.
        if table == "counters" {
            continue;
        }
        let rows = pg_count(&client, table).await?;
        if rows > 0 {
            return Err(format!(
                "the PostgreSQL database already holds data ({rows} rows in {table}); \
                 migrate into a new, empty database"
            ));
        }
    }

    copy(&sqlite, &mut client, &tables).await
}

pub(crate) fn sqlite_tables(sqlite: &Connection) -> Result<Vec<String>, String> {
    let mut stmt = sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .map_err(|e| e.to_string())?;
    let names = stmt
        .query_map([], |row| row.get::<_, String>(0))
        .map_err(|e| e.to_string())?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(|e| e.to_string())?;
    Ok(names.into_iter().filter(|t| copied(t)).collect())
}

async fn postgres_tables(client: &Client) -> Result<Vec<String>, String> {
    let rows = client
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
             ORDER BY 1",
            &[],
        )
        .await
        .map_err(|e| describe(&e))?;
    Ok(rows
        .iter()
        .map(|row| row.get::<_, String>(0))
        .filter(|t| copied(t))
        .collect())
}

/// Quotes an identifier read from a schema, for both dialects.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

async fn pg_count(client: &impl GenericClient, table: &str) -> Result<i64, String> {
    client
        .query_one(&format!("SELECT count(*) FROM {}", quoted(table)), &[])
        .await
        .map(|row| row.get(0))
        .map_err(|e| describe(&e))
}

pub(crate) fn sqlite_count(sqlite: &Connection, table: &str) -> Result<i64, String> {
    sqlite
        .query_row(
            &format!("SELECT count(*) FROM {}", quoted(table)),
            [],
            |row| row.get(0),
        )
        .map_err(|e| e.to_string())
}

/// A table's columns in SQLite's order, with their PostgreSQL types.
async fn columns(
    sqlite: &Connection,
    client: &impl GenericClient,
    table: &str,
) -> Result<Vec<(String, Type)>, String> {
    let mut stmt = sqlite
        .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
        .map_err(|e| e.to_string())?;
    let names = stmt
        .query_map([table], |row| row.get::<_, String>(0))
        .map_err(|e| e.to_string())?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(|e| e.to_string())?;
    let rows = client
        .query(
            "SELECT column_name::text, data_type::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1",
            &[&table],
        )
        .await
        .map_err(|e| describe(&e))?;
    let types: BTreeMap<String, String> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    if types.len() != names.len() {
        return Err(format!(
            "{table} has columns {names:?} in SQLite but {:?} in PostgreSQL",
            types.keys().collect::<Vec<_>>()
        ));
    }
    names
        .into_iter()
        .map(|name| {
            let ty = match types.get(&name).map(String::as_str) {
                Some("bigint") => Type::INT8,
                Some("text") => Type::TEXT,
                Some("bytea") => Type::BYTEA,
                Some("boolean") => Type::BOOL,
                other => {
                    return Err(format!(
                        "{table}.{name} has type {other:?} in PostgreSQL, which a copy cannot fill"
                    ))
                }
            };
            Ok((name, ty))
        })
        .collect()
}

/// One SQLite value as the PostgreSQL column's type, or why it cannot be.
fn cell(value: ValueRef<'_>, ty: &Type) -> Result<Box<dyn ToSql + Sync + Send>, String> {
    Ok(match (value, ty) {
        (ValueRef::Null, t) if *t == Type::INT8 => Box::new(None::<i64>),
        (ValueRef::Null, t) if *t == Type::BOOL => Box::new(None::<bool>),
        (ValueRef::Null, t) if *t == Type::BYTEA => Box::new(None::<Vec<u8>>),
        (ValueRef::Null, _) => Box::new(None::<String>),
        (ValueRef::Integer(n), t) if *t == Type::INT8 => Box::new(n),
        (ValueRef::Integer(n @ (0 | 1)), t) if *t == Type::BOOL => Box::new(n == 1),
        (ValueRef::Text(text), t) if *t == Type::TEXT => Box::new(
            std::str::from_utf8(text)
                .map_err(|_| "text that is not UTF-8".to_string())?
                .to_owned(),
        ),
        (ValueRef::Blob(bytes), t) if *t == Type::BYTEA => Box::new(bytes.to_vec()),
        (other, t) => {
            return Err(format!(
                "a {:?} value where {t} is expected",
                other.data_type()
            ))
        }
    })
}

/// Copies every table with the target's triggers set aside (the derived tables they keep are
/// copied as they are) and its foreign keys checked at the end, moves each id sequence past
/// the highest id SQLite ever handed out, and commits only once the copy verifies.
async fn copy(
    sqlite: &Connection,
    client: &mut Client,
    tables: &[String],
) -> Result<Report, String> {
    let tx = client.transaction().await.map_err(|e| describe(&e))?;
    tx.batch_execute("SET CONSTRAINTS ALL DEFERRED; DELETE FROM counters")
        .await
        .map_err(|e| describe(&e))?;
    for table in tables {
        tx.batch_execute(&format!(
            "ALTER TABLE {} DISABLE TRIGGER USER",
            quoted(table)
        ))
        .await
        .map_err(|e| describe(&e))?;
    }
    for table in tables {
        let columns = columns(sqlite, &tx, table).await?;
        let names: Vec<String> = columns.iter().map(|(name, _)| quoted(name)).collect();
        let types: Vec<Type> = columns.iter().map(|(_, ty)| ty.clone()).collect();
        let sink = tx
            .copy_in(&format!(
                "COPY {} ({}) FROM STDIN BINARY",
                quoted(table),
                names.join(", ")
            ))
            .await
            .map_err(|e| describe(&e))?;
        let writer = BinaryCopyInWriter::new(sink, &types);
        futures_util::pin_mut!(writer);
        let mut stmt = sqlite
            .prepare(&format!(
                "SELECT {} FROM {}",
                names.join(", "),
                quoted(table)
            ))
            .map_err(|e| e.to_string())?;
        let mut rows = stmt.query([]).map_err(|e| e.to_string())?;
        let mut copied = 0_u64;
        while let Some(row) = rows.next().map_err(|e| e.to_string())? {
            let mut values = Vec::with_capacity(types.len());
            for (index, (name, ty)) in columns.iter().enumerate() {
                let value = row.get_ref(index).map_err(|e| e.to_string())?;
                values.push(
                    cell(value, ty)
                        .map_err(|why| format!("{table}.{name}, row {}: {why}", copied + 1))?,
                );
            }
            let refs: Vec<&(dyn ToSql + Sync)> = values
                .iter()
                .map(|v| v.as_ref() as &(dyn ToSql + Sync))
                .collect();
            writer
                .as_mut()
                .write(&refs)
                .await
                .map_err(|e| format!("{table}: {}", describe(&e)))?;
            copied += 1;
        }
        writer
            .finish()
            .await
            .map_err(|e| format!("{table}: {}", describe(&e)))?;
        tracing::info!(table, rows = copied, "copied");
    }
    // Identity columns: the next id follows SQLite's highest, including ids of deleted rows
    // where SQLite kept them (AUTOINCREMENT), so an id is never handed out twice.
    let identities = tx
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND is_identity = 'YES'",
            &[],
        )
        .await
        .map_err(|e| describe(&e))?;
    for row in identities {
        let (table, column): (String, String) = (row.get(0), row.get(1));
        let used: i64 = sqlite
            .query_row(
                "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?1), 0)",
                [&table],
                |row| row.get(0),
            )
            .or_else(|_| Ok::<i64, rusqlite::Error>(0))
            .map_err(|e| e.to_string())?;
        tx.execute(
            &format!(
                "SELECT setval(pg_get_serial_sequence($1, $2),
                               greatest((SELECT max({col}) FROM {tab}), $3, 1),
                               (SELECT max({col}) FROM {tab}) IS NOT NULL OR $3 > 0)",
                col = quoted(&column),
                tab = quoted(&table)
            ),
            &[&quoted(&table), &column, &used],
        )
        .await
        .map_err(|e| format!("{table}: {}", describe(&e)))?;
    }
    // The deferred foreign-key checks run now: a table with pending checks cannot be altered.
    tx.batch_execute("SET CONSTRAINTS ALL IMMEDIATE")
        .await
        .map_err(|e| format!("the copied rows break a reference: {}", describe(&e)))?;
    for table in tables {
        tx.batch_execute(&format!(
            "ALTER TABLE {} ENABLE TRIGGER USER",
            quoted(table)
        ))
        .await
        .map_err(|e| describe(&e))?;
    }
    let report = verify(sqlite, &tx, tables).await?;
    tx.commit()
        .await
        .map_err(|e| format!("the copy was not committed: {}", describe(&e)))?;
    Ok(report)
}

/// Row counts on both sides, then every job's chain recomputed from the copied events.
async fn verify(
    sqlite: &Connection,
    client: &impl GenericClient,
    tables: &[String],
) -> Result<Report, String> {
    let mut report = Report::default();
    for table in tables {
        let (from, to) = (sqlite_count(sqlite, table)?, pg_count(client, table).await?);
        if from != to {
            return Err(format!(
                "{table} has {from} rows in SQLite but {to} in PostgreSQL"
            ));
        }
        report.tables.insert(table.clone(), to);
    }
    let heads: BTreeMap<i64, String> = {
        let mut stmt = sqlite
            .prepare(
                "SELECT e.job_id, e.hash FROM job_events e
                 JOIN (SELECT job_id, max(seq) AS seq FROM job_events GROUP BY job_id) h
                   ON h.job_id = e.job_id AND h.seq = e.seq",
            )
            .map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(|e| e.to_string())?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| e.to_string())?;
        rows
    };
    // Streamed: at a provincial scale the events do not fit in memory at once.
    let rows = client
        .query_raw(
            "SELECT job_id, seq, at, actor, event, detail, prev_hash, hash FROM job_events
             ORDER BY job_id, seq",
            std::iter::empty::<&(dyn ToSql + Sync)>(),
        )
        .await
        .map_err(|e| describe(&e))?;
    futures_util::pin_mut!(rows);
    let mut job: Option<i64> = None;
    let mut events: Vec<JobEventView> = Vec::new();
    let check = |job_id: i64, events: &[JobEventView]| -> Result<(), String> {
        let head = chain::verify(job_id, events).map_err(|link| {
            format!(
                "job {job_id}'s hash chain does not verify after the copy: {}",
                link.message(market_domain::Locale::En)
            )
        })?;
        if heads.get(&job_id) != Some(&head) {
            return Err(format!(
                "job {job_id}'s chain head differs between SQLite and PostgreSQL"
            ));
        }
        Ok(())
    };
    while let Some(row) = rows.next().await {
        let row = row.map_err(|e| describe(&e))?;
        let job_id: i64 = row.get(0);
        if job != Some(job_id) {
            if let Some(previous) = job {
                check(previous, &events)?;
                report.chains += 1;
                events.clear();
            }
            job = Some(job_id);
        }
        let actor: String = row.get(3);
        let event: String = row.get(4);
        events.push(JobEventView {
            seq: row.get::<_, Option<i64>>(1).unwrap_or(0),
            at: crate::clock::to_rfc3339(crate::clock::from_unix(row.get::<_, i64>(2))),
            actor: Actor::decode(&actor).map_err(|e| format!("job {job_id}: {e}"))?,
            event: JobEvent::decode(&event).map_err(|e| format!("job {job_id}: {e}"))?,
            detail: row.get(5),
            prev_hash: row.get::<_, Option<String>>(6).unwrap_or_default(),
            hash: row.get::<_, Option<String>>(7).unwrap_or_default(),
        });
        report.events += 1;
    }
    if let Some(last) = job {
        check(last, &events)?;
        report.chains += 1;
    }
    if report.chains != heads.len() as i64 {
        return Err(format!(
            "{} jobs have events in SQLite but {} in PostgreSQL",
            heads.len(),
            report.chains
        ));
    }
    Ok(report)
}
