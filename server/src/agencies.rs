//! The public agency directory: approved listings only, no login needed.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use market_domain::wire::{
    AgencyDetail, AgencyFeeStandard, AgencyFilter, AgencyFilterParams, AgencySummary, FilterError,
    Page,
};
use market_domain::{FieldError, ServiceType};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/agencies", get(list_agencies))
        .route("/api/agencies/{id}", get(get_agency))
        .route("/api/fee-standards", get(list_fee_standards))
}

#[derive(serde::Deserialize)]
struct FeeStandardQuery {
    service_type: Option<String>,
}

/// Every published fee standard for one service type, so the browser can quote them all.
async fn list_fee_standards(
    State(state): State<AppState>,
    Query(query): Query<FeeStandardQuery>,
) -> ApiResult<Json<Vec<AgencyFeeStandard>>> {
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
    Ok(Json(
        state
            .store
            .fee_standards_for(service_type, state.today())
            .await?,
    ))
}

async fn list_agencies(
    State(state): State<AppState>,
    params: Result<Query<AgencyFilterParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Page<AgencySummary>>> {
    let Query(params) = params.map_err(|e| ApiError::BadRequest {
        code: "invalid_query",
        message: format!("查询参数有误:{}", e.body_text()),
        field: None,
    })?;
    let filter = AgencyFilter::parse(&params).map_err(ApiError::field)?;
    Ok(Json(
        state.store.list_agencies(&filter, state.today()).await?,
    ))
}

async fn get_agency(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<AgencyDetail>> {
    let id = crate::http::path_id(&id)?;
    state
        .store
        .agency_detail(id, state.today())
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}
