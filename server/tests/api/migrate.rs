//! `market-server migrate` moves a city's SQLite data to PostgreSQL whole, or not at all.

use crate::helpers::{
    json, postgres_database, spawn_app_in, spawn_sqlite_app, Options, TestApp, TestDatabase,
    REGULATOR,
};
use market_domain::wire::ChainAudit;
use rusqlite::Connection;
use std::process::{Command, Output};

/// Runs `market-server migrate` from the app's data folder into `db`, off the test's runtime.
async fn migrate(app: &TestApp, db: &TestDatabase) -> Output {
    let (from, to) = (app.data_dir.path().to_path_buf(), db.url.clone());
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_market-server"))
            .args(["migrate", "--from"])
            .arg(from)
            .args(["--to", &to])
            .output()
            .expect("run market-server migrate")
    })
    .await
    .expect("migrate finished")
}

fn sqlite(app: &TestApp) -> Connection {
    Connection::open(app.data_dir.path().join("market.sqlite3")).expect("open the database")
}

fn sqlite_column<T: rusqlite::types::FromSql>(conn: &Connection, sql: &str) -> Vec<T> {
    let mut stmt = conn.prepare(sql).expect(sql);
    let rows = stmt
        .query_map([], |row| row.get(0))
        .expect(sql)
        .collect::<rusqlite::Result<Vec<T>>>()
        .expect(sql);
    rows
}

/// A demo city with sessions, audit entries and notifications of its own, as a real one has.
async fn lived_in_city() -> TestApp {
    let app = spawn_sqlite_app().await;
    for (username, password) in [
        ("demo_enterprise", "Qiye@2026demo"),
        ("demo_agency", "Zhongjie@2026demo"),
    ] {
        app.signed_in((username, password)).await;
    }
    assert!(
        !app.login("demo_enterprise", "wrong password")
            .await
            .status()
            .is_success(),
        "a wrong password signs in"
    );
    app
}

#[tokio::test]
async fn the_demo_city_moves_to_postgres_with_every_row_and_every_chain() {
    let app = lived_in_city().await;
    let db = postgres_database().await;

    let output = migrate(&app, &db).await;
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let source = sqlite(&app);
    let chains: Vec<i64> = sqlite_column(&source, "SELECT count(DISTINCT job_id) FROM job_events");
    let events: Vec<i64> = sqlite_column(&source, "SELECT count(*) FROM job_events");
    assert!(
        chains[0] > 0 && events[0] > chains[0],
        "the demo city has job histories"
    );
    assert!(
        printed.contains(&format!("job hash chains ({} events)", events[0]))
            && printed.contains(&format!("and {} job hash chains", chains[0])),
        "{printed}"
    );

    let pg = market_server::store::postgres::connect(&db.url)
        .await
        .expect("connect");
    // Every table, row for row, including those only a lived-in city fills.
    for table in sqlite_column::<String>(
        &source,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'",
    ) {
        let from: Vec<i64> = sqlite_column(&source, &format!("SELECT count(*) FROM {table}"));
        let to: i64 = pg
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .await
            .expect(&table)
            .get(0);
        assert_eq!(from[0], to, "{table}");
        assert!(
            printed.contains(&format!("{table}: {to} rows")),
            "{table} missing from the report: {printed}"
        );
    }
    for table in ["sessions", "audit_log", "login_failures", "notifications"] {
        let rows: i64 = pg
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .await
            .unwrap()
            .get(0);
        assert!(rows > 0, "{table} is empty: the test city did not live");
    }

    // The chain's bytes, in order.
    let hashes: Vec<String> = sqlite_column(&source, "SELECT hash FROM job_events ORDER BY id");
    let copied: Vec<String> = pg
        .query("SELECT hash FROM job_events ORDER BY id", &[])
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(hashes, copied);

    // New rows get ids after every id SQLite handed out, deleted ones included.
    let handed_out: Vec<i64> = sqlite_column(
        &source,
        "SELECT seq FROM sqlite_sequence WHERE name = 'notifications'",
    );
    let next: i64 = pg
        .query_one(
            "INSERT INTO notifications (user_id, kind, title, body, link, created_at)
             SELECT min(id), 'bid_received', 't', 'b', '/', 0 FROM users RETURNING id",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(next, handed_out[0] + 1);

    // Served from PostgreSQL, the city reads as it did from SQLite: the directory, the
    // statistics, the red flags, and a full audit of the chains to the same current root.
    let served = {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("postgres-url"), &db.url).expect("name the database");
        spawn_app_in(dir, Options { demo: true }).await
    };
    for path in [
        "/api/agencies?per_page=100",
        "/api/statistics",
        "/api/jobs?per_page=100",
    ] {
        let (before, after): (serde_json::Value, serde_json::Value) = (
            json(app.get(path).await).await,
            json(served.get(path).await).await,
        );
        assert_eq!(before, after, "{path}");
    }
    let (regulator_before, regulator_after) = (
        app.signed_in(REGULATOR).await,
        served.signed_in(REGULATOR).await,
    );
    let flags = |app: &TestApp, client: &reqwest::Client| {
        let request = client.get(app.url("/api/oversight/red-flags"));
        // The flags, not the rules' text: each backend shows the SQL it runs.
        async move {
            let report = request
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await;
            report.unwrap()["flags"].clone()
        }
    };
    assert_eq!(
        flags(&app, &regulator_before).await,
        flags(&served, &regulator_after).await
    );
    let (audit_before, audit_after): (ChainAudit, ChainAudit) = (
        json(app.get("/api/transparency/audit").await).await,
        json(served.get("/api/transparency/audit").await).await,
    );
    assert!(audit_after.broken.is_empty() && audit_after.root_mismatches.is_empty());
    assert_eq!(audit_after.checked_events, events[0]);
    assert_eq!(audit_after.current_root, audit_before.current_root);

    // The copy's triggers are back on: the audit log refuses an edit.
    let edit = pg
        .execute("UPDATE audit_log SET outcome = 'success'", &[])
        .await
        .expect_err("the audit log is append-only");
    let message = edit.as_db_error().map(|db| db.message().to_owned());
    assert_eq!(message.as_deref(), Some("audit_log is append-only"));
}

#[tokio::test]
async fn a_migration_into_a_database_that_holds_data_is_refused() {
    let app = spawn_sqlite_app().await;
    let db = postgres_database().await;
    assert!(migrate(&app, &db).await.status.success());

    let again = migrate(&app, &db).await;
    assert!(!again.status.success());
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(said.contains("already holds data"), "{said}");

    let pg = market_server::store::postgres::connect(&db.url)
        .await
        .unwrap();
    let users: i64 = pg
        .query_one("SELECT count(*) FROM users", &[])
        .await
        .unwrap()
        .get(0);
    let source: Vec<i64> = sqlite_column(&sqlite(&app), "SELECT count(*) FROM users");
    assert_eq!(users, source[0], "the second run changed the first copy");
}

#[tokio::test]
async fn an_altered_job_history_stops_the_migration_and_leaves_postgres_empty() {
    let app = spawn_sqlite_app().await;
    let edited: i64 = {
        let conn = sqlite(&app);
        // What an attacker with the database file could do: the trigger is no obstacle.
        conn.execute_batch(
            "DROP TRIGGER job_events_are_append_only_update;
             UPDATE job_events SET detail = detail || '（改）'
             WHERE id = (SELECT max(id) FROM job_events WHERE seq = 2);",
        )
        .expect("edit an event");
        sqlite_column(
            &conn,
            "SELECT job_id FROM job_events WHERE detail LIKE '%（改）'",
        )[0]
    };
    let db = postgres_database().await;

    let output = migrate(&app, &db).await;
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains(&format!("job {edited}'s hash chain does not verify")),
        "{said}"
    );

    let pg = market_server::store::postgres::connect(&db.url)
        .await
        .unwrap();
    for table in ["users", "jobs", "job_events"] {
        let rows: i64 = pg
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(rows, 0, "{table} kept rows of a copy that did not verify");
    }
}
