//! Case events: recorded by an approval officer, or sent by an approval system with its
//! integration token, and replayed in time order.

use super::*;

pub(super) fn event_time(text: &str) -> ApiResult<OffsetDateTime> {
    OffsetDateTime::parse(text.trim(), &Rfc3339).map_err(|_| {
        ApiError::field(FieldError::new(
            "at",
            &market_domain::approval::CaseEventError::Time,
        ))
    })
}

#[derive(Debug, thiserror::Error)]
pub(super) enum CaseInputError {
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
pub(super) async fn apply_event(
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
                message: words("该办件尚无已交付成果的此类中介服务,不能登记技术评审", "This case has no delivered job of this service type, so no technical review can be recorded"),
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
pub(super) async fn record_event(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<CaseEventRequest>,
) -> ApiResult<Json<EventAck>> {
    user.require(Role::ApprovalOfficer)?;
    state.store.case(id).await?.ok_or(ApiError::NotFound)?;
    apply_event(&state, id, request, &OfficerEntry).await
}

pub(super) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The name of the live integration token in `Authorization: Bearer <token>`. An extractor,
/// so it runs before the body is read: a caller without a token learns nothing about the
/// body's schema (401, never 400).
pub(super) struct IntegrationCaller(String);

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
        let name = state
            .store
            .integration_token(&token_hash(token))
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        crate::audit::Actor::integration(parts, &name);
        Ok(IntegrationCaller(name))
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
pub(super) async fn integration_event(
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
