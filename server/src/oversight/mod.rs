//! The fee regulator's console data: every red flag the documented rules raise, with the
//! evidence to open and the SQL that found it.

use crate::auth::CurrentUser;
use crate::cases::off_platform_cases;
use crate::clock::to_rfc3339;
use crate::error::ApiResult;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use market_domain::oversight::{Exhibit, Finding, RedFlagKind, RedFlagReport, RuleDoc};
use market_domain::Role;
use utoipa_axum::{router::OpenApiRouter, routes};

/// How the off-platform rule is computed: per case, by `approval::off_platform`, not in SQL.
const OFF_PLATFORM_RULE: &str = "-- Per case, in Rust (market_domain::approval::off_platform):
-- a case whose status has reached under_review, for each required service of its approval item,
-- with no job of that service type linked to the case in any state other than draft.";

mod off_platform;
mod suspension_proposals;

use off_platform::*;
use suspension_proposals::*;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_red_flags))
        .routes(routes!(list_off_platform))
        .routes(routes!(list_proposals))
        .routes(routes!(confirm_proposal))
        .routes(routes!(dismiss_proposal))
}

#[utoipa::path(
    get,
    path = "/api/oversight/red-flags",
    tag = "oversight",
    summary = "红色预警:规则、阈值、SQL 与证据链接",
    responses((status = 200, description = "成功", body = RedFlagReport)),
    security(("session" = [])),
)]
async fn list_red_flags(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<RedFlagReport>> {
    user.require(Role::Regulator)?;
    let now = state.clock.now();
    let mut flags = state.store.red_flags(now).await?;
    for case in off_platform_cases(&state).await? {
        let evidence = vec![Exhibit::Case {
            id: case.id,
            case_number: case.case_number.clone(),
        }];
        flags.push(
            Finding::OffPlatform {
                applicant: case.applicant_name,
                case_number: case.case_number,
                project: case.project_name,
                services: case.off_platform,
            }
            .flag(evidence),
        );
    }
    let mut rules = state.store.rule_docs();
    rules.push(RuleDoc {
        kind: RedFlagKind::OffPlatform,
        sql: OFF_PLATFORM_RULE.to_owned(),
    });
    Ok(Json(RedFlagReport {
        flags,
        rules,
        computed_at: to_rfc3339(now),
    }))
}
