//! Defects found by trying the release build as its users would (issue 12): each test failed
//! before its fix.

use crate::helpers::*;
use crate::jobs::{agencies, bid, job_draft, published_job, WAN};
use market_domain::selection::SelectionMethod;
use market_domain::wire::JobView;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_integration_endpoint_authenticates_before_it_reads_the_body() {
    let app = spawn_app().await;
    let url = app.url("/api/integrations/approval-cases/YZSB-2026-0001/events");
    let malformed = app
        .client
        .post(&url)
        .header("Content-Type", "application/json")
        .body("{\"kind\": 12")
        .send()
        .await
        .unwrap();
    assert_error(malformed, StatusCode::UNAUTHORIZED, "not_authenticated").await;
    let wrong_token = app
        .client
        .post(&url)
        .bearer_auth("not-a-token")
        .json(&json!({ "nonsense": true }))
        .send()
        .await
        .unwrap();
    assert_error(wrong_token, StatusCode::UNAUTHORIZED, "not_authenticated").await;
}

/// A pending (not yet approved) agency: registered, never reviewed.
async fn pending_agency_id(app: &TestApp) -> i64 {
    let client = new_client();
    let registered = app
        .post_as(
            &client,
            "/api/auth/register",
            &agency_registration("pending_one", &credit_code_from("91539902MA0000077")),
        )
        .await;
    assert_eq!(registered.status(), StatusCode::CREATED);
    let me: market_domain::wire::Account = json(app.get_as(&client, "/api/auth/me").await).await;
    me.agency_id.expect("agency account")
}

fn complaint(kind: &str, id: i64) -> serde_json::Value {
    json!({
        "target": { "kind": kind, "id": id },
        "category": "quality",
        "title": "报告质量不达标",
        "description": "报告两次技术评审未通过,机构拒绝按评审意见修改,延误审批。",
        "evidence": [],
        "attachments": []
    })
}

#[tokio::test]
async fn complaints_and_credit_reveal_nothing_about_hidden_records() {
    let app = spawn_app().await;
    let pending = pending_agency_id(&app).await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let officer = app.signed_in(OFFICER).await;
    let before: Vec<serde_json::Value> = json(app.get_as(&officer, "/api/complaints").await).await;

    let refused = app
        .post_as(
            &enterprise,
            "/api/complaints",
            &complaint("agency", pending),
        )
        .await;
    let body = assert_error(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "complaint_target_unknown",
    )
    .await;
    assert!(!body.error.message.contains("云州新锐"), "{body:?}");
    assert_eq!(
        app.get(&format!("/api/agencies/{pending}/credit"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // An agency that never dealt with the demo enterprise cannot name it by id.
    let stranger = agencies(&app, 1).await.remove(0).1;
    let me: market_domain::wire::Account =
        json(app.get_as(&enterprise, "/api/auth/me").await).await;
    let probe = app
        .post_as(
            &stranger,
            "/api/complaints",
            &complaint("enterprise", me.id),
        )
        .await;
    let body = assert_error(
        probe,
        StatusCode::UNPROCESSABLE_ENTITY,
        "complaint_target_unknown",
    )
    .await;
    assert!(!body.error.message.contains(&me.organization_name));
    let after: Vec<serde_json::Value> = json(app.get_as(&officer, "/api/complaints").await).await;
    assert_eq!(before.len(), after.len(), "nothing was stored");

    // Once it has bid on one of the enterprise's jobs, it has dealt with it.
    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    let placed = app
        .post_as(&stranger, &format!("/api/jobs/{}/bids", job.id), &bid(9))
        .await;
    assert_eq!(placed.status(), StatusCode::CREATED);
    let filed = app
        .post_as(
            &stranger,
            "/api/complaints",
            &complaint("enterprise", me.id),
        )
        .await;
    assert_eq!(filed.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn names_with_invisible_or_direction_characters_are_refused() {
    let app = spawn_app().await;
    for (n, trick) in ["\u{202E}", "\u{2066}", "\u{200B}", "\u{FEFF}"]
        .iter()
        .enumerate()
    {
        let mut request = enterprise_registration(&format!("bidi_{n}"));
        request.organization_name = format!("云州{trick}钢铁集团有限公司");
        let refused = app.register(&request).await;
        let body = assert_error(
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invisible_character",
        )
        .await;
        assert_eq!(body.error.field.as_deref(), Some("organization_name"));
        assert!(
            body.error.message.contains("不可见"),
            "{}",
            body.error.message
        );
    }
}

async fn bid_status(
    app: &TestApp,
    job: &JobView,
    client: &reqwest::Client,
    price: i64,
) -> reqwest::Response {
    app.post_as(
        client,
        &format!("/api/jobs/{}/bids", job.id),
        &json!({ "price": price, "service_days": 30, "commitment": "按期提交", "proposal": "现场踏勘与编制" }),
    )
    .await
}

#[tokio::test]
async fn bids_and_drafts_have_sane_bounds_with_true_messages() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidder = agencies(&app, 1).await.remove(0).1;
    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;

    let zero = bid_status(&app, &job, &bidder, 0).await;
    let body = assert_error(zero, StatusCode::UNPROCESSABLE_ENTITY, "price_not_positive").await;
    assert_eq!(body.error.field.as_deref(), Some("price"));
    let huge = bid_status(&app, &job, &bidder, i64::MAX).await;
    let body = assert_error(huge, StatusCode::UNPROCESSABLE_ENTITY, "over_budget").await;
    assert!(
        !body.error.message.contains("负数"),
        "{}",
        body.error.message
    );
    assert_eq!(
        bid_status(&app, &job, &bidder, 9 * WAN).await.status(),
        StatusCode::CREATED
    );

    let mut draft = job_draft(SelectionMethod::LowestPrice);
    draft.deadline = "not a date".into();
    let refused = app.post_as(&enterprise, "/api/jobs", &draft).await;
    let body = assert_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "deadline_format").await;
    assert_eq!(body.error.field.as_deref(), Some("deadline"));

    let mut draft = job_draft(SelectionMethod::LowestPrice);
    draft.investment = Some(i64::MAX);
    let refused = app.post_as(&enterprise, "/api/jobs", &draft).await;
    let body = assert_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "too_large").await;
    assert_eq!(body.error.field.as_deref(), Some("investment"));
}

#[tokio::test]
async fn query_string_rejections_are_the_json_error_body() {
    let app = spawn_app().await;
    let agency = app.signed_in(AGENCY).await;
    for path in [
        "/api/notifications?before=abc",
        "/api/notifications/stream?after=abc",
    ] {
        let response = app.get_as(&agency, path).await;
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "application/json",
            "{path}"
        );
        assert_error(response, StatusCode::BAD_REQUEST, "invalid_query").await;
    }
}

#[tokio::test]
async fn a_nul_or_invisible_character_in_a_search_is_a_clear_refusal() {
    let app = spawn_app().await;
    for query in ["q=a%00b", "q=%00a", "q=%E2%80%8B"] {
        let response = app.get(&format!("/api/agencies?{query}")).await;
        let body = assert_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "query_characters",
        )
        .await;
        assert_eq!(body.error.field.as_deref(), Some("q"));
    }
}

#[tokio::test]
async fn unsupported_methods_get_405_with_the_json_error() {
    let app = spawn_app().await;
    for method in ["TRACE", "DELETE", "PATCH"] {
        let response = app
            .client
            .request(method.parse().unwrap(), app.url("/api/health"))
            .header("X-Requested-With", "market-app")
            .send()
            .await
            .unwrap();
        assert_error(
            response,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        )
        .await;
    }
    let trace = app
        .client
        .request("TRACE".parse().unwrap(), app.url("/api/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(trace.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/", "/api/health", "/agencies/1"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        let script_src = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src"))
            .unwrap();
        assert!(script_src.contains("'self'") && script_src.contains("'wasm-unsafe-eval'"));
        assert!(!script_src.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(
            headers["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        assert!(headers["permissions-policy"]
            .to_str()
            .unwrap()
            .contains("camera=()"));
        assert!(!headers.contains_key("strict-transport-security"));
    }
}

/// Reads what the stream sends within `within`, until it ends.
async fn read_until_end(
    response: &mut reqwest::Response,
    within: std::time::Duration,
) -> (String, bool) {
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, response.chunk()).await {
            Ok(Ok(Some(chunk))) => text.push_str(&String::from_utf8_lossy(&chunk)),
            Ok(_) => return (text, true),
            Err(_) => return (text, false),
        }
    }
}

#[tokio::test]
async fn a_stream_ends_with_its_session_and_each_account_holds_only_a_few() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidder = agencies(&app, 1).await.remove(0).1;
    let mut stream = app.get_as(&bidder, "/api/notifications/stream").await;
    assert_eq!(stream.status(), StatusCode::OK);
    let first = stream.chunk().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("retry"));

    let logout = app.post_as(&bidder, "/api/auth/logout", &json!({})).await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    let (after_logout, ended) =
        read_until_end(&mut stream, std::time::Duration::from_secs(5)).await;
    assert!(
        !after_logout.contains("event: notification"),
        "{after_logout}"
    );
    assert!(ended, "the stream ends once its session is gone");

    let agency = app.signed_in(AGENCY).await;
    let mut open = Vec::new();
    for _ in 0..5 {
        let response = app.get_as(&agency, "/api/notifications/stream").await;
        assert_eq!(response.status(), StatusCode::OK);
        open.push(response);
    }
    let sixth = app.get_as(&agency, "/api/notifications/stream").await;
    assert!(sixth.headers().contains_key("retry-after"));
    assert_error(sixth, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn demo_data_obeys_the_same_rules_as_real_data() {
    use market_domain::fee::JobFacts;
    use market_domain::job::JobState;
    use market_domain::selection::{fee_flags, DEFAULT_FLOOR_RATIO_BP};
    use market_domain::wire::{AgencyDetail, BidView, Page};
    let app = spawn_app().await;
    let regulator = app.signed_in(REGULATOR).await;
    let jobs: Page<market_domain::wire::JobSummary> =
        json(app.get("/api/jobs?per_page=100").await).await;
    let mut checked = 0;
    for summary in &jobs.items {
        let job: JobView = json(app.get(&format!("/api/jobs/{}", summary.id)).await).await;
        if job.state == JobState::Publicity {
            let award = job.award.as_ref().expect("an award in publicity");
            let ends = time::OffsetDateTime::parse(
                &award.publicity_ends,
                &time::format_description::well_known::Rfc3339,
            )
            .unwrap();
            assert!(
                ends > app.clock_now(),
                "job {} shows publicity that ended",
                job.id
            );
        }
        let response = app
            .get_as(&regulator, &format!("/api/jobs/{}/bids", job.id))
            .await;
        if response.status() != StatusCode::OK {
            continue;
        }
        let bids: Vec<BidView> = json(response).await;
        let terms = job.terms.parse().expect("demo terms are valid");
        for bid in bids {
            let agency: AgencyDetail = json(app.agency(bid.agency_id).await).await;
            let standard = agency
                .profile
                .fee_standards
                .iter()
                .find(|f| f.service_type() == terms.service_type)
                .expect("the bidder publishes a standard for the service");
            let facts: &JobFacts = &terms.facts;
            let expected = fee_flags(bid.price, standard, facts, DEFAULT_FLOOR_RATIO_BP).unwrap();
            assert_eq!(
                bid.flags, expected,
                "job {} bid of agency {}",
                job.id, bid.agency_id
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} demo bids were checked");
}
