//! The public side of the tamper-evident job log: each job's chain check, the daily roots over
//! all chains, and a full audit anyone can run.

use crate::auth::CurrentUser;
use crate::clock::city_date;
use crate::error::ApiResult;
use crate::http::path_id;
use crate::jobs::{load, visible_to};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use market_domain::wire::{ChainAudit, ChainCheck, DailyRootView};

const ROOTS_SHOWN: u32 = 90;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/jobs/{id}/chain", get(check_job_chain))
        .route("/api/transparency/roots", get(list_daily_roots))
        .route("/api/transparency/audit", get(audit_chains))
}

/// Seals every finished city day that has no root yet; cheap when there is none.
pub async fn seal_past_days(state: &AppState) -> ApiResult<usize> {
    let now = state.clock.now();
    let today = city_date(now).to_string();
    Ok(state.store.seal_chain_roots(today, now).await?)
}

async fn check_job_chain(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    Path(id): Path<String>,
) -> ApiResult<Json<ChainCheck>> {
    let id = path_id(&id)?;
    let job = load(&state, id).await?;
    visible_to(&job, user.as_ref())?;
    Ok(Json(state.store.chain_check(id).await?))
}

async fn list_daily_roots(State(state): State<AppState>) -> ApiResult<Json<Vec<DailyRootView>>> {
    seal_past_days(&state).await?;
    Ok(Json(state.store.daily_roots(ROOTS_SHOWN).await?))
}

async fn audit_chains(State(state): State<AppState>) -> ApiResult<Json<ChainAudit>> {
    seal_past_days(&state).await?;
    Ok(Json(state.store.chain_audit(state.clock.now()).await?))
}
