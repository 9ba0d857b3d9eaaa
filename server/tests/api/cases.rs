//! Approval cases: the officer's register, integration tokens, idempotent and time-ordered
//! events, who may read a case, and the off-platform red flag.

use crate::helpers::*;
use market_domain::approval::{CaseStatus, CaseSummary, CaseView, ServiceProgress};
use market_domain::job::JobState;
use market_domain::wire::Page;
use market_domain::wire::{Account, JobView};
use market_domain::ServiceType;
use reqwest::StatusCode;
use serde_json::{json, Value};

const PROJECT: &str = "2026-539902-48-01-000901";

/// The officer registers an EIA case for the demo enterprise; returns its view.
async fn eia_case(app: &TestApp, number: &str) -> CaseView {
    let enterprise = app.signed_in(ENTERPRISE).await;
    let me: Account = json_body(app.get_as(&enterprise, "/api/auth/me").await).await;
    let officer = app.signed_in(OFFICER).await;
    let response = app
        .post_as(
            &officer,
            "/api/cases",
            &json!({
                "case_number": number,
                "project_code": PROJECT,
                "project_name": "云州市东湖片区雨水管网改造工程",
                "item_code": "eia_approval",
                "applicant_credit_code": me.credit_code.unwrap(),
                "received_at": "2026-11-28T09:00:00+08:00",
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    json_body(response).await
}

async fn json_body<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> T {
    json(response).await
}

/// A regulator creates an integration token; returns (id, token).
async fn token(app: &TestApp) -> (i64, String) {
    let regulator = app.signed_in(REGULATOR).await;
    let created: Value = json(
        app.post_as(
            &regulator,
            "/api/integration-tokens",
            &json!({"name": "省审批系统"}),
        )
        .await,
    )
    .await;
    (
        created["id"].as_i64().unwrap(),
        created["token"].as_str().unwrap().to_owned(),
    )
}

async fn send(app: &TestApp, number: &str, token: Option<&str>, body: &Value) -> reqwest::Response {
    let mut request = new_client()
        .post(app.url(&format!("/api/integrations/approval-cases/{number}/events")))
        .json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

fn status_event(id: &str, at: &str, status: &str) -> Value {
    json!({"event_id": id, "at": at, "kind": "status", "status": status, "note": ""})
}

async fn case_as_officer(app: &TestApp, id: i64) -> CaseView {
    let officer = app.signed_in(OFFICER).await;
    json(app.get_as(&officer, &format!("/api/cases/{id}")).await).await
}

#[tokio::test]
async fn integrations_need_a_live_token() {
    let app = spawn_app().await;
    eia_case(&app, "YZ-HP-2026-0001").await;
    let event = status_event("evt-1", "2026-11-29T09:00:00+08:00", "under_review");
    assert_error(
        send(&app, "YZ-HP-2026-0001", None, &event).await,
        StatusCode::UNAUTHORIZED,
        "not_authenticated",
    )
    .await;
    assert_error(
        send(&app, "YZ-HP-2026-0001", Some("yzmkt_wrong"), &event).await,
        StatusCode::UNAUTHORIZED,
        "not_authenticated",
    )
    .await;
    let (id, token) = token(&app).await;
    assert_eq!(
        send(&app, "YZ-HP-2026-0001", Some(&token), &event)
            .await
            .status(),
        StatusCode::OK
    );
    let regulator = app.signed_in(REGULATOR).await;
    assert_eq!(
        app.post_as(
            &regulator,
            &format!("/api/integration-tokens/{id}/revoke"),
            &()
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    let next = status_event("evt-2", "2026-11-30T09:00:00+08:00", "correction");
    assert_error(
        send(&app, "YZ-HP-2026-0001", Some(&token), &next).await,
        StatusCode::UNAUTHORIZED,
        "not_authenticated",
    )
    .await;
    // Only the hash is stored, and only regulators manage tokens.
    let listed: Value = json(app.get_as(&regulator, "/api/integration-tokens").await).await;
    assert!(listed[0]["token"].is_null());
    assert!(listed[0]["revoked_at"].is_string());
    let enterprise = app.signed_in(ENTERPRISE).await;
    assert_error(
        app.post_as(
            &enterprise,
            "/api/integration-tokens",
            &json!({"name": "x系统"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden_role",
    )
    .await;
}

#[tokio::test]
async fn the_same_event_twice_is_recorded_once_and_late_events_are_placed_by_time() {
    let app = spawn_app().await;
    let case = eia_case(&app, "YZ-HP-2026-0002").await;
    let (_, token) = token(&app).await;
    let review = status_event("evt-review", "2026-12-03T09:00:00+08:00", "under_review");
    for _ in 0..2 {
        let ack: Value = json(send(&app, "YZ-HP-2026-0002", Some(&token), &review).await).await;
        assert_eq!(ack["status"], "under_review");
    }
    // The correction happened before the review resumed, but arrives later.
    let correction = status_event("evt-correction", "2026-12-01T09:00:00+08:00", "correction");
    let ack: Value = json(send(&app, "YZ-HP-2026-0002", Some(&token), &correction).await).await;
    assert_eq!(ack["recorded"], true);
    let view = case_as_officer(&app, case.summary.id).await;
    let statuses: Vec<String> = view
        .events
        .iter()
        .map(|e| {
            serde_json::to_value(&e.kind).unwrap()["status"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(statuses, ["received", "correction", "under_review"]);
    assert_eq!(view.summary.status, CaseStatus::UnderReview);
    // The applicant heard of the one change of status; the late correction changed nothing now.
    let enterprise = app.signed_in(ENTERPRISE).await;
    let inbox: market_domain::notify::Inbox =
        json(app.get_as(&enterprise, "/api/notifications").await).await;
    let titles: Vec<&str> = inbox
        .items
        .iter()
        .filter(|n| n.kind == market_domain::notify::NotificationKind::CaseStatus)
        .map(|n| n.title.as_str())
        .filter(|title| title.contains("YZ-HP-2026-0002"))
        .collect();
    assert_eq!(titles, ["办件 YZ-HP-2026-0002 状态:审查中"]);
    assert!(view.events[2].source.starts_with("integration:"));
}

#[tokio::test]
async fn malformed_or_impossible_events_are_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let case = eia_case(&app, "YZ-HP-2026-0003").await;
    let (_, token) = token(&app).await;
    let refusals = [
        (
            json!({"event_id": "e1", "at": "2026-12-01T09:00:00+08:00", "kind": "status", "status": "pending"}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"event_id": "e2", "kind": "status", "status": "under_review"}),
            StatusCode::BAD_REQUEST,
        ),
        (
            status_event("bad id!", "2026-12-01T09:00:00+08:00", "under_review"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            status_event("e3", "next tuesday", "under_review"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        // Straight from 受理 to 办结:准予 skips the review.
        (
            status_event("e4", "2026-12-01T09:00:00+08:00", "approved"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        // A technical review before any report was delivered.
        (
            json!({"event_id": "e5", "at": "2026-12-01T09:00:00+08:00", "kind": "technical_review", "service_type": "env_impact", "result": "passed"}),
            StatusCode::CONFLICT,
        ),
    ];
    for (body, status) in refusals {
        let response = send(&app, "YZ-HP-2026-0003", Some(&token), &body).await;
        assert_eq!(response.status(), status, "{body}");
        let error: market_domain::wire::ErrorBody = json(response).await;
        assert!(!error.error.code.is_empty());
    }
    let history = status_event("e4", "2026-12-01T09:00:00+08:00", "approved");
    let body = assert_error(
        send(&app, "YZ-HP-2026-0003", Some(&token), &history).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_case_history",
    )
    .await;
    assert_eq!(body.error.field.as_deref(), Some("status"));
    assert_eq!(case_as_officer(&app, case.summary.id).await.events.len(), 1);
    assert_eq!(
        send(
            &app,
            "YZ-HP-2026-0099",
            Some(&token),
            &status_event("e6", "2026-12-01T09:00:00+08:00", "under_review")
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn only_the_applicant_officers_regulators_and_its_bidders_read_a_case() {
    let app = spawn_app().await;
    let case = eia_case(&app, "YZ-HP-2026-0004").await;
    let path = format!("/api/cases/{}", case.summary.id);
    let enterprise = app.signed_in(ENTERPRISE).await;
    assert_eq!(
        app.get_as(&enterprise, &path).await.status(),
        StatusCode::OK
    );
    let mine: Vec<CaseSummary> =
        json::<Page<CaseSummary>>(app.get_as(&enterprise, "/api/cases").await)
            .await
            .items;
    assert!(mine.iter().any(|c| c.id == case.summary.id));
    app.register(&enterprise_registration("other_owner")).await;
    let other = app
        .signed_in(("other_owner", "correct horse battery"))
        .await;
    assert_error(
        app.get_as(&other, &path).await,
        StatusCode::FORBIDDEN,
        "not_a_party",
    )
    .await;
    let theirs: Vec<CaseSummary> =
        json::<Page<CaseSummary>>(app.get_as(&other, "/api/cases").await)
            .await
            .items;
    assert!(theirs.is_empty());
    let agency = app.signed_in(AGENCY).await;
    assert_error(
        app.get_as(&agency, &path).await,
        StatusCode::FORBIDDEN,
        "not_a_party",
    )
    .await;
    let regulator = app.signed_in(REGULATOR).await;
    assert_eq!(app.get_as(&regulator, &path).await.status(), StatusCode::OK);
    assert_eq!(
        new_client()
            .get(app.url(&path))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // Only approval officers register cases and record their events.
    for who in [&enterprise, &regulator] {
        assert_error(
            app.post_as(
                who,
                &format!("{path}/events"),
                &status_event("x1", "2026-12-01T09:00:00+08:00", "under_review"),
            )
            .await,
            StatusCode::FORBIDDEN,
            "forbidden_role",
        )
        .await;
    }
}

#[tokio::test]
async fn a_case_in_review_without_its_service_procured_is_flagged_until_a_job_is_posted() {
    let app = spawn_app().await;
    let case = eia_case(&app, "YZ-HP-2026-0005").await;
    assert_eq!(
        case.summary.services,
        [(
            ServiceType::EnvironmentalImpact,
            ServiceProgress::NotProcured
        )]
    );
    let regulator = app.signed_in(REGULATOR).await;
    let flagged = |app: &TestApp| {
        let regulator = regulator.clone();
        let url = app.url("/api/oversight/off-platform");
        async move {
            let list: Vec<CaseSummary> = json(regulator.get(url).send().await.unwrap()).await;
            list.iter().any(|c| c.case_number == "YZ-HP-2026-0005")
        }
    };
    assert!(!flagged(&app).await, "a case just received is not flagged");
    let officer = app.signed_in(OFFICER).await;
    let moved = app
        .post_as(
            &officer,
            &format!("/api/cases/{}/events", case.summary.id),
            &status_event("review-1", "2026-11-28T10:00:00+08:00", "under_review"),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    assert!(flagged(&app).await);

    // Posting the job for the same project and approval item links it to the case.
    let enterprise = app.signed_in(ENTERPRISE).await;
    let draft = json!({
        "project_code": PROJECT, "project_name": "云州市东湖片区雨水管网改造工程",
        "approval_item": "建设项目环境影响评价审批", "approving_department": "云州市生态环境局",
        "service_type": "env_impact", "scope": "编制环境影响报告表,配合技术评审直至通过。",
        "investment": 5_000_000_000i64, "budget_ceiling": 20_000_000, "fiscal_percent": 0,
        "selection": {"kind": "lowest_price"}, "deadline": "2026-12-10T17:00:00+08:00",
        "contact_person": "王建国", "contact_phone": "0870-6123456"
    });
    let job: JobView = json(app.post_as(&enterprise, "/api/jobs", &draft).await).await;
    app.post_as(&enterprise, &format!("/api/jobs/{}/publish", job.id), &())
        .await;
    assert!(!flagged(&app).await);
    let view = case_as_officer(&app, case.summary.id).await;
    assert_eq!(
        view.services[0].progress,
        ServiceProgress::Job {
            state: JobState::Published,
            review: None
        }
    );
    assert_eq!(view.services[0].job_id, Some(job.id));
    assert!(!view.services[0].job_events.is_empty());
    let enterprise_list: Vec<CaseSummary> =
        json::<Page<CaseSummary>>(app.get_as(&enterprise, "/api/cases").await)
            .await
            .items;
    assert_eq!(
        market_domain::approval::blocker(
            enterprise_list[0].status,
            &enterprise_list[0].services,
            market_domain::Locale::ZhCn
        )
        .unwrap(),
        "等待中介服务:环境影响评价(报名中)"
    );
}

#[tokio::test]
async fn the_demo_has_cases_in_every_stage_one_needing_three_services_and_one_flagged() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let cases: Vec<CaseSummary> =
        json::<Page<CaseSummary>>(app.get_as(&enterprise, "/api/cases").await)
            .await
            .items;
    for status in CaseStatus::ALL {
        assert!(cases.iter().any(|c| c.status == status), "{status:?}");
    }
    let three = cases
        .iter()
        .find(|c| c.services.len() == 3)
        .expect("a case needing three services");
    let stages: Vec<ServiceProgress> = three.services.iter().map(|(_, p)| *p).collect();
    assert_eq!(
        stages,
        [
            ServiceProgress::Job {
                state: JobState::Published,
                review: None
            },
            ServiceProgress::Job {
                state: JobState::Delivered,
                review: Some(market_domain::approval::ReviewResult::Returned)
            },
            ServiceProgress::NotProcured,
        ]
    );
    let approved = cases
        .iter()
        .find(|c| c.status == CaseStatus::Approved)
        .unwrap();
    assert_eq!(
        approved.services[0].1,
        ServiceProgress::Job {
            state: JobState::Rated,
            review: Some(market_domain::approval::ReviewResult::Passed)
        }
    );
    let regulator = app.signed_in(REGULATOR).await;
    let flagged: Vec<CaseSummary> =
        json(app.get_as(&regulator, "/api/oversight/off-platform").await).await;
    assert_eq!(
        flagged
            .iter()
            .map(|c| c.case_number.as_str())
            .collect::<Vec<_>>(),
        ["YZSB-2026-0120"]
    );
}

#[tokio::test]
async fn cases_page_newest_first_and_cursors_reach_each_case_once() {
    let app = spawn_app().await;
    let officer = app.signed_in(OFFICER).await;
    let first: Page<CaseSummary> = json(app.get_as(&officer, "/api/cases?per_page=3").await).await;
    assert!(first.total > 3, "{}", first.total);
    let mut ids: Vec<i64> = first.items.iter().map(|c| c.id).collect();
    let mut after = first.next;
    while let Some(cursor) = after {
        let page: Page<CaseSummary> = json(
            app.get_as(&officer, &format!("/api/cases?per_page=3&after={cursor}"))
                .await,
        )
        .await;
        ids.extend(page.items.iter().map(|c| c.id));
        after = page.next;
    }
    assert_eq!(ids.len() as u64, first.total);
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len());
    let by_number: Page<CaseSummary> =
        json(app.get_as(&officer, "/api/cases?per_page=3&page=2").await).await;
    assert_eq!(
        by_number.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        ids[3..6]
    );
    assert_error(
        app.get_as(&officer, "/api/cases?after=x.1").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "bad_cursor",
    )
    .await;
}
