//! Liveness and readiness in one: 200 only when the database answers.

use crate::error::ApiResult;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use market_domain::wire::Health;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_health))
}

#[utoipa::path(
    get,
    path = "/api/health",
    tag = "system",
    summary = "服务与数据库健康检查",
    responses((status = 200, description = "成功", body = Health)),
)]
async fn get_health(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    state.store.ping().await?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}
