//! Approval cases (审批办件): the approval officer registers them and records their status and
//! the technical review of delivered reports; integrations send the same events with a token.
//! Each case page shows its own timeline beside the timelines of the jobs it needs.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::http::json::ApiJson;
use crate::http::path::PathId;
use crate::state::AppState;
use crate::store::{CaseEventOutcome, CaseRecord, NewCase, NewCaseEvent};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use market_domain::approval::{
    off_platform, ApprovalItem, CaseEventKind, CaseEventRequest, CaseService, CaseStatus,
    CaseSummary, CaseView, NewCaseRequest, NewToken, ServiceProgress, TokenView,
};
use market_domain::job::{JobDraft, JobState};
use market_domain::text::limits;
use market_domain::{CreditCode, FieldError, ProjectCode, Role};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};

use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

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

/// Each required service's progress: its latest live job and the last technical review.
async fn summary(
    state: &AppState,
    case: &CaseRecord,
) -> ApiResult<(CaseSummary, Vec<CaseService>)> {
    let jobs = state.store.case_jobs(case.id).await?;
    let events = state.store.case_events(case.id).await?;
    let mut services = Vec::new();
    for service in &case.item.required_services {
        let mine: Vec<_> = jobs.iter().filter(|(_, s, _)| s == service).collect();
        let job = mine
            .iter()
            .find(|(_, _, state)| !matches!(state, JobState::Cancelled | JobState::Unsuccessful))
            .or(mine.first())
            .copied();
        let review = events.iter().rev().find_map(|e| match e.kind {
            CaseEventKind::TechnicalReview {
                service_type,
                result,
            } if service_type == *service => Some(result),
            _ => None,
        });
        let (progress, job_id, job_events) = match job {
            Some((id, _, job_state)) => (
                ServiceProgress::Job {
                    state: *job_state,
                    review,
                },
                Some(*id),
                state.store.job_events(*id).await?,
            ),
            None => (ServiceProgress::NotProcured, None, Vec::new()),
        };
        services.push(CaseService {
            service_type: *service,
            progress,
            job_id,
            job_events,
        });
    }
    let pairs: Vec<_> = services
        .iter()
        .map(|s| (s.service_type, s.progress))
        .collect();
    Ok((
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
    ))
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
            message: "只有申请企业、相关中介机构、审批人员和监管部门可以查看该办件",
        })
    }
}

#[utoipa::path(
    get,
    path = "/api/cases",
    tag = "cases",
    summary = "当前用户可见的审批案件",
    responses((status = 200, description = "成功", body = Vec<CaseSummary>)),
    security(("session" = [])),
)]
async fn list_cases(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<Vec<CaseSummary>>> {
    let applicant = match user.role {
        Role::Enterprise => Some(user.user_id),
        Role::ApprovalOfficer | Role::Regulator => None,
        Role::Agency => {
            return Err(ApiError::Forbidden {
                code: "forbidden_role",
                message: "中介机构请从项目页面查看相关办件",
            })
        }
    };
    let mut out = Vec::new();
    for case in state.store.cases(applicant).await? {
        out.push(summary(&state, &case).await?.0);
    }
    Ok(Json(out))
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

fn event_time(text: &str) -> ApiResult<OffsetDateTime> {
    OffsetDateTime::parse(text.trim(), &Rfc3339).map_err(|_| {
        ApiError::field(FieldError::new(
            "at",
            &market_domain::approval::CaseEventError::Time,
        ))
    })
}

#[derive(Debug, thiserror::Error)]
enum CaseInputError {
    #[error("未知的审批事项")]
    UnknownItem,
    #[error("未找到该统一社会信用代码的企业账号")]
    UnknownApplicant,
    #[error("办件编号应为 4–40 个字母、数字或短横线")]
    CaseNumber,
}

impl market_domain::Violation for CaseInputError {
    fn code(&self) -> &'static str {
        match self {
            CaseInputError::UnknownItem => "unknown_item",
            CaseInputError::UnknownApplicant => "unknown_applicant",
            CaseInputError::CaseNumber => "case_number",
        }
    }

    fn message(&self, locale: market_domain::Locale) -> String {
        match (locale, self) {
            (market_domain::Locale::ZhCn, _) => self.to_string(),
            (_, CaseInputError::UnknownItem) => "Unknown approval item".into(),
            (_, CaseInputError::UnknownApplicant) => {
                "No enterprise account has this credit code".into()
            }
            (_, CaseInputError::CaseNumber) => {
                "The case number is 4–40 letters, digits or dashes".into()
            }
        }
    }
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
            message: "该办件编号已登记",
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
pub struct OfficerEntry;

impl CaseEventSource for OfficerEntry {
    fn label(&self) -> String {
        "approval_officer".into()
    }
}

/// An approval system, identified by the name of the live token it presented.
pub struct Integration {
    pub token_name: String,
}

impl CaseEventSource for Integration {
    fn label(&self) -> String {
        format!("integration:{}", self.token_name)
    }
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct EventAck {
    /// False when this event id had been recorded before (nothing changed).
    pub recorded: bool,
    pub status: CaseStatus,
}

/// Checks and stores one event; 200 whether new or a repeat, so senders may retry safely.
async fn apply_event(
    state: &AppState,
    case_id: i64,
    request: CaseEventRequest,
    source: &dyn CaseEventSource,
) -> ApiResult<Json<EventAck>> {
    request.check().map_err(ApiError::Validation)?;
    let at = event_time(&request.at)?;
    let outcome = state
        .store
        .record_case_event(
            case_id,
            NewCaseEvent {
                event_id: request.event_id,
                at,
                kind: request.kind,
                note: request.note.trim().to_owned(),
                source: source.label(),
            },
            state.clock.now(),
        )
        .await?;
    let recorded = match outcome {
        CaseEventOutcome::Recorded => true,
        CaseEventOutcome::Duplicate => false,
        CaseEventOutcome::InvalidHistory(error) => {
            return Err(ApiError::field(FieldError::new("status", &error)))
        }
        CaseEventOutcome::NoDeliveredJob => {
            return Err(ApiError::Conflict {
                code: "no_delivered_job",
                message: "该办件尚无已交付成果的此类中介服务,不能登记技术评审",
                field: Some("service_type"),
            })
        }
    };
    let case = state.store.case(case_id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(EventAck {
        recorded,
        status: case.status,
    }))
}

#[utoipa::path(
    post,
    path = "/api/cases/{id}/events",
    tag = "cases",
    summary = "审批部门记录案件状态变化",
    params(("id" = i64, Path, description = "案件编号")),
    request_body = CaseEventRequest,
    responses((status = 200, description = "成功", body = EventAck)),
    security(("session" = [])),
)]
async fn record_event(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<CaseEventRequest>,
) -> ApiResult<Json<EventAck>> {
    user.require(Role::ApprovalOfficer)?;
    state.store.case(id).await?.ok_or(ApiError::NotFound)?;
    apply_event(&state, id, request, &OfficerEntry).await
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The name of the live integration token in `Authorization: Bearer <token>`. An extractor,
/// so it runs before the body is read: a caller without a token learns nothing about the
/// body's schema (401, never 400).
struct IntegrationCaller(String);

impl axum::extract::FromRequestParts<AppState> for IntegrationCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::Unauthenticated)?;
        state
            .store
            .integration_token(&token_hash(token))
            .await?
            .map(IntegrationCaller)
            .ok_or(ApiError::Unauthenticated)
    }
}

#[utoipa::path(
    post,
    path = "/api/integrations/approval-cases/{number}/events",
    tag = "cases",
    summary = "审批系统通过对接令牌推送案件状态",
    params(("number" = String, Path, description = "审批案件号(审批系统中的受理编号)")),
    request_body = CaseEventRequest,
    responses((status = 200, description = "成功", body = EventAck)),
    security(("integration_token" = [])),
)]
async fn integration_event(
    State(state): State<AppState>,
    IntegrationCaller(token_name): IntegrationCaller,
    Path(number): Path<String>,
    ApiJson(request): ApiJson<CaseEventRequest>,
) -> ApiResult<Json<EventAck>> {
    let id = state
        .store
        .case_id_by_number(number.trim())
        .await?
        .ok_or(ApiError::NotFound)?;
    apply_event(&state, id, request, &Integration { token_name }).await
}

#[utoipa::path(
    get,
    path = "/api/integration-tokens",
    tag = "cases",
    summary = "审批系统对接令牌列表",
    responses((status = 200, description = "成功", body = Vec<TokenView>)),
    security(("session" = [])),
)]
async fn list_tokens(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<Vec<TokenView>>> {
    user.require(Role::Regulator)?;
    Ok(Json(
        state
            .store
            .integration_tokens()
            .await?
            .into_iter()
            .map(|(id, name, created_at, revoked_at)| TokenView {
                id,
                name,
                created_at,
                revoked_at,
                token: None,
            })
            .collect(),
    ))
}

#[utoipa::path(
    post,
    path = "/api/integration-tokens",
    tag = "cases",
    summary = "签发审批系统对接令牌(仅返回一次明文)",
    request_body = NewToken,
    responses((status = 201, description = "已创建", body = TokenView)),
    security(("session" = [])),
)]
async fn create_token(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(request): ApiJson<NewToken>,
) -> ApiResult<(StatusCode, Json<TokenView>)> {
    user.require(Role::Regulator)?;
    let name = limits::TOKEN_NAME
        .parse(&request.name)
        .map_err(|e| ApiError::field(FieldError::new("name", &e)))?
        .into_string();
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let token: String = format!(
        "yzmkt_{}",
        secret
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let now = state.clock.now();
    let id = state
        .store
        .create_integration_token(name.clone(), token_hash(&token), user.user_id, now)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenView {
            id,
            name,
            created_at: crate::clock::to_rfc3339(now),
            revoked_at: None,
            token: Some(token),
        }),
    ))
}

#[utoipa::path(
    post,
    path = "/api/integration-tokens/{id}/revoke",
    tag = "cases",
    summary = "吊销对接令牌",
    params(("id" = i64, Path, description = "令牌编号")),
    responses((status = 204, description = "已完成")),
    security(("session" = [])),
)]
async fn revoke_token(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<StatusCode> {
    user.require(Role::Regulator)?;
    if state
        .store
        .revoke_integration_token(id, state.clock.now())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

/// Every case raising the off-platform flag now.
pub(crate) async fn off_platform_cases(state: &AppState) -> ApiResult<Vec<CaseSummary>> {
    let mut flagged = Vec::new();
    for case in state.store.cases(None).await? {
        let (summary, _) = summary(state, &case).await?;
        if !summary.off_platform.is_empty() {
            flagged.push(summary);
        }
    }
    Ok(flagged)
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
