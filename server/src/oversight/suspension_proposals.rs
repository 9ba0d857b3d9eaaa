//! `/api/oversight/suspension-proposals`: the automatic suspension proposals (three upheld
//! quality complaints within twelve months) that a regulator confirms or dismisses.

use crate::auth::CurrentUser;
use crate::complaints::{conflict, reason};
use crate::error::{words, ApiError, ApiResult};
use crate::http::json::ApiJson;
use crate::http::path::PathId;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use market_domain::complaint::{ComplaintStep, SuspensionProposal};
use market_domain::listing::SuspensionRequest;
use market_domain::wire::SuspensionView;
use market_domain::Role;

#[utoipa::path(
    get,
    path = "/api/oversight/suspension-proposals",
    tag = "oversight",
    summary = "待处理的暂停建议(12个月内3次质量投诉成立)",
    responses((status = 200, description = "成功", body = Vec<SuspensionProposal>)),
    security(("session" = [])),
)]
pub(super) async fn list_proposals(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<Vec<SuspensionProposal>>> {
    user.require(Role::Regulator)?;
    Ok(Json(state.store.suspension_proposals().await?))
}

/// Confirms a proposal by placing the suspension the regulator specifies.
#[utoipa::path(
    post,
    path = "/api/oversight/suspension-proposals/{id}/confirm",
    tag = "oversight",
    summary = "确认暂停建议并实施暂停",
    params(("id" = i64, Path, description = "暂停建议编号")),
    request_body = SuspensionRequest,
    responses((status = 201, description = "已创建", body = SuspensionView)),
    security(("session" = [])),
)]
pub(super) async fn confirm_proposal(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<SuspensionRequest>,
) -> ApiResult<(StatusCode, Json<SuspensionView>)> {
    user.require(Role::Regulator)?;
    let suspension = request.parse().map_err(ApiError::Validation)?;
    let view = state
        .store
        .confirm_suspension_proposal(id, suspension, user.user_id, state.clock.now())
        .await?
        .ok_or_else(|| {
            conflict(words(
                "该暂停建议已处理",
                "This suspension proposal has already been handled",
            ))
        })?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(
    post,
    path = "/api/oversight/suspension-proposals/{id}/dismiss",
    tag = "oversight",
    summary = "驳回暂停建议",
    params(("id" = i64, Path, description = "暂停建议编号")),
    request_body = ComplaintStep,
    responses((status = 204, description = "已完成")),
    security(("session" = [])),
)]
pub(super) async fn dismiss_proposal(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<ComplaintStep>,
) -> ApiResult<StatusCode> {
    user.require(Role::Regulator)?;
    let text = reason(&request.text, "text")?;
    let dismissed = state
        .store
        .dismiss_suspension_proposal(id, user.user_id, text, state.clock.now())
        .await?;
    if !dismissed {
        return Err(conflict(words(
            "该暂停建议已处理",
            "This suspension proposal has already been handled",
        )));
    }
    Ok(StatusCode::NO_CONTENT)
}
