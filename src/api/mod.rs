//! The only place in the app that speaks HTTP. Every call returns `Result<T, ApiError>`.

pub mod stream;

use gloo_net::http::{Request, RequestBuilder, Response};
use market_domain::account::RegisterRequest;
use market_domain::approval::{
    ApprovalItem, CaseEventRequest, CaseSummary, CaseView, NewCaseRequest, NewToken, TokenView,
};
use market_domain::complaint::{
    ComplaintDecision, ComplaintDraft, ComplaintStep, ComplaintView, SuspensionProposal, TextStep,
};
use market_domain::credit::CreditRecord;
use market_domain::job::JobDraft;
use market_domain::listing::{DecisionRequest, ListingDraft, SuspensionRequest};
use market_domain::notify::{Inbox, MarkRead, NotificationSettings, UnreadCount};
use market_domain::oversight::RedFlagReport;
use market_domain::stats::Statistics;
use market_domain::wire::{
    AcceptanceRequest, Account, AgencyDetail, AgencyFeeStandard, AgencyFilter, AgencySummary,
    AwardRequest, BidEligibility, BidRequest, BidView, ContractTerms, DeliveryReport, DrawView,
    ErrorBody, JobEventView, JobSummary, JobView, ListingVersionView, LoginRequest, MyJobs,
    MyListing, ObjectionAnswer, ObjectionRequest, ObjectionView, Page, RatingRequest, ReplyRequest,
    ReviewDetail, ReviewQueue, SuspensionView, CSRF_HEADER, CSRF_HEADER_VALUE,
};
use market_domain::wire::{ChainAudit, DailyRootView};
use market_domain::{FieldError, ServiceType};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;

/// A failed call: either the server's JSON error, or no usable answer at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status, or 0 when the request never got an answer.
    pub status: u16,
    pub code: String,
    /// The server's message (Chinese), shown when the code has no better local text.
    pub message: String,
    /// The server's message in English.
    pub message_en: String,
    pub field: Option<String>,
    pub fields: Vec<FieldError>,
}

impl ApiError {
    pub fn network(detail: impl fmt::Display) -> ApiError {
        ApiError {
            status: 0,
            code: "network".into(),
            message: detail.to_string(),
            message_en: detail.to_string(),
            field: None,
            fields: Vec::new(),
        }
    }

    /// Field errors, whether the server sent a list or named a single field.
    pub fn field_errors(&self) -> Vec<FieldError> {
        if !self.fields.is_empty() {
            return self.fields.clone();
        }
        match &self.field {
            Some(field) => vec![FieldError {
                field: field.clone(),
                code: self.code.clone(),
                message: self.message.clone(),
                message_en: self.message_en.clone(),
            }],
            None => Vec::new(),
        }
    }
}

impl ApiError {
    /// The server's message in the reader's language; older servers sent Chinese only.
    pub fn message_in(&self, locale: market_domain::Locale) -> &str {
        match locale {
            market_domain::Locale::En if !self.message_en.is_empty() => &self.message_en,
            _ => &self.message,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|e| ApiError::network(format!("unexpected response: {e}")));
    }
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(ApiError {
            status,
            code: body.error.code,
            message: body.error.message,
            message_en: body.error.message_en,
            field: body.error.field,
            fields: body.error.fields,
        }),
        Err(_) => Err(ApiError {
            status,
            code: if status == 404 {
                "not_found"
            } else {
                "http_error"
            }
            .into(),
            message: format!("HTTP {status}"),
            message_en: format!("HTTP {status}"),
            field: None,
            fields: Vec::new(),
        }),
    }
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = Request::get(path)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(ApiError::network)?;
    read(response).await
}

/// State-changing calls always carry the CSRF header the server requires.
fn mutation(builder: RequestBuilder) -> RequestBuilder {
    builder
        .header(CSRF_HEADER, CSRF_HEADER_VALUE)
        .header("Accept", "application/json")
}

async fn respond<B: Serialize>(builder: RequestBuilder, body: &B) -> Result<Response, ApiError> {
    mutation(builder)
        .json(body)
        .map_err(ApiError::network)?
        .send()
        .await
        .map_err(ApiError::network)
}

async fn send<B: Serialize, T: DeserializeOwned>(
    builder: RequestBuilder,
    body: &B,
) -> Result<T, ApiError> {
    read(respond(builder, body).await?).await
}

/// A call whose success has no body (204).
async fn send_empty<B: Serialize>(builder: RequestBuilder, body: &B) -> Result<(), ApiError> {
    let response = respond(builder, body).await?;
    if response.ok() {
        Ok(())
    } else {
        read::<()>(response).await
    }
}

async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send(Request::post(path), body).await
}

pub async fn agencies(filter: &AgencyFilter) -> Result<Page<AgencySummary>, ApiError> {
    let query = filter.to_query_string();
    if query.is_empty() {
        get("/api/agencies").await
    } else {
        get(&format!("/api/agencies?{query}")).await
    }
}

pub async fn agency(id: i64) -> Result<AgencyDetail, ApiError> {
    get(&format!("/api/agencies/{id}")).await
}

pub async fn register(request: &RegisterRequest) -> Result<Account, ApiError> {
    post("/api/auth/register", request).await
}

pub async fn login(request: &LoginRequest) -> Result<Account, ApiError> {
    post("/api/auth/login", request).await
}

pub async fn logout() -> Result<(), ApiError> {
    send_empty(Request::post("/api/auth/logout"), &()).await
}

/// The signed-in account, or `None` when nobody is signed in (not an error, so an anonymous
/// visit logs no failed request).
pub async fn me() -> Result<Option<Account>, ApiError> {
    get::<market_domain::wire::SessionView>("/api/auth/session")
        .await
        .map(|session| session.account)
}

pub async fn my_listing() -> Result<MyListing, ApiError> {
    get("/api/my/listing").await
}

pub async fn submit_listing(draft: &ListingDraft) -> Result<ListingVersionView, ApiError> {
    post("/api/my/listing", draft).await
}

pub async fn review_queue() -> Result<ReviewQueue, ApiError> {
    get("/api/review/queue").await
}

pub async fn review_version(id: i64) -> Result<ReviewDetail, ApiError> {
    get(&format!("/api/review/versions/{id}")).await
}

pub async fn decide(id: i64, request: &DecisionRequest) -> Result<ListingVersionView, ApiError> {
    post(&format!("/api/review/versions/{id}/decision"), request).await
}

pub async fn suspend(
    agency_id: i64,
    request: &SuspensionRequest,
) -> Result<SuspensionView, ApiError> {
    post(&format!("/api/agencies/{agency_id}/suspensions"), request).await
}

pub async fn lift_suspension(id: i64) -> Result<(), ApiError> {
    send_empty(Request::post(&format!("/api/suspensions/{id}/lift")), &()).await
}

/// One page of a service type's published fee standards; `query` holds `page`/`after`.
pub async fn fee_standards(
    service_type: ServiceType,
    query: &str,
) -> Result<Page<AgencyFeeStandard>, ApiError> {
    get(&format!(
        "/api/fee-standards?service_type={}&{query}",
        service_type.code()
    ))
    .await
}

pub async fn jobs(query: &str) -> Result<Page<JobSummary>, ApiError> {
    if query.is_empty() {
        get("/api/jobs").await
    } else {
        get(&format!("/api/jobs?{query}")).await
    }
}

pub async fn job(id: i64) -> Result<JobView, ApiError> {
    get(&format!("/api/jobs/{id}")).await
}

pub async fn job_events(id: i64) -> Result<Vec<JobEventView>, ApiError> {
    get(&format!("/api/jobs/{id}/events")).await
}

pub async fn draw(id: i64) -> Result<DrawView, ApiError> {
    get(&format!("/api/jobs/{id}/draw")).await
}

pub async fn my_jobs() -> Result<MyJobs, ApiError> {
    get("/api/my/jobs").await
}

pub async fn create_job(draft: &JobDraft) -> Result<JobView, ApiError> {
    post("/api/jobs", draft).await
}

pub async fn update_job(id: i64, draft: &JobDraft) -> Result<JobView, ApiError> {
    send(Request::put(&format!("/api/jobs/{id}")), draft).await
}

pub async fn publish_job(id: i64) -> Result<JobView, ApiError> {
    post(&format!("/api/jobs/{id}/publish"), &()).await
}

pub async fn cancel_job(id: i64, reason: &str) -> Result<JobView, ApiError> {
    post(
        &format!("/api/jobs/{id}/cancel"),
        &serde_json::json!({ "reason": reason }),
    )
    .await
}

pub async fn repost_job(id: i64) -> Result<JobView, ApiError> {
    post(&format!("/api/jobs/{id}/repost"), &()).await
}

pub async fn eligibility(id: i64) -> Result<BidEligibility, ApiError> {
    get(&format!("/api/jobs/{id}/eligibility")).await
}

pub async fn bids(id: i64) -> Result<Vec<BidView>, ApiError> {
    get(&format!("/api/jobs/{id}/bids")).await
}

/// A new bid, or (`update`) a change to the agency's active bid.
pub async fn submit_bid(id: i64, bid: &BidRequest, update: bool) -> Result<BidView, ApiError> {
    if update {
        send(Request::put(&format!("/api/jobs/{id}/bids/mine")), bid).await
    } else {
        post(&format!("/api/jobs/{id}/bids"), bid).await
    }
}

pub async fn withdraw_bid(id: i64) -> Result<(), ApiError> {
    send_empty(
        Request::post(&format!("/api/jobs/{id}/bids/mine/withdraw")),
        &(),
    )
    .await
}

pub async fn award(id: i64, request: &AwardRequest) -> Result<JobView, ApiError> {
    post(&format!("/api/jobs/{id}/award"), request).await
}

pub async fn withdraw_award(id: i64) -> Result<JobView, ApiError> {
    post(&format!("/api/jobs/{id}/award/withdraw"), &()).await
}

pub async fn objections(id: i64) -> Result<Vec<ObjectionView>, ApiError> {
    get(&format!("/api/jobs/{id}/objections")).await
}

pub async fn file_objection(
    id: i64,
    request: &ObjectionRequest,
) -> Result<ObjectionView, ApiError> {
    post(&format!("/api/jobs/{id}/objections"), request).await
}

pub async fn answer_objection(
    id: i64,
    objection_id: i64,
    answer: &ObjectionAnswer,
) -> Result<JobView, ApiError> {
    post(
        &format!("/api/jobs/{id}/objections/{objection_id}/answer"),
        answer,
    )
    .await
}

pub async fn contract(id: i64) -> Result<Option<ContractTerms>, ApiError> {
    get(&format!("/api/jobs/{id}/contract")).await
}

pub async fn propose_contract(id: i64, terms: &ContractTerms) -> Result<ContractTerms, ApiError> {
    post(&format!("/api/jobs/{id}/contract"), terms).await
}

pub async fn confirm_contract(id: i64) -> Result<JobView, ApiError> {
    post(&format!("/api/jobs/{id}/contract/confirm"), &()).await
}

pub async fn delivery(id: i64) -> Result<Option<DeliveryReport>, ApiError> {
    get(&format!("/api/jobs/{id}/delivery")).await
}

pub async fn deliver(id: i64, report: &DeliveryReport) -> Result<JobView, ApiError> {
    post(&format!("/api/jobs/{id}/delivery"), report).await
}

pub async fn accept(id: i64, request: &AcceptanceRequest) -> Result<JobView, ApiError> {
    post(&format!("/api/jobs/{id}/acceptance"), request).await
}

pub async fn rate(id: i64, rating: &RatingRequest) -> Result<JobView, ApiError> {
    post(&format!("/api/jobs/{id}/rating"), rating).await
}

pub async fn reply_rating(id: i64, reply: &ReplyRequest) -> Result<(), ApiError> {
    send_empty(
        Request::post(&format!("/api/jobs/{id}/rating/reply")),
        reply,
    )
    .await
}

/// One page of the cases the user may see; `query` holds `page`/`after`.
pub async fn cases(query: &str) -> Result<Page<CaseSummary>, ApiError> {
    get(&format!("/api/cases?{query}")).await
}

pub async fn case(id: i64) -> Result<CaseView, ApiError> {
    get(&format!("/api/cases/{id}")).await
}

pub async fn off_platform_cases() -> Result<Vec<CaseSummary>, ApiError> {
    get("/api/oversight/off-platform").await
}

/// The approval officer records a status change or a technical review.
pub async fn record_case_event(id: i64, event: &CaseEventRequest) -> Result<(), ApiError> {
    send::<_, serde_json::Value>(Request::post(&format!("/api/cases/{id}/events")), event)
        .await
        .map(|_| ())
}

pub async fn integration_tokens() -> Result<Vec<TokenView>, ApiError> {
    get("/api/integration-tokens").await
}

pub async fn create_integration_token(name: &str) -> Result<TokenView, ApiError> {
    post(
        "/api/integration-tokens",
        &NewToken {
            name: name.to_owned(),
        },
    )
    .await
}

pub async fn revoke_integration_token(id: i64) -> Result<(), ApiError> {
    send_empty(
        Request::post(&format!("/api/integration-tokens/{id}/revoke")),
        &(),
    )
    .await
}

pub async fn approval_items() -> Result<Vec<ApprovalItem>, ApiError> {
    get("/api/approval-items").await
}

pub async fn create_case(request: &NewCaseRequest) -> Result<CaseView, ApiError> {
    post("/api/cases", request).await
}

/// The server's OpenAPI document, read as plain JSON by the reference page.
pub async fn openapi_document() -> Result<serde_json::Value, ApiError> {
    get("/api/openapi.json").await
}

pub async fn daily_roots() -> Result<Vec<DailyRootView>, ApiError> {
    get("/api/transparency/roots").await
}

pub async fn chain_audit() -> Result<ChainAudit, ApiError> {
    get("/api/transparency/audit").await
}

pub async fn inbox(before: Option<i64>) -> Result<Inbox, ApiError> {
    match before {
        Some(id) => get(&format!("/api/notifications?before={id}")).await,
        None => get("/api/notifications").await,
    }
}

/// Marks the given notifications read, or all of them when `ids` is `None`.
pub async fn mark_read(ids: Option<Vec<i64>>) -> Result<UnreadCount, ApiError> {
    post("/api/notifications/read", &MarkRead { ids }).await
}

pub async fn notification_settings() -> Result<NotificationSettings, ApiError> {
    get("/api/notifications/settings").await
}

pub async fn save_notification_settings(
    settings: &NotificationSettings,
) -> Result<NotificationSettings, ApiError> {
    send(Request::put("/api/notifications/settings"), settings).await
}

pub async fn red_flags() -> Result<RedFlagReport, ApiError> {
    get("/api/oversight/red-flags").await
}

pub async fn statistics() -> Result<Statistics, ApiError> {
    get("/api/statistics").await
}

pub async fn file_complaint(draft: &ComplaintDraft) -> Result<ComplaintView, ApiError> {
    post("/api/complaints", draft).await
}

/// The reader's complaints (all of them for a regulator), or the published outcomes.
pub async fn complaints(published: bool) -> Result<Vec<ComplaintView>, ApiError> {
    if published {
        get("/api/complaints?scope=published").await
    } else {
        get("/api/complaints").await
    }
}

pub async fn complaint(id: i64) -> Result<ComplaintView, ApiError> {
    get(&format!("/api/complaints/{id}")).await
}

/// Accept, refuse or answer, with its text.
pub async fn complaint_step(
    id: i64,
    step: TextStep,
    text: String,
) -> Result<ComplaintView, ApiError> {
    post(
        &format!("/api/complaints/{id}/{}", step.as_str()),
        &ComplaintStep { text },
    )
    .await
}

pub async fn decide_complaint(
    id: i64,
    decision: &ComplaintDecision,
) -> Result<ComplaintView, ApiError> {
    post(&format!("/api/complaints/{id}/decide"), decision).await
}

pub async fn credit(agency_id: i64) -> Result<CreditRecord, ApiError> {
    get(&format!("/api/agencies/{agency_id}/credit")).await
}

pub async fn suspension_proposals() -> Result<Vec<SuspensionProposal>, ApiError> {
    get("/api/oversight/suspension-proposals").await
}

pub async fn dismiss_proposal(id: i64, text: String) -> Result<(), ApiError> {
    send_empty(
        Request::post(&format!("/api/oversight/suspension-proposals/{id}/dismiss")),
        &ComplaintStep { text },
    )
    .await
}

pub async fn confirm_proposal(
    id: i64,
    request: &SuspensionRequest,
) -> Result<SuspensionView, ApiError> {
    post(
        &format!("/api/oversight/suspension-proposals/{id}/confirm"),
        request,
    )
    .await
}
