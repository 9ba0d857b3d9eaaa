//! Statistics: what the public and regulators see, that an award moves the figures by its
//! amounts, and that the CSV and XLSX exports hold the same numbers as the tables.

use crate::helpers::*;
use crate::jobs::{agencies, award_by_price, bid, job_draft, pass_deadline, published_job, WAN};
use calamine::{Data, Reader, Xlsx};
use market_domain::job::JobDraft;
use market_domain::selection::SelectionMethod;
use market_domain::stats::{Statistics, StatsScope, Step, Table};
use market_domain::Locale;
use reqwest::StatusCode;

async fn stats_as(app: &TestApp, client: &reqwest::Client) -> Statistics {
    let response = app.get_as(client, "/api/statistics").await;
    assert_eq!(response.status(), StatusCode::OK);
    json(response).await
}

fn env_impact(stats: &Statistics) -> market_domain::stats::VolumeRow {
    stats
        .by_service
        .iter()
        .find(|r| r.key == "env_impact")
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn the_public_sees_volumes_and_regulators_also_see_steps_and_the_ranking() {
    let app = spawn_app().await;
    let public = stats_as(&app, &new_client()).await;
    assert_eq!(public.scope, StatsScope::Public);
    assert!(public.steps.is_empty() && public.top_agencies.is_empty());
    let by_month: i64 = public.by_month.iter().map(|r| r.jobs).sum();
    let by_service: i64 = public.by_service.iter().map(|r| r.jobs).sum();
    assert!(by_month >= 10, "the demo publishes jobs: {public:?}");
    assert_eq!(by_month, by_service);
    assert_eq!(
        public.bids_per_job.len(),
        6,
        "0 to 5+ bids, every bucket present"
    );

    let regulator = app.signed_in(REGULATOR).await;
    let full = stats_as(&app, &regulator).await;
    assert_eq!(full.scope, StatsScope::Regulator);
    assert_eq!(
        full.steps.iter().map(|s| s.step).collect::<Vec<_>>(),
        Step::ALL
    );
    assert!(
        full.steps
            .iter()
            .all(|s| s.jobs > 0 && s.average_seconds > 0),
        "{:?}",
        full.steps
    );
    assert!(!full.top_agencies.is_empty());
    assert_eq!(full.by_month, public.by_month);
}

#[tokio::test]
async fn an_award_adds_its_budget_price_and_savings() {
    let app = spawn_app().await;
    let before = env_impact(&stats_as(&app, &new_client()).await);
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 2).await;
    let draft = JobDraft {
        min_bidders: 2,
        ..job_draft(SelectionMethod::LowestPrice)
    };
    let job = published_job(&app, &enterprise, &draft).await;
    for ((_, client), price) in bidders.iter().zip([9, 10]) {
        let placed = app
            .post_as(client, &format!("/api/jobs/{}/bids", job.id), &bid(price))
            .await;
        assert_eq!(placed.status(), StatusCode::CREATED);
    }
    pass_deadline(&app).await;
    award_by_price(&app, job.id).await;

    let after = env_impact(&stats_as(&app, &new_client()).await);
    assert_eq!(after.jobs - before.jobs, 1);
    assert_eq!(after.awarded - before.awarded, 1);
    assert_eq!(after.budget - before.budget, 15 * WAN);
    assert_eq!(after.award_amount - before.award_amount, 9 * WAN);
    assert_eq!(after.savings() - before.savings(), 6 * WAN);
}

fn plain_rows(table: &Table) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .map(|row| row.iter().map(|c| c.plain()).collect())
        .collect()
}

#[tokio::test]
async fn csv_exports_hold_the_tables_numbers_and_regulator_tables_stay_private() {
    let app = spawn_app().await;
    let public = stats_as(&app, &new_client()).await;
    for table in public.tables(Locale::ZhCn) {
        let response = app
            .get(&format!("/api/statistics/csv/{}.csv", table.key))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(disposition.contains(&format!("filename=\"{}.csv\"", table.key)));
        assert!(
            disposition.contains(&format!(
                "filename*=UTF-8''{}.csv",
                market_domain::wire::percent_encode(&table.title)
            )),
            "{disposition}"
        );
        let text = response.text().await.unwrap();
        let mut lines = text.trim_start_matches('\u{feff}').split("\r\n");
        assert_eq!(lines.next().unwrap(), table.columns.join(","));
        let rows: Vec<Vec<String>> = lines
            .filter(|l| !l.is_empty())
            .map(|l| l.split(',').map(str::to_owned).collect())
            .collect();
        assert_eq!(rows, plain_rows(&table), "{}", table.key);
    }
    assert_eq!(
        app.get("/api/statistics/csv/steps.csv").await.status(),
        StatusCode::NOT_FOUND
    );
    let regulator = app.signed_in(REGULATOR).await;
    assert_eq!(
        app.get_as(&regulator, "/api/statistics/csv/steps.csv")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_xlsx_export_opens_with_one_sheet_per_table_and_the_same_numbers() {
    let app = spawn_app().await;
    let regulator = app.signed_in(REGULATOR).await;
    let stats = stats_as(&app, &regulator).await;
    let response = app.get_as(&regulator, "/api/statistics/xlsx").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("a valid workbook");
    let tables = stats.tables(Locale::ZhCn);
    // Sheets are named by their Chinese titles.
    assert_eq!(
        workbook.sheet_names(),
        tables
            .iter()
            .map(|t| market_server::statistics::sheet_name(&t.title))
            .collect::<Vec<_>>()
    );
    assert!(workbook.sheet_names().contains(&"按月统计".to_owned()));
    for table in &tables {
        let range = workbook
            .worksheet_range(&market_server::statistics::sheet_name(&table.title))
            .unwrap();
        let mut rows = range.rows();
        let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
        assert_eq!(header, table.columns);
        let cells: Vec<Vec<String>> = rows
            .map(|row| {
                row.iter()
                    .zip(&table.rows[0])
                    .map(|(cell, kind)| match (cell, kind) {
                        (Data::Float(v), market_domain::stats::Cell::Yuan(_)) => format!("{v:.2}"),
                        (Data::Float(v), market_domain::stats::Cell::Days(_)) => format!("{v:.1}"),
                        (Data::Float(v), _) => format!("{v}"),
                        (Data::Int(v), _) => v.to_string(),
                        (other, _) => other.to_string(),
                    })
                    .collect()
            })
            .collect();
        assert_eq!(cells, plain_rows(table), "{}", table.key);
    }
}

#[tokio::test]
async fn a_name_written_as_a_formula_is_neutralised_in_the_csv() {
    let app = spawn_app().await;
    let hash = market_server::auth::password::hash("agency password".into())
        .await
        .unwrap();
    let mut bidders = Vec::new();
    for n in 0..3 {
        let (_, client) = crate::jobs::agency_account_with(&app, n, &hash, |draft| {
            if n == 0 {
                draft.name = "=HYPERLINK(\"http://evil.example\",\"云州环科\")".into();
            }
        })
        .await;
        bidders.push(client);
    }
    let enterprise = app.signed_in(ENTERPRISE).await;
    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    for (n, client) in bidders.iter().enumerate() {
        let placed = app
            .post_as(
                client,
                &format!("/api/jobs/{}/bids", job.id),
                &bid(9 + n as i64),
            )
            .await;
        assert_eq!(placed.status(), StatusCode::CREATED);
    }
    pass_deadline(&app).await;
    award_by_price(&app, job.id).await;

    let regulator = app.signed_in(REGULATOR).await;
    let csv = app
        .get_as(&regulator, "/api/statistics/csv/top_agencies.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\""),
        "the winner is listed, neutralised: {csv}"
    );
    for line in csv.trim_start_matches('\u{feff}').split("\r\n") {
        assert!(
            !line.starts_with(['=', '+', '-', '@']) && !line.starts_with("\"="),
            "{line}"
        );
    }
}

/// The figures as a full scan of the rows computes them (the statistics before migration 16),
/// as `(by_service, bids_per_job, steps, top_agencies)` in comparable form.
type Recomputed = (
    Vec<(String, i64, i64, i64, i64)>,
    Vec<(i64, i64)>,
    Vec<(i64, i64)>,
    Vec<(i64, i64, i64)>,
);

fn recomputed(app: &TestApp) -> Recomputed {
    let db = rusqlite::Connection::open(app.data_dir.path().join("market.sqlite3")).unwrap();
    let awards = "WITH awards AS (
        SELECT j.id AS job_id,
               CAST(json_extract(j.award, '$.candidates[' || json_extract(j.award, '$.position') || ']') AS INTEGER) AS agency_id,
               CAST(json_extract(j.award, '$.prices[' || json_extract(j.award, '$.position') || ']') AS INTEGER) AS price
        FROM jobs j WHERE j.award IS NOT NULL AND j.state NOT IN ('unsuccessful', 'cancelled'))";
    let rows = |sql: &str, width: usize| -> Vec<Vec<rusqlite::types::Value>> {
        let mut stmt = db.prepare(sql).unwrap();
        let found = stmt
            .query_map([], |row| (0..width).map(|i| row.get(i)).collect())
            .unwrap();
        found.collect::<rusqlite::Result<_>>().unwrap()
    };
    let int = |v: &rusqlite::types::Value| match v {
        rusqlite::types::Value::Integer(n) => *n,
        rusqlite::types::Value::Null => 0,
        other => panic!("{other:?}"),
    };
    let by_service = rows(
        &format!(
            "{awards} SELECT j.service_type, count(*), count(a.job_id),
                coalesce(sum(CASE WHEN a.job_id IS NOT NULL THEN json_extract(j.content, '$.budget_ceiling') END), 0),
                coalesce(sum(a.price), 0)
             FROM jobs j LEFT JOIN awards a ON a.job_id = j.id WHERE j.published_at IS NOT NULL
             GROUP BY 1 ORDER BY 2 DESC, 1"
        ),
        5,
    )
    .iter()
    .map(|r| {
        let rusqlite::types::Value::Text(key) = &r[0] else { panic!() };
        (key.clone(), int(&r[1]), int(&r[2]), int(&r[3]), int(&r[4]))
    })
    .collect();
    let bids = rows(
        "SELECT min(n, 5), count(*) FROM (
            SELECT (SELECT count(*) FROM bids b WHERE b.job_id = j.id AND b.status = 'active'
                    AND b.terms_revision = j.terms_revision) AS n
            FROM jobs j WHERE j.state NOT IN ('draft', 'published', 'cancelled')) GROUP BY 1",
        2,
    )
    .iter()
    .map(|r| (int(&r[0]), int(&r[1])))
    .collect();
    let steps = Step::ALL
        .into_iter()
        .map(|step| {
            let (starts, ends) = step.events();
            let codes = |events: &[market_domain::job::JobEvent]| {
                events.iter().map(|e| format!("'{}'", e.code())).collect::<Vec<_>>().join(", ")
            };
            let row = &rows(
                &format!(
                    "SELECT count(*), coalesce(CAST(round(avg(t_end - t_start)) AS INTEGER), 0) FROM (
                        SELECT (SELECT min(at) FROM job_events e WHERE e.job_id = j.id AND e.event IN ({})) AS t_start,
                               (SELECT min(at) FROM job_events e WHERE e.job_id = j.id AND e.event IN ({})) AS t_end
                        FROM jobs j)
                     WHERE t_start IS NOT NULL AND t_end IS NOT NULL AND t_end >= t_start",
                    codes(starts),
                    codes(ends)
                ),
                2,
            )[0];
            (int(&row[0]), int(&row[1]))
        })
        .collect();
    let top = rows(
        &format!(
            "{awards} SELECT agency_id, count(*), coalesce(sum(price), 0) FROM awards
             GROUP BY 1 ORDER BY 2 DESC, 3 DESC, 1 LIMIT 10"
        ),
        3,
    )
    .iter()
    .map(|r| (int(&r[0]), int(&r[1]), int(&r[2])))
    .collect();
    (by_service, bids, steps, top)
}

fn kept(stats: &Statistics) -> Recomputed {
    (
        stats
            .by_service
            .iter()
            .map(|r| (r.key.clone(), r.jobs, r.awarded, r.budget, r.award_amount))
            .collect(),
        stats
            .bids_per_job
            .iter()
            .filter(|b| b.jobs > 0)
            .map(|b| (b.bids, b.jobs))
            .collect(),
        stats
            .steps
            .iter()
            .map(|s| (s.jobs, s.average_seconds))
            .collect(),
        stats
            .top_agencies
            .iter()
            .map(|a| (a.agency_id, a.awards, a.amount))
            .collect(),
    )
}

/// A new job published, bid on, opened and awarded, which moves every table: the statistics
/// the server keeps at each step (the demo's, after the bids, after the award), each checked
/// against a full recomputation from the rows when `recompute` (SQLite only).
async fn a_job_s_whole_life(app: &TestApp, recompute: bool) -> Vec<Recomputed> {
    let mut seen = Vec::new();
    let regulator = app.signed_in(REGULATOR).await;
    let mut step = |stats: &Statistics| {
        let kept = kept(stats);
        if recompute {
            assert_eq!(kept, recomputed(app));
        }
        seen.push(kept);
    };
    step(&stats_as(app, &regulator).await);

    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(app, 3).await;
    let draft = JobDraft {
        min_bidders: 2,
        ..job_draft(SelectionMethod::LowestPrice)
    };
    let job = published_job(app, &enterprise, &draft).await;
    for ((_, client), price) in bidders.iter().zip([9, 10, 11]) {
        let placed = app
            .post_as(client, &format!("/api/jobs/{}/bids", job.id), &bid(price))
            .await;
        assert_eq!(placed.status(), StatusCode::CREATED);
    }
    let withdrawn = app
        .post_as(
            &bidders[2].1,
            &format!("/api/jobs/{}/bids/mine/withdraw", job.id),
            &(),
        )
        .await;
    assert!(withdrawn.status().is_success(), "{}", withdrawn.status());
    step(&stats_as(app, &regulator).await);
    pass_deadline(app).await;
    award_by_price(app, job.id).await;
    // A day has passed: the regulator signs in again.
    let regulator = app.signed_in(REGULATOR).await;
    let after = stats_as(app, &regulator).await;
    assert!(after.bids_per_job.iter().any(|b| b.bids == 2 && b.jobs > 0));
    step(&after);
    seen
}

#[tokio::test]
async fn the_kept_statistics_equal_a_full_recomputation_through_a_job_s_whole_life() {
    let app = crate::helpers::spawn_sqlite_app().await;
    a_job_s_whole_life(&app, true).await;
    // Fee-flagged awards, which credit scores count, kept with the awards.
    let db = rusqlite::Connection::open(app.data_dir.path().join("market.sqlite3")).unwrap();
    let pairs = |sql: &str| -> Vec<(i64, i64)> {
        let mut stmt = db.prepare(sql).unwrap();
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    };
    let flagged = pairs(
        "SELECT b.agency_id, count(*) FROM bids b JOIN jobs j ON j.id = b.job_id
         WHERE b.flags <> '[]' AND j.award IS NOT NULL AND j.state NOT IN ('unsuccessful', 'cancelled')
           AND CAST(json_extract(j.award, '$.candidates[' || json_extract(j.award, '$.position') || ']') AS INTEGER) = b.agency_id
         GROUP BY 1 ORDER BY 1",
    );
    assert!(!flagged.is_empty(), "the demo has fee-flagged awards");
    assert_eq!(
        pairs("SELECT agency_id, flagged FROM stats_agency_awards WHERE flagged <> 0 ORDER BY 1"),
        flagged
    );
}

#[tokio::test]
async fn the_run_s_backend_keeps_the_same_statistics_as_sqlite_through_a_job_s_whole_life() {
    // On PostgreSQL its triggers keep the tables: the same life gives the same figures at each
    // step as on SQLite, where they equal a full recomputation (the test above).
    let (reference, app) = (crate::helpers::spawn_sqlite_app().await, spawn_app().await);
    let expected = a_job_s_whole_life(&reference, false).await;
    assert_eq!(a_job_s_whole_life(&app, false).await, expected);
    let sql = "SELECT agency_id * 1000 + flagged FROM stats_agency_awards WHERE flagged <> 0";
    assert_eq!(
        crate::helpers::ids_behind_the_back(&app, sql, sql).await,
        crate::helpers::ids_behind_the_back(&reference, sql, sql).await
    );
}

#[tokio::test]
async fn the_document_names_exactly_the_tables_a_regulator_can_export() {
    let app = spawn_app().await;
    let regulator = app.signed_in(REGULATOR).await;
    let keys: Vec<String> = stats_as(&app, &regulator)
        .await
        .tables(Locale::ZhCn)
        .iter()
        .map(|t| t.key.to_string())
        .collect();
    let doc: serde_json::Value = json(app.get("/api/openapi.json").await).await;
    let parameters = &doc["paths"]["/api/statistics/csv/{table}"]["get"]["parameters"];
    let table = parameters
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "table")
        .unwrap();
    let documented: Vec<String> = table["schema"]["enum"]
        .as_array()
        .expect("an enum of table names")
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(documented, keys);
}
