//! The fee regulator's console: the review queue, decisions, and suspensions.

use crate::auth::CurrentUser;
use crate::error::{words, ApiError, ApiResult};
use crate::http::json::ApiJson;
use crate::http::path::PathId;
use crate::state::AppState;
use crate::store::{NewAgency, StoreError, UniqueRule};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use market_domain::listing::{DecisionRequest, ReviewDecision, SuspensionRequest, VersionStatus};
use market_domain::wire::{ListingVersionView, ReviewDetail, ReviewQueue, SuspensionView};
use market_domain::Role;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_review_queue))
        .routes(routes!(get_review_version))
        .routes(routes!(decide_version))
        .routes(routes!(create_suspension))
        .routes(routes!(lift_suspension))
}

#[utoipa::path(
    get,
    path = "/api/review/queue",
    tag = "review",
    summary = "待审核的入驻信息与收费标准",
    responses((status = 200, description = "成功", body = ReviewQueue)),
    security(("session" = [])),
)]
async fn get_review_queue(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<ReviewQueue>> {
    user.require(Role::Regulator)?;
    let items = state.store.review_queue().await?;
    Ok(Json(ReviewQueue {
        count: items.len() as u32,
        items,
    }))
}

#[utoipa::path(
    get,
    path = "/api/review/versions/{id}",
    tag = "review",
    summary = "待审核版本详情,附与上一版本的差异和收费检查",
    params(("id" = i64, Path, description = "入驻信息版本编号")),
    responses((status = 200, description = "成功", body = ReviewDetail)),
    security(("session" = [])),
)]
async fn get_review_version(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<Json<ReviewDetail>> {
    user.require(Role::Regulator)?;
    let version = state
        .store
        .listing_version(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let current = state
        .store
        .listing_versions(version.agency_id)
        .await?
        .into_iter()
        .find(|v| v.status == VersionStatus::Approved && v.id != version.id);
    Ok(Json(ReviewDetail { version, current }))
}

#[utoipa::path(
    post,
    path = "/api/review/versions/{id}/decision",
    tag = "review",
    summary = "审核通过或退回入驻信息版本",
    params(("id" = i64, Path, description = "入驻信息版本编号")),
    request_body = DecisionRequest,
    responses((status = 200, description = "成功", body = ListingVersionView)),
    security(("session" = [])),
)]
async fn decide_version(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<DecisionRequest>,
) -> ApiResult<Json<ListingVersionView>> {
    user.require(Role::Regulator)?;
    let (decision, reason) = request.parse().map_err(ApiError::Validation)?;
    let version_id = id;
    let version = state
        .store
        .listing_version(version_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let projection = match decision {
        ReviewDecision::Approve => {
            // Stored versions were valid when submitted; a rule that tightened since is
            // reported rather than published.
            let listing = version.draft.parse().map_err(ApiError::Validation)?;
            Some(NewAgency::from_listing(&listing))
        }
        _ => None,
    };
    let decided = state
        .store
        .decide_listing(
            version_id,
            decision,
            reason.into_string(),
            user.user_id,
            state.clock.now(),
            projection,
        )
        .await
        .map_err(|e| match e {
            StoreError::Duplicate(UniqueRule::AgencyCreditCode) => ApiError::Conflict {
                code: "credit_code_taken",
                message: words("该统一社会信用代码已被其他机构使用,不能通过", "This unified social credit code is already used by another agency, so it cannot be approved"),
                field: Some("credit_code"),
            },
            other => other.into(),
        })?;
    decided.map(Json).ok_or(ApiError::Conflict {
        code: "already_decided",
        message: words(
            "该版本已被处理或已被新的提交替代,请刷新后查看",
            "This version was already decided or replaced by a newer one; reload to see it",
        ),
        field: None,
    })
}

#[utoipa::path(
    post,
    path = "/api/agencies/{id}/suspensions",
    tag = "oversight",
    summary = "暂停机构接单或列入名单",
    params(("id" = i64, Path, description = "机构编号")),
    request_body = SuspensionRequest,
    responses((status = 201, description = "已创建", body = SuspensionView)),
    security(("session" = [])),
)]
async fn create_suspension(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<SuspensionRequest>,
) -> ApiResult<(StatusCode, Json<SuspensionView>)> {
    user.require(Role::Regulator)?;
    let agency_id = id;
    let suspension = request.parse().map_err(ApiError::Validation)?;
    if !state.store.agency_exists(agency_id).await? {
        return Err(ApiError::NotFound);
    }
    let view = state
        .store
        .create_suspension(agency_id, suspension, user.user_id, state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(
    post,
    path = "/api/suspensions/{id}/lift",
    tag = "oversight",
    summary = "解除暂停",
    params(("id" = i64, Path, description = "暂停记录编号")),
    responses((status = 204, description = "已完成")),
    security(("session" = [])),
)]
async fn lift_suspension(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<StatusCode> {
    user.require(Role::Regulator)?;
    if state
        .store
        .lift_suspension(id, user.user_id, state.clock.now())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}
