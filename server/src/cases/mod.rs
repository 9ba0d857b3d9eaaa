//! Approval cases (审批办件): the approval officer registers them and records their status and
//! the technical review of delivered reports; integrations send the same events with a token.
//! Each case page shows its own timeline beside the timelines of the jobs it needs.

use crate::auth::CurrentUser;
use crate::error::{words, ApiError, ApiResult};
use crate::http::json::ApiJson;
use crate::http::path::PathId;
use crate::http::query::ApiQuery;
use crate::state::AppState;
use crate::store::{CaseEventOutcome, CaseRecord, NewCase, NewCaseEvent};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use market_domain::approval::{
    off_platform, ApprovalItem, CaseEventKind, CaseEventRequest, CaseService, CaseStatus,
    CaseSummary, CaseView, NewCaseRequest, NewToken, ReviewResult, ServiceProgress, TokenView,
};
use market_domain::job::{JobDraft, JobState};
use market_domain::text::limits;
use market_domain::wire::{parse_paging, Page};
use market_domain::{CreditCode, FieldError, ProjectCode, Role, ServiceType};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};

use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

mod events;
mod tokens;
use events::*;
use tokens::*;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_items))
        .routes(routes!(list_cases, create_case))
        .routes(routes!(get_case))
        .routes(routes!(record_event))
        .routes(routes!(integration_event))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

#[utoipa::path(
    get,
    path = "/api/approval-items",
    tag = "cases",
    summary = "审批事项目录及其必需的中介服务",
    responses((status = 200, description = "成功", body = Vec<ApprovalItem>)),
)]
async fn list_items(State(state): State<AppState>) -> ApiResult<Json<Vec<ApprovalItem>>> {
    Ok(Json(state.store.approval_items().await?))
}

/// Each required service's progress from the case's jobs and technical reviews (oldest
/// first): its latest live job and the last review (job events left empty).
fn summary_of(
    case: &CaseRecord,
    jobs: &[(i64, ServiceType, JobState)],
    reviews: &[(ServiceType, ReviewResult)],
) -> (CaseSummary, Vec<CaseService>) {
    let mut services = Vec::new();
    for service in &case.item.required_services {
        let mine: Vec<_> = jobs.iter().filter(|(_, s, _)| s == service).collect();
        let job = mine
            .iter()
            .find(|(_, _, state)| !matches!(state, JobState::Cancelled | JobState::Unsuccessful))
            .or(mine.first())
            .copied();
        let review = reviews
            .iter()
            .rev()
            .find(|(service_type, _)| service_type == service)
            .map(|(_, result)| *result);
        let (progress, job_id) = match job {
            Some((id, _, job_state)) => (
                ServiceProgress::Job {
                    state: *job_state,
                    review,
                },
                Some(*id),
            ),
            None => (ServiceProgress::NotProcured, None),
        };
        services.push(CaseService {
            service_type: *service,
            progress,
            job_id,
            job_events: Vec::new(),
        });
    }
    let pairs: Vec<_> = services
        .iter()
        .map(|s| (s.service_type, s.progress))
        .collect();
    (
        CaseSummary {
            id: case.id,
            case_number: case.case_number.clone(),
            project_code: case.project_code.clone(),
            project_name: case.project_name.clone(),
            item: case.item.clone(),
            applicant_name: case.applicant_name.clone(),
            status: case.status,
            off_platform: off_platform(case.status, &pairs),
            services: pairs,
        },
        services,
    )
}

/// A case's summary with each service's job events, as its page shows them.
async fn summary(
    state: &AppState,
    case: &CaseRecord,
) -> ApiResult<(CaseSummary, Vec<CaseService>)> {
    let jobs = state.store.case_jobs(case.id).await?;
    let reviews: Vec<(ServiceType, ReviewResult)> = state
        .store
        .case_events(case.id)
        .await?
        .iter()
        .filter_map(|event| match event.kind {
            CaseEventKind::TechnicalReview {
                service_type,
                result,
            } => Some((service_type, result)),
            CaseEventKind::Status { .. } => None,
        })
        .collect();
    let (summary, mut services) = summary_of(case, &jobs, &reviews);
    for service in &mut services {
        if let Some(job_id) = service.job_id {
            service.job_events = state.store.job_events(job_id).await?;
        }
    }
    Ok((summary, services))
}

/// The applicant, approval officers, regulators, and agencies that bid on one of its jobs.
async fn may_read(state: &AppState, user: &CurrentUser, case: &CaseRecord) -> ApiResult<()> {
    let allowed = match user.role {
        Role::ApprovalOfficer | Role::Regulator => true,
        Role::Enterprise => user.user_id == case.applicant_user_id,
        Role::Agency => match state.store.agency_of_owner(user.user_id).await? {
            Some(agency) => {
                let mut bid = false;
                for (job_id, _, _) in state.store.case_jobs(case.id).await? {
                    if state
                        .store
                        .bids(job_id)
                        .await?
                        .iter()
                        .any(|b| b.agency_id == agency)
                    {
                        bid = true;
                        break;
                    }
                }
                bid
            }
            None => false,
        },
    };
    if allowed {
        Ok(())
    } else {
        Err(ApiError::Forbidden {
            code: "not_a_party",
            message: words("只有申请企业、相关中介机构、审批人员和监管部门可以查看该办件", "Only the applicant, the agencies involved, approval officers and regulators can see this case"),
        })
    }
}

#[utoipa::path(
    get,
    path = "/api/cases",
    tag = "cases",
    summary = "当前用户可见的审批案件(分页,最新受理的在前)",
    params(CasePaging),
    responses((status = 200, description = "成功", body = Page<CaseSummary>)),
    security(("session" = [])),
)]
async fn list_cases(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<CasePaging>,
) -> ApiResult<Json<Page<CaseSummary>>> {
    let applicant = match user.role {
        Role::Enterprise => Some(user.user_id),
        Role::ApprovalOfficer | Role::Regulator => None,
        Role::Agency => {
            return Err(ApiError::Forbidden {
                code: "forbidden_role",
                message: words(
                    "中介机构请从项目页面查看相关办件",
                    "Agencies see their cases from the job pages",
                ),
            })
        }
    };
    let (page, per_page, after) = parse_paging(
        query.page.as_deref(),
        query.per_page.as_deref(),
        query.after.as_deref(),
    )
    .map_err(ApiError::field)?;
    let found = state
        .store
        .cases_page(applicant, after, page, per_page)
        .await?;
    let items = found
        .items
        .iter()
        .map(|line| summary_of(&line.case, &line.jobs, &line.reviews).0)
        .collect();
    Ok(Json(Page {
        items,
        total: found.total,
        page: found.page,
        per_page: found.per_page,
        next: found.next,
    }))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CasePaging {
    /// 上一页返回的 next(键集分页)。
    after: Option<String>,
    /// 页码,1–100000。
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000)]
    page: Option<String>,
    /// 每页条数,1–100。
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/cases/{id}",
    tag = "cases",
    summary = "案件详情:审批进度与所需中介服务并列显示",
    params(("id" = i64, Path, description = "案件编号")),
    responses((status = 200, description = "成功", body = CaseView)),
    security(("session" = [])),
)]
async fn get_case(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<Json<CaseView>> {
    let case = state.store.case(id).await?.ok_or(ApiError::NotFound)?;
    may_read(&state, &user, &case).await?;
    let (summary, services) = summary(&state, &case).await?;
    Ok(Json(CaseView {
        summary,
        events: state.store.case_events(case.id).await?,
        services,
        viewer_is_applicant: user.user_id == case.applicant_user_id,
    }))
}

/// The approval officer registers a case on acceptance (受理).
#[utoipa::path(
    post,
    path = "/api/cases",
    tag = "cases",
    summary = "审批部门受理时登记案件",
    request_body = NewCaseRequest,
    responses((status = 201, description = "已创建", body = CaseView)),
    security(("session" = [])),
)]
async fn create_case(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(request): ApiJson<NewCaseRequest>,
) -> ApiResult<(StatusCode, Json<CaseView>)> {
    user.require(Role::ApprovalOfficer)?;
    let mut errors = market_domain::error::FieldErrors::new();
    let number = request.case_number.trim().to_owned();
    if !(4..=40).contains(&number.len())
        || !number
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        errors.push("case_number", &CaseInputError::CaseNumber);
    }
    let project_code = errors.check("project_code", ProjectCode::parse(&request.project_code));
    errors.check(
        "project_name",
        limits::CASE_PROJECT_NAME.parse(&request.project_name),
    );
    let items = state.store.approval_items().await?;
    if !items.iter().any(|i| i.code == request.item_code) {
        errors.push("item_code", &CaseInputError::UnknownItem);
    }
    let credit = errors.check(
        "applicant_credit_code",
        CreditCode::parse(&request.applicant_credit_code),
    );
    let applicant = match credit {
        Some(code) => {
            let found = state.store.enterprise_by_credit_code(code.as_str()).await?;
            if found.is_none() {
                errors.push("applicant_credit_code", &CaseInputError::UnknownApplicant);
            }
            found
        }
        None => None,
    };
    let received = OffsetDateTime::parse(request.received_at.trim(), &Rfc3339).ok();
    if received.is_none() {
        errors.push(
            "received_at",
            &market_domain::approval::CaseEventError::Time,
        );
    }
    let found = errors.into_vec();
    let (Some(project_code), Some(applicant), Some(received), true) =
        (project_code, applicant, received, found.is_empty())
    else {
        return Err(ApiError::Validation(found));
    };
    let id = state
        .store
        .create_case(
            NewCase {
                case_number: number.clone(),
                project_code: project_code.as_str().to_owned(),
                project_name: request.project_name.trim().to_owned(),
                item_code: request.item_code.clone(),
                applicant_user_id: applicant,
            },
            NewCaseEvent {
                event_id: format!("received-{number}"),
                at: received,
                kind: CaseEventKind::Status {
                    status: CaseStatus::Received,
                },
                note: String::new(),
                source: OfficerEntry.label(),
            },
            state.clock.now(),
        )
        .await?
        .ok_or(ApiError::Conflict {
            code: "case_number_taken",
            message: words("该办件编号已登记", "This case number is already registered"),
            field: Some("case_number"),
        })?;
    let case = state.store.case(id).await?.ok_or(ApiError::NotFound)?;
    let (summary, services) = summary(&state, &case).await?;
    Ok((
        StatusCode::CREATED,
        Json(CaseView {
            summary,
            events: state.store.case_events(id).await?,
            services,
            viewer_is_applicant: false,
        }),
    ))
}

/// Where a case's events come from: an approval officer in this app (the embedded default), or
/// an approval system through its integration token. Both go through the same checks, the
/// same idempotency and the same time ordering in [`apply_event`].
pub trait CaseEventSource: Send + Sync {
    /// Recorded with every event and shown on the case's timeline.
    fn label(&self) -> String;
}

/// The embedded source: an approval officer signed in to this app.
/// Every case raising the off-platform flag now.
pub(crate) async fn off_platform_cases(state: &AppState) -> ApiResult<Vec<CaseSummary>> {
    Ok(state
        .store
        .off_platform_candidates()
        .await?
        .iter()
        .map(|line| summary_of(&line.case, &line.jobs, &line.reviews).0)
        .filter(|summary| !summary.off_platform.is_empty())
        .collect())
}

/// Links a job to its owner's case with the same project code and approval item, if there is
/// exactly one; a job posted from a case page always finds it.
pub async fn link_job(
    state: &AppState,
    owner: i64,
    job_id: i64,
    draft: &JobDraft,
) -> ApiResult<()> {
    let code = ProjectCode::parse(&draft.project_code)
        .map(|c| c.as_str().to_owned())
        .unwrap_or_default();
    let matching: Vec<CaseRecord> = state
        .store
        .cases(Some(owner))
        .await?
        .into_iter()
        .filter(|c| c.project_code == code && c.item.name == draft.approval_item.trim())
        .collect();
    if let [case] = matching.as_slice() {
        state.store.link_job_to_case(job_id, case.id).await?;
    }
    Ok(())
}
