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
