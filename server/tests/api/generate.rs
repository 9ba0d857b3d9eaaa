//! `market-server generate`: the scale data set is deterministic, covers every state through
//! the store's own rules, keeps the hash chains valid and serves as a real database.

use crate::helpers::{spawn_app_in, Options};
use market_domain::job::JobState;
use market_domain::wire::{AgencyFilter, AgencySummary, JobSummary, Page};
use market_domain::ProjectCode;
use market_server::generate::{generate, Scale};
use market_server::store::{AgencyStore, JobFilter, JobStore, SqliteStore, TransparencyStore};
use std::collections::BTreeSet;
use std::path::Path;
use time::macros::datetime;
use time::OffsetDateTime;

const AS_OF: OffsetDateTime = datetime!(2026-11-28 00:00 +08:00);

async fn generated(dir: &Path, seed: u64) -> SqliteStore {
    let store = SqliteStore::open_bulk(dir).expect("open");
    let scale = Scale {
        agencies: 60,
        jobs: 150,
        seed,
    };
    let report = generate(&store, scale, AS_OF, |_| {})
        .await
        .expect("generate");
    store.finish_bulk().expect("commit");
    assert_eq!((report.agencies, report.jobs), (60, 150));
    assert!(report.cases > 0, "{report:?}");
    store
}

async fn every_job(store: &SqliteStore) -> Vec<JobSummary> {
    let mut jobs = Vec::new();
    for page in 1.. {
        let found = store
            .list_jobs(&JobFilter {
                page,
                per_page: 100,
                ..JobFilter::default()
            })
            .await
            .unwrap();
        let done = found.items.len() < 100;
        jobs.extend(found.items);
        if done {
            break;
        }
    }
    jobs
}

async fn agencies(store: &SqliteStore) -> Page<AgencySummary> {
    let filter = AgencyFilter {
        page: 1,
        per_page: 100,
        ..AgencyFilter::default()
    };
    store
        .list_agencies(&filter, market_server::clock::city_date(AS_OF))
        .await
        .unwrap()
}

fn fingerprint(jobs: &[JobSummary]) -> Vec<(String, String, JobState, Option<u32>)> {
    jobs.iter()
        .map(|j| {
            (
                j.project_code.clone(),
                j.project_name.clone(),
                j.state,
                j.bid_count,
            )
        })
        .collect()
}

#[tokio::test]
async fn the_same_seed_generates_the_same_data_and_another_seed_other_data() {
    let (a, b, c) = (
        crate::helpers::sqlite_dir(),
        crate::helpers::sqlite_dir(),
        crate::helpers::sqlite_dir(),
    );
    let first = generated(a.path(), 7).await;
    let again = generated(b.path(), 7).await;
    let other = generated(c.path(), 8).await;
    let jobs = every_job(&first).await;
    assert_eq!(fingerprint(&jobs), fingerprint(&every_job(&again).await));
    assert_ne!(fingerprint(&jobs), fingerprint(&every_job(&other).await));
    let names =
        |page: Page<AgencySummary>| page.items.into_iter().map(|a| a.name).collect::<Vec<_>>();
    assert_eq!(names(agencies(&first).await), names(agencies(&again).await));
}

#[tokio::test]
async fn generated_jobs_reach_every_state_with_valid_codes_and_unbroken_chains() {
    let dir = crate::helpers::sqlite_dir();
    let store = generated(dir.path(), 1).await;
    let jobs = every_job(&store).await;
    // Drafts are their owners' only, so the public list holds the other 140-odd.
    assert!(jobs.len() > 120, "{}", jobs.len());
    let states: BTreeSet<_> = jobs.iter().map(|j| j.state.code()).collect();
    for state in JobState::ALL {
        if state != JobState::Draft {
            assert!(states.contains(state.code()), "no {state:?} in {states:?}");
        }
    }
    for job in &jobs {
        ProjectCode::parse(&job.project_code).expect("a valid 24-digit project code");
    }
    let names: BTreeSet<_> = agencies(&store)
        .await
        .items
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names.len(), 60, "agency names are unique");
    let audit = store.chain_audit(AS_OF).await.unwrap();
    assert!(audit.checked_events > 150 * 3, "{audit:?}");
    assert!(audit.broken.is_empty(), "{:?}", audit.broken);
}

#[tokio::test]
async fn the_server_starts_on_a_generated_database_without_adding_demo_data() {
    let dir = crate::helpers::sqlite_dir();
    drop(generated(dir.path(), 3).await);
    let app = spawn_app_in(dir, Options { demo: true }).await;
    let page: Page<AgencySummary> = app
        .get("/api/agencies?per_page=100")
        .await
        .json()
        .await
        .unwrap();
    // Exactly the generated agencies: the data folder was initialised by the generator.
    assert_eq!(page.total, 60);
    let jobs: Page<JobSummary> = app
        .get("/api/jobs?state=published")
        .await
        .json()
        .await
        .unwrap();
    assert!(jobs.total > 0);
}

#[tokio::test]
async fn the_off_platform_flag_names_exactly_the_cases_the_rule_flags_among_all() {
    use market_domain::approval::CaseSummary;
    let dir = crate::helpers::sqlite_dir();
    drop(generated(dir.path(), 5).await);
    crate::cli::create_user(
        dir.path(),
        "regulator",
        "fgw_li",
        "a long secret passphrase",
    );
    let app = spawn_app_in(dir, Options { demo: false }).await;
    let regulator = app.signed_in(("fgw_li", "a long secret passphrase")).await;

    // The rule applied to every case, read page by page.
    let mut expected = Vec::new();
    let mut path = "/api/cases?per_page=100".to_owned();
    loop {
        let page: Page<CaseSummary> = app.get_as(&regulator, &path).await.json().await.unwrap();
        expected.extend(
            page.items
                .iter()
                .filter(|c| !c.off_platform.is_empty())
                .map(|c| (c.case_number.clone(), c.off_platform.clone())),
        );
        match page.next {
            Some(next) => path = format!("/api/cases?per_page=100&after={next}"),
            None => break,
        }
    }
    assert!(
        !expected.is_empty(),
        "the generated cases include flagged ones"
    );

    let flagged: Vec<CaseSummary> = app
        .get_as(&regulator, "/api/oversight/off-platform")
        .await
        .json()
        .await
        .unwrap();
    let flagged: Vec<_> = flagged
        .into_iter()
        .map(|c| (c.case_number, c.off_platform))
        .collect();
    assert_eq!(flagged, expected);
}

/// Every row of `table`, as text, in a stable order.
fn rows_of(conn: &rusqlite::Connection, table: &str) -> Vec<String> {
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM {table}"))
        .expect("prepare");
    let width = stmt.column_count();
    let mut rows: Vec<String> = stmt
        .query_map([], |row| {
            let cells = (0..width)
                .map(|i| {
                    row.get::<_, rusqlite::types::Value>(i)
                        .map(|v| format!("{v:?}"))
                })
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(cells.join("|"))
        })
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    rows.sort();
    rows
}

#[tokio::test]
async fn a_bulk_load_ends_with_the_same_derived_tables_and_triggers_as_single_writes() {
    let (bulk, single) = (crate::helpers::sqlite_dir(), crate::helpers::sqlite_dir());
    drop(generated(bulk.path(), 3).await);
    let store = SqliteStore::open(single.path()).expect("open");
    let scale = Scale {
        agencies: 60,
        jobs: 150,
        seed: 3,
    };
    generate(&store, scale, AS_OF, |_| {})
        .await
        .expect("generate");
    drop(store);

    let open = |dir: &Path| rusqlite::Connection::open(dir.join("market.sqlite3")).expect("open");
    let (bulk, single) = (open(bulk.path()), open(single.path()));
    // The tables the load fills at its end rather than by trigger, and what they derive from.
    for table in [
        "jobs",
        // Chain hashes cover bid receipts, which are salted at random.
        "(SELECT id, job_id, seq, at, actor, event FROM job_events)",
        "job_search",
        "ocds_feed",
        "stats_volume",
        "stats_agency_awards",
        "stats_job_bids",
        "stats_bids",
        "stats_steps",
    ] {
        let (b, s) = (rows_of(&bulk, table), rows_of(&single, table));
        assert!(!s.is_empty(), "{table} is empty");
        assert_eq!(b, s, "{table} differs");
    }
    let schema = "SELECT type, name, sql FROM sqlite_master ORDER BY type, name";
    assert_eq!(
        rows_of(&bulk, &format!("({schema})")),
        rows_of(&single, &format!("({schema})"))
    );
    // Nothing is left for a server to replay.
    assert_eq!(rows_of(&bulk, "search_changes"), Vec::<String>::new());
}
