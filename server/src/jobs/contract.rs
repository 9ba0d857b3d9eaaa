//! After the award: contract, delivery, acceptance and the rating with its reply.

use super::service::{
    changed_meanwhile, conflict, load, owned_job, party_or_regulator, step, text_field, won_job,
    wrong_state,
};
use crate::auth::CurrentUser;
use crate::error::{words, ApiError, ApiResult};
use crate::http::json::ApiJson;
use crate::http::path::PathId;
use crate::state::AppState;
use crate::store::{JobLine, JobPatch};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use market_domain::contract::ParsedContract;
use market_domain::error::{Locale, Violation};
use market_domain::job::JobState;
use market_domain::job::{Actor, JobAction, JobEvent};
use market_domain::text::limits;
use market_domain::wire::{
    AcceptanceRequest, ContractTerms, DeliveryReport, JobView, RatingRequest, ReplyRequest,
};
use market_domain::FieldError;

#[utoipa::path(
    get,
    path = "/api/jobs/{id}/contract",
    tag = "jobs",
    summary = "合同条款",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = Option<ContractTerms>)),
    security(("session" = [])),
)]
pub(super) async fn get_contract(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<Json<Option<ContractTerms>>> {
    let job = load(&state, id).await?;
    party_or_regulator(&state, &user, &job).await?;
    let (_, contract, _) = state.store.job_parts(job.view.id).await?;
    Ok(Json(contract))
}

#[utoipa::path(
    get,
    path = "/api/jobs/{id}/delivery",
    tag = "jobs",
    summary = "成果交付信息",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = Option<DeliveryReport>)),
    security(("session" = [])),
)]
pub(super) async fn get_delivery(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<Json<Option<DeliveryReport>>> {
    let job = load(&state, id).await?;
    party_or_regulator(&state, &user, &job).await?;
    let (_, _, delivery) = state.store.job_parts(job.view.id).await?;
    Ok(Json(delivery))
}

/// The enterprise proposes the contract once the award is final.
#[utoipa::path(
    post,
    path = "/api/jobs/{id}/contract",
    tag = "jobs",
    summary = "项目业主提出合同",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = ContractTerms,
    responses((status = 200, description = "成功", body = ContractTerms)),
    security(("session" = [])),
)]
pub(super) async fn propose_contract(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(terms): ApiJson<ContractTerms>,
) -> ApiResult<Json<ContractTerms>> {
    let job = owned_job(&state, &user, id).await?;
    let award = job
        .view
        .award
        .clone()
        .filter(|a| a.is_final && job.view.state == JobState::Publicity)
        .ok_or_else(|| {
            conflict(
                "award_not_final",
                words("中选结果公示期满且无未决异议后,方可签订合同", "A contract can be made once the award publicity is over with no objection pending"),
            )
        })?;
    let ParsedContract {
        amount,
        starts_on: starts,
        ends_on: ends,
    } = terms.parse(award.price).map_err(ApiError::Validation)?;
    let detail = format!(
        "业主发出合同:金额 {},{} 至 {}",
        market_domain::format::money(amount, Locale::ZhCn),
        starts,
        ends
    );
    // Same state: only the contract part changes; the agency's confirmation moves the job on.
    let stored = state
        .store
        .advance_job(
            JobLine::new(
                job.view.id,
                state.clock.now(),
                Actor::Enterprise,
                JobEvent::ContractProposed,
                detail,
            )
            .moving(
                JobState::Publicity,
                JobState::Publicity,
                JobPatch {
                    contract: Some(terms.clone()),
                    ..JobPatch::default()
                },
            ),
        )
        .await?;
    if !stored {
        return Err(changed_meanwhile());
    }
    Ok(Json(terms))
}

#[utoipa::path(
    post,
    path = "/api/jobs/{id}/contract/confirm",
    tag = "jobs",
    summary = "中选机构确认合同",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
pub(super) async fn confirm_contract(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<Json<JobView>> {
    let (job, _) = won_job(&state, &user, id).await?;
    let (_, contract, _) = state.store.job_parts(job.view.id).await?;
    if contract.is_none() {
        return Err(conflict(
            "no_contract",
            words("业主尚未发出合同", "The owner has not sent a contract yet"),
        ));
    }
    step(
        &state,
        &job,
        JobAction::ConfirmContract,
        Actor::Agency,
        JobPatch::default(),
        (
            JobEvent::Contracted,
            "中介机构确认合同,双方签约".to_string(),
        ),
    )
    .await
    .map(Json)
}

#[utoipa::path(
    post,
    path = "/api/jobs/{id}/delivery",
    tag = "jobs",
    summary = "中选机构提交成果",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = DeliveryReport,
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
pub(super) async fn deliver(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(report): ApiJson<DeliveryReport>,
) -> ApiResult<Json<JobView>> {
    let (job, _) = won_job(&state, &user, id).await?;
    let summary = text_field("summary", &report.summary, limits::DELIVERY_SUMMARY)?;
    let number = text_field(
        "report_number",
        &report.report_number,
        limits::REPORT_NUMBER,
    )?;
    let report = DeliveryReport {
        summary,
        report_number: number.clone(),
    };
    step(
        &state,
        &job,
        JobAction::Deliver,
        Actor::Agency,
        JobPatch {
            delivery: Some(report),
            ..JobPatch::default()
        },
        (JobEvent::Delivered, format!("提交成果,报告编号 {number}")),
    )
    .await
    .map(Json)
}

#[utoipa::path(
    post,
    path = "/api/jobs/{id}/acceptance",
    tag = "jobs",
    summary = "项目业主验收或退回成果",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = AcceptanceRequest,
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
pub(super) async fn accept_delivery(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<AcceptanceRequest>,
) -> ApiResult<Json<JobView>> {
    let job = owned_job(&state, &user, id).await?;
    if request.accepted {
        step(
            &state,
            &job,
            JobAction::Accept,
            Actor::Enterprise,
            JobPatch::default(),
            (JobEvent::Accepted, "业主验收通过".to_string()),
        )
        .await
        .map(Json)
    } else {
        let reason = text_field("reason", &request.reason, limits::RETURN_REASON)?;
        step(
            &state,
            &job,
            JobAction::ReturnDelivery,
            Actor::Enterprise,
            JobPatch::default(),
            (JobEvent::Returned, format!("业主退回成果:{reason}")),
        )
        .await
        .map(Json)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("每项评分应为 1–5 分")]
pub(super) struct ScoreRange;

impl Violation for ScoreRange {
    fn code(&self) -> &'static str {
        "score_range"
    }
    fn message(&self, locale: Locale) -> String {
        match locale {
            Locale::ZhCn => self.to_string(),
            Locale::En => "Each score is 1 to 5".into(),
        }
    }
}

#[utoipa::path(
    post,
    path = "/api/jobs/{id}/rating",
    tag = "jobs",
    summary = "项目业主评价服务",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = RatingRequest,
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
pub(super) async fn rate_job(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(rating): ApiJson<RatingRequest>,
) -> ApiResult<Json<JobView>> {
    let job = owned_job(&state, &user, id).await?;
    let scores = [
        rating.quality,
        rating.timeliness,
        rating.attitude,
        rating.fee_compliance,
        rating.integrity,
    ];
    if scores.iter().any(|s| !(1..=5).contains(s)) {
        return Err(ApiError::field(FieldError::new("quality", &ScoreRange)));
    }
    text_field("comment", &rating.comment, limits::RATING_COMMENT)?;
    let agency_id = job
        .view
        .award
        .as_ref()
        .map(|a| a.agency_id)
        .ok_or(ApiError::NotFound)?;
    job.view
        .state
        .apply(JobAction::Rate, Actor::Enterprise)
        .map_err(|_| rated_once())?;
    if !state
        .store
        .rate_job(job.view.id, agency_id, rating, state.clock.now())
        .await?
    {
        return Err(rated_once());
    }
    Ok(Json(load(&state, job.view.id).await?.view))
}

#[utoipa::path(
    post,
    path = "/api/jobs/{id}/rating/reply",
    tag = "jobs",
    summary = "机构回复评价",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = ReplyRequest,
    responses((status = 204, description = "已完成")),
    security(("session" = [])),
)]
pub(super) async fn reply_rating(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<ReplyRequest>,
) -> ApiResult<StatusCode> {
    let (job, agency_id) = won_job(&state, &user, id).await?;
    let reply = text_field("reply", &request.reply, limits::RATING_REPLY)?;
    if state
        .store
        .reply_rating(job.view.id, agency_id, reply, state.clock.now())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(conflict(
            "already_replied",
            words("每条评价只能回复一次", "A rating can be replied to once"),
        ))
    }
}

fn rated_once() -> ApiError {
    wrong_state(
        "验收通过后方可评价,且只能评价一次",
        "A job can be rated once, after acceptance",
    )
}
