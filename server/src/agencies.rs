//! The public agency directory: approved listings only, no login needed.

use crate::error::{ApiError, ApiResult};
use crate::http::path::PathId;
use crate::http::query::ApiQuery;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use market_domain::wire::{
    parse_paging, AgencyDetail, AgencyFeeStandard, AgencyFilter, AgencyFilterParams, AgencySummary,
    FilterError, Page,
};
use market_domain::{FieldError, ServiceType};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_agencies))
        .routes(routes!(get_agency))
        .routes(routes!(list_fee_standards))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct FeeStandardQuery {
    /// 服务类型代码,如 env_impact。
    service_type: Option<String>,
    /// 上一页返回的 next(键集分页)。
    after: Option<String>,
    /// 页码,1–100000。
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000)]
    page: Option<String>,
    /// 每页条数,1–100。
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

/// Every published fee standard for one service type, so the browser can quote them all.
#[utoipa::path(
    get,
    path = "/api/fee-standards",
    tag = "agencies",
    summary = "某一服务类型下全部已公示的收费标准",
    params(FeeStandardQuery),
    responses((status = 200, description = "成功", body = Page<AgencyFeeStandard>)),
)]
async fn list_fee_standards(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<FeeStandardQuery>,
) -> ApiResult<Json<Page<AgencyFeeStandard>>> {
    let service_type = query
        .service_type
        .as_deref()
        .and_then(ServiceType::parse)
        .ok_or_else(|| {
            ApiError::field(FieldError::new(
                "service_type",
                &FilterError::UnknownServiceType,
            ))
        })?;
    let (page, per_page, after) = parse_paging(
        query.page.as_deref(),
        query.per_page.as_deref(),
        query.after.as_deref(),
    )
    .map_err(ApiError::field)?;
    Ok(Json(
        state
            .store
            .fee_standards_for(service_type, state.today(), after, page, per_page)
            .await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/agencies",
    tag = "agencies",
    summary = "按服务类型、区域和关键词查询入驻机构(分页)",
    params(AgencyFilterParams),
    responses((status = 200, description = "成功", body = Page<AgencySummary>)),
)]
async fn list_agencies(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<AgencyFilterParams>,
) -> ApiResult<Json<Page<AgencySummary>>> {
    let filter = AgencyFilter::parse(&params).map_err(ApiError::field)?;
    Ok(Json(
        state.store.list_agencies(&filter, state.today()).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/agencies/{id}",
    tag = "agencies",
    summary = "机构详情:资质、收费标准、评价与暂停记录",
    params(("id" = i64, Path, description = "机构编号")),
    responses((status = 200, description = "成功", body = AgencyDetail)),
)]
async fn get_agency(
    State(state): State<AppState>,
    PathId(id): PathId,
) -> ApiResult<Json<AgencyDetail>> {
    state
        .store
        .agency_detail(id, state.today())
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}
