//! `/api/oversight/off-platform`: approval cases with a required service never procured on the
//! platform.

use crate::auth::CurrentUser;
use crate::cases::off_platform_cases;
use crate::error::ApiResult;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use market_domain::approval::CaseSummary;
use market_domain::Role;

/// The regulator's red flag: cases in review or later with a required service never procured
/// on the platform (suspected designated agency, 指定中介).
#[utoipa::path(
    get,
    path = "/api/oversight/off-platform",
    tag = "oversight",
    summary = "疑似平台外指定中介的案件(红色预警)",
    responses((status = 200, description = "成功", body = Vec<CaseSummary>)),
    security(("session" = [])),
)]
pub(super) async fn list_off_platform(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<Vec<CaseSummary>>> {
    user.require(Role::Regulator)?;
    Ok(Json(off_platform_cases(&state).await?))
}
