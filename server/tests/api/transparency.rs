//! The job log's hash chain, daily roots and audit, against edits made behind the server's back
//! (on either backend).

use crate::helpers::{behind_the_back, json, quoted, spawn_app};
use market_domain::chain;
use market_domain::wire::{ChainAudit, ChainCheck, DailyRootView, JobEventView, JobSummary, Page};
use reqwest::StatusCode;

async fn a_public_job_with_events(app: &crate::helpers::TestApp) -> (i64, Vec<JobEventView>) {
    let page: Page<JobSummary> = json(app.get("/api/jobs?per_page=50").await).await;
    for job in page.items {
        let events: Vec<JobEventView> =
            json(app.get(&format!("/api/jobs/{}/events", job.id)).await).await;
        if events.len() >= 3 {
            return (job.id, events);
        }
    }
    panic!("the demo data has a public job with three events");
}

#[tokio::test]
async fn demo_history_verifies_and_past_days_have_roots() {
    let app = spawn_app().await;
    let audit: ChainAudit = json(app.get("/api/transparency/audit").await).await;
    assert!(audit.checked_jobs >= 10, "{audit:?}");
    assert!(audit.broken.is_empty(), "{:?}", audit.broken);
    assert!(audit.root_mismatches.is_empty());

    let roots: Vec<DailyRootView> = json(app.get("/api/transparency/roots").await).await;
    assert!(!roots.is_empty());
    assert!(
        roots.iter().all(|r| r.day.as_str() < "2026-11-28"),
        "today stays open"
    );

    let (job_id, events) = a_public_job_with_events(&app).await;
    assert_eq!(
        chain::verify(job_id, &events),
        Ok(events.last().unwrap().hash.clone())
    );
    let check: ChainCheck = json(app.get(&format!("/api/jobs/{job_id}/chain")).await).await;
    assert_eq!(
        check.head.as_deref(),
        Some(events.last().unwrap().hash.as_str())
    );
    assert_eq!(check.broken, None);
}

#[tokio::test]
async fn an_event_edited_in_the_database_is_reported_at_that_event() {
    let app = spawn_app().await;
    let (job_id, _) = a_public_job_with_events(&app).await;
    let edit = format!(
        "UPDATE job_events SET detail = detail || '(改)' WHERE job_id = {job_id} AND seq = 2"
    );
    let refused = behind_the_back(&app, &edit, &edit).await;
    assert!(
        refused.is_err(),
        "the append-only trigger guards linked rows"
    );

    behind_the_back(
        &app,
        &format!("DROP TRIGGER job_events_are_append_only_update; {edit}"),
        &format!(
            "ALTER TABLE job_events DISABLE TRIGGER job_events_are_append_only_update; {edit}"
        ),
    )
    .await
    .unwrap();

    let check: ChainCheck = json(app.get(&format!("/api/jobs/{job_id}/chain")).await).await;
    let broken = check.broken.expect("the edit is found");
    assert_eq!((broken.seq, broken.code.as_str()), (2, "altered"));

    let audit: ChainAudit = json(app.get("/api/transparency/audit").await).await;
    assert_eq!(audit.broken.len(), 1);
    assert_eq!(audit.broken[0].job_id, job_id);

    // The browser runs the same domain check on what the API returns.
    let events: Vec<JobEventView> =
        json(app.get(&format!("/api/jobs/{job_id}/events")).await).await;
    assert_eq!(
        chain::verify(job_id, &events),
        Err(chain::BrokenLink::Altered { seq: 2 })
    );
}

#[tokio::test]
async fn a_rewritten_chain_no_longer_matches_the_sealed_daily_root() {
    let app = spawn_app().await;
    let roots: Vec<DailyRootView> = json(app.get("/api/transparency/roots").await).await;
    let (job_id, events) = a_public_job_with_events(&app).await;
    let last = events.last().unwrap();
    // An insider rewrites the last event and recomputes its hash, so the chain itself verifies.
    let forged_detail = format!("{}(改)", last.detail);
    let at = market_domain::format::unix_seconds(&last.at).unwrap();
    let forged_hash = chain::link_hash(
        job_id,
        last.seq,
        at,
        last.actor,
        last.event,
        &forged_detail,
        &last.prev_hash,
    );
    let forge = format!(
        "UPDATE job_events SET detail = {}, hash = {} WHERE job_id = {job_id} AND seq = {}",
        quoted(&forged_detail),
        quoted(&forged_hash),
        last.seq
    );
    behind_the_back(
        &app,
        &format!("DROP TRIGGER job_events_are_append_only_update; {forge}"),
        &format!(
            "ALTER TABLE job_events DISABLE TRIGGER job_events_are_append_only_update; {forge}"
        ),
    )
    .await
    .unwrap();

    let audit: ChainAudit = json(app.get("/api/transparency/audit").await).await;
    assert!(
        audit.broken.is_empty(),
        "the forged chain is self-consistent"
    );
    let last_day = market_domain::format::timestamp(&last.at, market_domain::Locale::En);
    assert!(
        !audit.root_mismatches.is_empty(),
        "a sealed root covering {last_day} must differ: {roots:?}"
    );
}

#[tokio::test]
async fn chains_of_drafts_stay_private() {
    let app = spawn_app().await;
    let response = app.get("/api/jobs/999999/chain").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_rewritten_daily_root_is_found_at_its_day_and_the_day_after() {
    let app = spawn_app().await;
    let roots: Vec<DailyRootView> = json(app.get("/api/transparency/roots").await).await;
    assert!(roots.len() >= 2, "the demo history spans several days");
    assert!(roots.iter().all(|r| r.scheme == 2));
    // Newest first: forge the second newest, so a later root was chained to it.
    let forged_day = roots[1].day.clone();
    let forge = format!(
        "UPDATE chain_roots SET root = {} WHERE day = {}",
        quoted(chain::GENESIS),
        quoted(&forged_day)
    );
    behind_the_back(
        &app,
        &format!("DROP TRIGGER chain_roots_append_only_update; {forge}"),
        &format!("ALTER TABLE chain_roots DISABLE TRIGGER chain_roots_append_only; {forge}"),
    )
    .await
    .unwrap();

    let audit: ChainAudit = json(app.get("/api/transparency/audit").await).await;
    let days: Vec<&str> = audit
        .root_mismatches
        .iter()
        .map(|m| m.day.as_str())
        .collect();
    assert_eq!(days, [forged_day.as_str(), roots[0].day.as_str()]);
}
