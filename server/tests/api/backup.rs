//! Backups of the embedded database: taken while agencies bid and an enterprise posts jobs,
//! restored into a new data folder, and proven there: every write acknowledged before the
//! backup began is in it, its row counts are those of one moment, and every hash chain verifies.

use crate::helpers::*;
use crate::jobs::{agencies, bid, job_draft, published_job};
use market_domain::selection::SelectionMethod;
use market_domain::wire::{BidView, ChainAudit, JobView};
use market_server::backup;
use reqwest::StatusCode;
use rusqlite::Connection;
use std::collections::BTreeSet;
use std::path::Path;
use tokio::sync::mpsc;

/// A write the server acknowledged: the table and the id it answered with.
type Ack = (&'static str, i64);

fn count(db: &Path, table: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .unwrap()
}

fn ids(db: &Path, table: &str) -> BTreeSet<i64> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn.prepare(&format!("SELECT id FROM {table}")).unwrap();
    let ids = stmt
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    ids
}

#[tokio::test]
async fn a_backup_taken_under_write_load_restores_with_its_counts_and_every_hash_chain() {
    let app = spawn_sqlite_app().await;
    let bidders = agencies(&app, 6).await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let mut jobs = Vec::new();
    for _ in 0..5 {
        jobs.push(
            published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice))
                .await
                .id,
        );
    }

    // Writers: each agency bids on every job, the enterprise keeps posting drafts.
    let (acks, mut acked) = mpsc::unbounded_channel::<Ack>();
    let app = std::sync::Arc::new(app);
    let mut writers = tokio::task::JoinSet::new();
    for (_, client) in bidders {
        let (app, acks, jobs) = (app.clone(), acks.clone(), jobs.clone());
        writers.spawn(async move {
            for job in jobs {
                let placed = app
                    .post_as(&client, &format!("/api/jobs/{job}/bids"), &bid(10))
                    .await;
                assert_eq!(placed.status(), StatusCode::CREATED);
                let _ = acks.send(("bids", json::<BidView>(placed).await.id));
            }
        });
    }
    {
        let (app, acks, enterprise) = (app.clone(), acks.clone(), enterprise.clone());
        writers.spawn(async move {
            for _ in 0..20 {
                let created = app
                    .post_as(
                        &enterprise,
                        "/api/jobs",
                        &job_draft(SelectionMethod::LowestPrice),
                    )
                    .await;
                assert_eq!(created.status(), StatusCode::CREATED);
                let _ = acks.send(("jobs", json::<JobView>(created).await.id));
            }
        });
    }
    drop(acks);

    // Once some writes are acknowledged, back up while the rest go on.
    let mut before: Vec<Ack> = Vec::new();
    while before.len() < 10 {
        before.push(acked.recv().await.expect("writers acknowledge"));
    }
    let data = app.data_dir.path().to_path_buf();
    let copies = tempfile::tempdir().unwrap();
    let file = copies.path().join("market-backup.sqlite3");
    let taken = {
        let (data, file) = (data.clone(), file.clone());
        tokio::task::spawn_blocking(move || backup::backup(&data, &file))
    };
    let summary = taken
        .await
        .unwrap()
        .expect("the backup succeeds while serving");
    while let Some(result) = writers.join_next().await {
        result.expect("every write acknowledged");
    }
    let mut all = before.clone();
    while let Some(ack) = acked.recv().await {
        all.push(ack);
    }
    assert_eq!(all.len(), 6 * 5 + 20);

    // Restore into a new folder; the copy is what the backup reported.
    let restored = sqlite_dir();
    let again = backup::restore(&file, restored.path(), 1).expect("restores");
    assert_eq!(again, summary);
    let db = restored.path().join(backup::DATABASE);
    for (table, rows) in &summary.tables {
        assert_eq!(count(&db, table), *rows, "{table}");
    }
    assert_eq!(summary.chains, count(&db, "jobs"), "one chain per job");
    assert!(summary.chains >= 5 && summary.events > 0);
    // Everything acknowledged before the backup began is in it; nothing in it is unknown.
    for (table, id) in &before {
        assert!(
            ids(&db, table).contains(id),
            "{table} {id} acknowledged before the backup"
        );
    }
    let live = data.join(backup::DATABASE);
    assert!(ids(&db, "bids").is_subset(&ids(&live, "bids")));
    assert!(summary.tables["bids"] <= count(&live, "bids"));

    // A server started on the restored folder serves it, and its own audit finds every chain whole.
    let server = spawn_app_in(restored, Options { demo: false }).await;
    let audit: ChainAudit = json(server.get("/api/transparency/audit").await).await;
    assert!(audit.broken.is_empty(), "{:?}", audit.broken);
    assert_eq!(audit.checked_jobs, summary.chains);

    // Once the writes have stopped, a second backup holds every one of them.
    let quiet = copies.path().join("after.sqlite3");
    let after = backup::backup(&data, &quiet).unwrap();
    for (table, id) in &all {
        assert!(ids(&quiet, table).contains(id), "{table} {id}");
    }
    assert_eq!(after.tables["bids"], count(&live, "bids"));
}

#[tokio::test]
async fn a_restore_refuses_a_database_the_server_still_has_open() {
    // The check is a file lock, which a process never holds against itself: the server runs
    // as a child process, as an operator would run it.
    let dir = sqlite_dir();
    market_server::store::SqliteStore::open(dir.path()).unwrap();
    let copies = tempfile::tempdir().unwrap();
    let file = copies.path().join("b.sqlite3");
    backup::backup(dir.path(), &file).unwrap();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_market-server"))
        .args(["serve", "--addr", "127.0.0.1:0", "--no-demo", "--data-dir"])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The server has the database open once it logs that it listens.
    let mut log = std::io::BufReader::new(server.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains("listening") {
        line.clear();
        assert!(
            std::io::BufRead::read_line(&mut log, &mut line).unwrap() > 0,
            "server exited"
        );
    }
    let restore = std::process::Command::new(env!("CARGO_BIN_EXE_market-server"))
        .args(["restore", "--from"])
        .arg(&file)
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(!restore.status.success());
    let said = String::from_utf8_lossy(&restore.stderr);
    assert!(said.contains("stop the server"), "{said}");
    assert!(dir.path().join(backup::DATABASE).exists());
}
