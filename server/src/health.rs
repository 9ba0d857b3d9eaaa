//! Liveness and readiness in one: 200 only when the database answers.

use crate::error::ApiResult;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use market_domain::wire::Health;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/health", get(get_health))
}

async fn get_health(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    state.store.ping().await?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}
