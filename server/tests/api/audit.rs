//! The audit trail: every state change with its user, address and outcome; at least 180 days
//! of it kept whatever is asked; regulators alone read and export it.

use crate::helpers::*;
use crate::jobs::{agencies, bid, job_draft, published_job};
use market_domain::selection::SelectionMethod;
use market_domain::wire::AuditPage;
use market_server::store::AuditEntry;
use reqwest::StatusCode;
use time::{Duration, OffsetDateTime};

#[tokio::test]
async fn every_state_change_is_audited_with_its_user_address_and_outcome() {
    let app = spawn_app().await;
    let bidders = agencies(&app, 1).await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    let path = format!("/api/jobs/{}/bids", job.id);
    let placed = app.post_as(&bidders[0].1, &path, &bid(10)).await;
    assert_eq!(placed.status(), StatusCode::CREATED);
    let refused = app.post_as(&enterprise, &path, &bid(10)).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let anonymous = app.post_json(&path, &bid(10)).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    let regulator = app.signed_in(REGULATOR).await;
    let page: AuditPage = json(app.get_as(&regulator, "/api/audit").await).await;
    assert_eq!(page.next_after, None);
    let event = format!("POST {path}");
    let bids: Vec<_> = page.items.iter().filter(|r| r.event == event).collect();
    let seen: Vec<_> = bids
        .iter()
        .map(|r| (r.username.as_deref(), r.outcome.as_str(), r.ip.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            (Some("eia_agency_0"), "201", "127.0.0.1"),
            (Some(ENTERPRISE.0), "403", "127.0.0.1"),
            (None, "401", "127.0.0.1"),
        ]
    );
    assert!(bids[0].user_id.is_some());
    assert!(page
        .items
        .iter()
        .any(|r| r.event == format!("POST /api/jobs/{}/publish", job.id)
            && r.outcome == "200"
            && r.username.as_deref() == Some(ENTERPRISE.0)));
    assert!(page
        .items
        .iter()
        .any(|r| r.event == "login" && r.outcome == "success"));
    // Reads change nothing and are not recorded.
    assert!(!page.items.iter().any(|r| r.event.starts_with("GET ")));
}

#[tokio::test]
async fn regulators_alone_read_and_export_the_audit_log() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    assert_eq!(
        app.get_as(&enterprise, "/api/audit").await.status(),
        StatusCode::FORBIDDEN
    );
    let agency = app.signed_in(AGENCY).await;
    assert_eq!(
        app.get_as(&agency, "/api/audit/csv").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/audit").await.status(),
        StatusCode::UNAUTHORIZED
    );

    let regulator = app.signed_in(REGULATOR).await;
    let csv = app.get_as(&regulator, "/api/audit/csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'), "{text}");
    assert!(text.contains(",POST /api/jobs,201\r\n"), "{text}");
    assert!(text.contains(ENTERPRISE.0), "{text}");

    let reversed = app
        .get_as(&regulator, "/api/audit?from=2026-11-28&to=2026-11-01")
        .await;
    assert_error(reversed, StatusCode::BAD_REQUEST, "period_reversed").await;
    let bad = app.get_as(&regulator, "/api/audit?from=2026-13-01").await;
    let body = assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "date_invalid").await;
    assert_eq!(body.error.field.as_deref(), Some("from"));
    // A period before anything happened is empty, not an error.
    let empty: AuditPage = json(
        app.get_as(&regulator, "/api/audit?from=2020-01-01&to=2020-01-31")
            .await,
    )
    .await;
    assert!(empty.items.is_empty());
}

fn entry(at: OffsetDateTime, event: &str) -> AuditEntry {
    AuditEntry {
        at,
        user_id: None,
        username: Some("tester".into()),
        ip: "192.0.2.1".into(),
        event: event.into(),
        outcome: "200".into(),
    }
}

#[tokio::test]
async fn records_are_kept_180_days_whatever_the_server_asks_then_pruned() {
    let app = spawn_app().await;
    let now = OffsetDateTime::now_utc();
    // 181 days old: past the retention by the real date, not yet by the test clock's (a week
    // earlier), so the server's own background pruning leaves it until the clock moves.
    app.store
        .append_audit(entry(now - Duration::days(181), "old"))
        .await
        .unwrap();
    app.store
        .append_audit(entry(now - Duration::days(170), "recent"))
        .await
        .unwrap();
    // Asked to delete everything, the database refuses outright: nothing goes.
    assert!(app.store.prune_audit(now).await.is_err());
    let kept = app.store.audit_log(1_000).await.unwrap();
    assert!(kept.iter().any(|r| r.event == "old"));
    assert!(kept.iter().any(|r| r.event == "recent"));

    // The server's own pruning keeps its retention (180 days by default).
    app.clock.set(now);
    market_server::audit::prune(&app.state).await;
    let kept = app.store.audit_log(1_000).await.unwrap();
    assert!(!kept.iter().any(|r| r.event == "old"));
    assert!(kept.iter().any(|r| r.event == "recent"));
}

#[test]
fn the_retention_setting_may_only_lengthen_180_days() {
    let serve = |days: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_market-server"))
            .args(["serve", "--audit-retention-days", days, "--help"])
            .output()
            .expect("run market-server")
    };
    let refused = serve("179");
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("--audit-retention-days") && said.contains("180"),
        "{said}"
    );
    // A longer retention is accepted (`--help` then stops before anything is opened).
    assert!(serve("365").status.success());
}
