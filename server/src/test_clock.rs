//! Testing only (`--test-clock`): lets an end-to-end test move the server's time past deadlines
//! and publicity periods. The routes exist only when the server was started with the flag.

use crate::clock::to_rfc3339;
use crate::error::{ApiError, ApiResult};
use crate::http::json::ApiJson;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/test/clock", get(get_clock).post(advance_clock))
}

#[derive(Serialize)]
struct ClockView {
    now: String,
}

#[derive(Deserialize)]
struct AdvanceRequest {
    /// Seconds to move forward; the clock never goes back.
    seconds: i64,
}

async fn get_clock(State(state): State<AppState>) -> Json<ClockView> {
    Json(ClockView {
        now: to_rfc3339(state.clock.now()),
    })
}

/// Moves time forward, then opens whatever fell due, as the background watch would.
async fn advance_clock(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<AdvanceRequest>,
) -> ApiResult<Json<ClockView>> {
    let clock = state.test_clock.as_ref().ok_or(ApiError::NotFound)?;
    if !(0..=366 * 24 * 3600).contains(&request.seconds) {
        return Err(ApiError::BadRequest {
            code: "bad_seconds",
            message: "seconds 应为 0 到一年之间的整数".into(),
            message_en: "seconds must be a whole number from 0 to one year".into(),
            field: Some("seconds".into()),
        });
    }
    clock.advance(time::Duration::seconds(request.seconds));
    crate::due::run_due_work(&state).await;
    Ok(Json(ClockView {
        now: to_rfc3339(state.clock.now()),
    }))
}
