//! The fee regulator's console data: every red flag the documented rules raise, with the
//! evidence to open and the SQL that found it.

use crate::auth::CurrentUser;
use crate::cases::off_platform_cases;
use crate::clock::to_rfc3339;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::store::sqlite::oversight_sql;
use axum::extract::State;
use axum::Json;
use market_domain::oversight::{Evidence, RedFlag, RedFlagKind, RedFlagReport, RuleDoc};
use market_domain::{Locale, Role};
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
        let services: Vec<&str> = case
            .off_platform
            .iter()
            .map(|s| s.name(Locale::ZhCn))
            .collect();
        flags.push(RedFlag {
            kind: RedFlagKind::OffPlatform,
            summary: format!(
                "{}的办件 {}(“{}”)已进入审查,但{}从未在平台采购",
                case.applicant_name,
                case.case_number,
                case.project_name,
                services.join("、")
            ),
            evidence: vec![Evidence {
                label: format!("办件 {}", case.case_number),
                href: format!("/cases/{}", case.id),
            }],
        });
    }
    let mut rules = oversight_sql::rule_docs();
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
