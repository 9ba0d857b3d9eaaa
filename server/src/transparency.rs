//! The public side of the tamper-evident job log: each job's chain check, the daily roots over
//! all chains, and a full audit anyone can run.

use crate::auth::CurrentUser;
use crate::clock::city_date;
use crate::error::ApiResult;
use crate::http::path::PathId;
use crate::jobs::{load, visible_to};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use market_domain::wire::{ChainAudit, ChainCheck, DailyRootView};
use utoipa_axum::{router::OpenApiRouter, routes};

const ROOTS_SHOWN: u32 = 90;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(check_job_chain))
        .routes(routes!(list_daily_roots))
        .routes(routes!(audit_chains))
}

/// Seals every finished city day that has no root yet; cheap when there is none.
pub async fn seal_past_days(state: &AppState) -> ApiResult<usize> {
    let now = state.clock.now();
    let today = city_date(now).to_string();
    Ok(state.store.seal_chain_roots(today, now).await?)
}

#[utoipa::path(
    get,
    path = "/api/jobs/{id}/chain",
    tag = "transparency",
    summary = "校验单个项目记录的哈希链",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = ChainCheck)),
    security((), ("session" = [])),
)]
async fn check_job_chain(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    PathId(id): PathId,
) -> ApiResult<Json<ChainCheck>> {
    let job = load(&state, id).await?;
    visible_to(&job, user.as_ref())?;
    Ok(Json(state.store.chain_check(id).await?))
}

#[utoipa::path(
    get,
    path = "/api/transparency/roots",
    tag = "transparency",
    summary = "每日哈希根公示",
    responses((status = 200, description = "成功", body = Vec<DailyRootView>)),
)]
async fn list_daily_roots(State(state): State<AppState>) -> ApiResult<Json<Vec<DailyRootView>>> {
    seal_past_days(&state).await?;
    Ok(Json(state.store.daily_roots(ROOTS_SHOWN).await?))
}

#[utoipa::path(
    get,
    path = "/api/transparency/audit",
    tag = "transparency",
    summary = "重新计算全部哈希链与每日根",
    responses((status = 200, description = "成功", body = ChainAudit)),
)]
async fn audit_chains(State(state): State<AppState>) -> ApiResult<Json<ChainAudit>> {
    seal_past_days(&state).await?;
    Ok(Json(state.store.chain_audit(state.clock.now()).await?))
}
