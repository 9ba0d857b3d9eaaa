//! Complaints: the whole flow, every role's refusals, deadlines, anonymised publication, the
//! suspension proposed after three upheld quality complaints, and the credit score.

use crate::helpers::*;
use market_domain::complaint::{ComplaintStatus, ComplaintView, SuspensionProposal};
use market_domain::credit::{CreditFactor, CreditRecord};
use market_domain::wire::Account;
use reqwest::StatusCode;
use serde_json::{json, Value};
use time::Duration;

async fn demo_agency_id(app: &TestApp) -> i64 {
    let agency = app.signed_in(AGENCY).await;
    let me: Account = json(app.get_as(&agency, "/api/auth/me").await).await;
    me.agency_id.unwrap()
}

pub(crate) fn complaint_against(agency_id: i64, category: &str) -> Value {
    json!({
        "target": { "kind": "agency", "id": agency_id },
        "category": category,
        "title": "报告质量严重不达标",
        "description": "环评报告表两次技术评审未通过,机构拒绝按评审意见修改,延误审批近两个月。",
        "evidence": ["项目 #3 技术评审意见"],
        "attachments": [{ "name": "技术评审意见", "text": "监测数据缺失,预测模型参数不合理。" }]
    })
}

async fn file(app: &TestApp, client: &reqwest::Client, body: &Value) -> ComplaintView {
    let response = app.post_as(client, "/api/complaints", body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    json(response).await
}

async fn act(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    action: &str,
    body: &Value,
) -> reqwest::Response {
    app.post_as(client, &format!("/api/complaints/{id}/{action}"), body)
        .await
}

#[tokio::test]
async fn a_complaint_goes_from_filing_to_a_published_anonymous_outcome() {
    let app = spawn_app().await;
    let agency_id = demo_agency_id(&app).await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let regulator = app.signed_in(REGULATOR).await;
    let agency = app.signed_in(AGENCY).await;

    let filed = file(&app, &enterprise, &complaint_against(agency_id, "quality")).await;
    assert_eq!(filed.status, ComplaintStatus::Filed);
    assert!(filed.due_at.is_some() && !filed.overdue);
    // Before acceptance the respondent does not see it.
    assert_eq!(
        app.get_as(&agency, &format!("/api/complaints/{}", filed.id))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let queue: Vec<ComplaintView> = json(app.get_as(&regulator, "/api/complaints").await).await;
    assert!(queue.iter().any(|c| c.id == filed.id && c.can_accept));

    let accepted: ComplaintView = json(
        act(
            &app,
            &regulator,
            filed.id,
            "accept",
            &json!({ "text": "材料齐全,予以受理" }),
        )
        .await,
    )
    .await;
    assert_eq!(accepted.status, ComplaintStatus::Accepted);
    let seen: ComplaintView = json(
        app.get_as(&agency, &format!("/api/complaints/{}", filed.id))
            .await,
    )
    .await;
    assert!(seen.can_answer);

    let answered: ComplaintView = json(
        act(
            &app,
            &agency,
            filed.id,
            "answer",
            &json!({ "text": "已按评审意见补充监测数据并重新提交。" }),
        )
        .await,
    )
    .await;
    assert_eq!(answered.status, ComplaintStatus::Answered);

    let decided: ComplaintView = json(
        act(
            &app,
            &regulator,
            filed.id,
            "decide",
            &json!({ "upheld": true, "reason": "经核查,报告质量问题属实" }),
        )
        .await,
    )
    .await;
    assert_eq!(decided.status, ComplaintStatus::Upheld);
    assert!(decided.due_at.is_none());

    // Published to anyone, without the complainant, the evidence or the attachments.
    let public: Vec<ComplaintView> = json(app.get("/api/complaints?scope=published").await).await;
    let outcome = public.iter().find(|c| c.id == filed.id).unwrap();
    assert_eq!(outcome.complainant, None);
    assert!(outcome.evidence.is_empty() && outcome.attachments.is_empty());
    assert_eq!(
        outcome.decision_reason.as_deref(),
        Some("经核查,报告质量问题属实")
    );
    let raw = app
        .get("/api/complaints?scope=published")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !raw.contains("云州市城市建设投资"),
        "no complainant name anywhere"
    );

    // Every party was told at each step.
    let inbox: market_domain::notify::Inbox =
        json(app.get_as(&enterprise, "/api/notifications").await).await;
    assert!(inbox
        .items
        .iter()
        .any(|n| n.title.starts_with("投诉处理结果")));

    // The credit record counts it.
    let credit: CreditRecord =
        json(app.get(&format!("/api/agencies/{agency_id}/credit")).await).await;
    assert_eq!(credit.upheld_complaints.len(), 1);
    let item = credit
        .score
        .items
        .iter()
        .find(|i| i.factor == CreditFactor::UpheldComplaints)
        .unwrap();
    assert_eq!(item.points, -10);
}

#[tokio::test]
async fn every_role_is_refused_what_is_not_theirs_to_do() {
    let app = spawn_app().await;
    let agency_id = demo_agency_id(&app).await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let regulator = app.signed_in(REGULATOR).await;
    let agency = app.signed_in(AGENCY).await;
    let officer = app.signed_in(OFFICER).await;
    let body = complaint_against(agency_id, "fee");

    assert_error(
        app.post_json("/api/complaints", &body).await,
        StatusCode::UNAUTHORIZED,
        "not_authenticated",
    )
    .await;
    assert_error(
        app.post_as(&regulator, "/api/complaints", &body).await,
        StatusCode::FORBIDDEN,
        "forbidden_role",
    )
    .await;
    assert_error(
        app.post_as(&agency, "/api/complaints", &body).await,
        StatusCode::BAD_REQUEST,
        "complaint_against_self",
    )
    .await;
    let mut unknown = body.clone();
    unknown["target"] = json!({ "kind": "agency", "id": 999_999 });
    let refused = assert_error(
        app.post_as(&enterprise, "/api/complaints", &unknown).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "complaint_target_unknown",
    )
    .await;
    assert_eq!(refused.error.fields[0].field, "target");

    let filed = file(&app, &enterprise, &body).await;
    let id = filed.id;
    assert_error(
        app.get(&format!("/api/complaints/{id}")).await,
        StatusCode::UNAUTHORIZED,
        "not_authenticated",
    )
    .await;
    for client in [&enterprise, &agency, &officer] {
        assert_error(
            act(&app, client, id, "accept", &json!({})).await,
            StatusCode::FORBIDDEN,
            "forbidden_role",
        )
        .await;
        assert_error(
            act(
                &app,
                client,
                id,
                "decide",
                &json!({ "upheld": true, "reason": "成立" }),
            )
            .await,
            StatusCode::FORBIDDEN,
            "forbidden_role",
        )
        .await;
    }
    assert_error(
        act(&app, &regulator, id, "refuse", &json!({ "text": "" })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "reason_required",
    )
    .await;
    // The respondent cannot answer before acceptance, nor anyone else at all.
    assert_error(
        act(&app, &agency, id, "answer", &json!({ "text": "答复意见" })).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    assert_error(
        act(
            &app,
            &regulator,
            id,
            "decide",
            &json!({ "upheld": false, "reason": "不成立" }),
        )
        .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    assert_eq!(
        act(&app, &regulator, id, "accept", &json!({}))
            .await
            .status(),
        StatusCode::OK
    );
    for client in [&enterprise, &regulator, &officer] {
        assert_error(
            act(&app, client, id, "answer", &json!({ "text": "答复意见" })).await,
            StatusCode::FORBIDDEN,
            "not_respondent",
        )
        .await;
    }
    assert_error(
        act(&app, &regulator, id, "accept", &json!({})).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    // Before it is closed, other users cannot read it.
    assert_eq!(
        app.get_as(&officer, &format!("/api/complaints/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // A refused complaint is closed with its reason.
    let second = file(&app, &enterprise, &body).await;
    let refused: ComplaintView = json(
        act(
            &app,
            &regulator,
            second.id,
            "refuse",
            &json!({ "text": "不属于收费监管范围" }),
        )
        .await,
    )
    .await;
    assert_eq!(refused.status, ComplaintStatus::Refused);
    assert_eq!(
        refused.acceptance_note.as_deref(),
        Some("不属于收费监管范围")
    );
}

#[tokio::test]
async fn a_missed_answer_deadline_shows_as_overdue_and_lets_the_regulator_decide() {
    let app = spawn_app().await;
    let agency_id = demo_agency_id(&app).await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let regulator = app.signed_in(REGULATOR).await;
    let filed = file(&app, &enterprise, &complaint_against(agency_id, "quality")).await;
    act(&app, &regulator, filed.id, "accept", &json!({})).await;
    app.clock.advance(Duration::days(11));
    let regulator = app.signed_in(REGULATOR).await;
    let listed: Vec<ComplaintView> = json(app.get_as(&regulator, "/api/complaints").await).await;
    let late = listed.iter().find(|c| c.id == filed.id).unwrap();
    assert!(late.overdue && late.can_decide, "{late:?}");
    let decided = act(
        &app,
        &regulator,
        filed.id,
        "decide",
        &json!({ "upheld": false, "reason": "证据不足" }),
    )
    .await;
    assert_eq!(decided.status(), StatusCode::OK);
}

/// One quality complaint against the agency, filed, accepted, answered and upheld.
async fn uphold_quality_complaint(
    app: &TestApp,
    [enterprise, regulator, agency]: [&reqwest::Client; 3],
    agency_id: i64,
) {
    let filed = file(app, enterprise, &complaint_against(agency_id, "quality")).await;
    act(app, regulator, filed.id, "accept", &json!({})).await;
    act(
        app,
        agency,
        filed.id,
        "answer",
        &json!({ "text": "已整改" }),
    )
    .await;
    let decision = json!({ "upheld": true, "reason": "属实" });
    act(app, regulator, filed.id, "decide", &decision).await;
}

#[tokio::test]
async fn three_upheld_quality_complaints_in_a_year_propose_a_suspension_the_regulator_confirms() {
    let app = spawn_app().await;
    let agency_id = demo_agency_id(&app).await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let regulator = app.signed_in(REGULATOR).await;
    let agency = app.signed_in(AGENCY).await;
    for round in 0..3 {
        uphold_quality_complaint(&app, [&enterprise, &regulator, &agency], agency_id).await;
        let proposals: Vec<SuspensionProposal> = json(
            app.get_as(&regulator, "/api/oversight/suspension-proposals")
                .await,
        )
        .await;
        let open = proposals.iter().filter(|p| p.status == "proposed").count();
        assert_eq!(open, usize::from(round == 2), "after {} upheld", round + 1);
    }
    let proposals: Vec<SuspensionProposal> = json(
        app.get_as(&regulator, "/api/oversight/suspension-proposals")
            .await,
    )
    .await;
    let proposal = &proposals[0];
    assert_eq!(
        (proposal.agency_id, proposal.complaint_ids.len()),
        (agency_id, 3)
    );
    assert_error(
        app.get_as(&agency, "/api/oversight/suspension-proposals")
            .await,
        StatusCode::FORBIDDEN,
        "forbidden_role",
    )
    .await;

    let confirmed = app
        .post_as(
            &regulator,
            &format!(
                "/api/oversight/suspension-proposals/{}/confirm",
                proposal.id
            ),
            &json!({
                "reason": "一年内三次服务质量投诉成立",
                "starts_on": "2026-11-28",
                "ends_on": "2027-02-28",
                "blacklist": false,
                "basis": "《云州市中介服务网上超市管理办法》第二十八条"
            }),
        )
        .await;
    assert_eq!(confirmed.status(), StatusCode::CREATED);
    let again = app
        .post_as(
            &regulator,
            &format!(
                "/api/oversight/suspension-proposals/{}/dismiss",
                proposal.id
            ),
            &json!({ "text": "重复处理" }),
        )
        .await;
    assert_error(again, StatusCode::CONFLICT, "invalid_transition").await;

    let credit: CreditRecord =
        json(app.get(&format!("/api/agencies/{agency_id}/credit")).await).await;
    assert!(credit
        .score
        .items
        .iter()
        .any(|i| i.factor == CreditFactor::ActiveSuspension));
    assert_eq!(credit.entries.len(), 1);
    assert!(credit.score.score < 60, "{:?}", credit.score);
}

#[tokio::test]
async fn the_demo_has_a_published_outcome_and_an_overdue_complaint() {
    let app = spawn_app().await;
    let public: Vec<ComplaintView> = json(app.get("/api/complaints?scope=published").await).await;
    assert!(public
        .iter()
        .any(|c| c.status == ComplaintStatus::Upheld && c.complainant.is_none()));
    let regulator = app.signed_in(REGULATOR).await;
    let all: Vec<ComplaintView> = json(app.get_as(&regulator, "/api/complaints").await).await;
    let late: Vec<&ComplaintView> = all.iter().filter(|c| c.overdue).collect();
    assert_eq!(late.len(), 1, "{all:?}");
    assert!(
        late[0].can_decide,
        "the answer is overdue, so the regulator may decide"
    );
}

#[tokio::test]
async fn a_suspension_placed_from_the_agency_page_confirms_the_open_proposal() {
    let app = spawn_app().await;
    let agency_id = demo_agency_id(&app).await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let regulator = app.signed_in(REGULATOR).await;
    let agency = app.signed_in(AGENCY).await;
    for _ in 0..3 {
        uphold_quality_complaint(&app, [&enterprise, &regulator, &agency], agency_id).await;
    }
    let placed = app
        .post_as(
            &regulator,
            &format!("/api/agencies/{agency_id}/suspensions"),
            &json!({
                "reason": "一年内三次服务质量投诉成立",
                "starts_on": "2026-11-28",
                "ends_on": "2027-02-28",
                "blacklist": false,
                "basis": ""
            }),
        )
        .await;
    assert_eq!(placed.status(), StatusCode::CREATED);
    let proposals: Vec<SuspensionProposal> = json(
        app.get_as(&regulator, "/api/oversight/suspension-proposals")
            .await,
    )
    .await;
    assert_eq!(
        proposals
            .iter()
            .map(|p| p.status.as_str())
            .collect::<Vec<_>>(),
        ["confirmed"]
    );
}

#[tokio::test]
async fn a_dismissed_proposal_cannot_be_confirmed_and_places_no_suspension() {
    let app = spawn_app().await;
    let agency_id = demo_agency_id(&app).await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let regulator = app.signed_in(REGULATOR).await;
    let agency = app.signed_in(AGENCY).await;
    for _ in 0..3 {
        uphold_quality_complaint(&app, [&enterprise, &regulator, &agency], agency_id).await;
    }
    let proposals: Vec<SuspensionProposal> = json(
        app.get_as(&regulator, "/api/oversight/suspension-proposals")
            .await,
    )
    .await;
    let path = format!("/api/oversight/suspension-proposals/{}", proposals[0].id);
    let without_reason = app
        .post_as(
            &regulator,
            &format!("{path}/dismiss"),
            &json!({ "text": " " }),
        )
        .await;
    assert_error(
        without_reason,
        StatusCode::UNPROCESSABLE_ENTITY,
        "reason_required",
    )
    .await;
    let dismissed = app
        .post_as(
            &regulator,
            &format!("{path}/dismiss"),
            &json!({ "text": "三件投诉针对同一项目,已整改" }),
        )
        .await;
    assert_eq!(dismissed.status(), StatusCode::NO_CONTENT);
    let late_confirm = app
        .post_as(
            &regulator,
            &format!("{path}/confirm"),
            &json!({
                "reason": "一年内三次服务质量投诉成立",
                "starts_on": "2026-11-28",
                "ends_on": "2027-02-28",
                "blacklist": false,
                "basis": ""
            }),
        )
        .await;
    assert_error(late_confirm, StatusCode::CONFLICT, "invalid_transition").await;
    let credit: CreditRecord =
        json(app.get(&format!("/api/agencies/{agency_id}/credit")).await).await;
    assert!(credit.entries.is_empty(), "{:?}", credit.entries);
}
