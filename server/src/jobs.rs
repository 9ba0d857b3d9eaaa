//! Evaluation jobs and sealed bids: post, publish, amend, bid before the deadline, and the
//! opening when the deadline passes. Bids stay sealed until then, enforced here.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::http::json::ApiJson;
use crate::http::path::{PathId, PathIds};
use crate::http::query::ApiQuery;
use crate::state::AppState;
use crate::store::{BidRefusal, JobFilter, JobLine, JobPatch, JobRecord, NewBid};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use market_domain::draw;
use market_domain::error::{FieldErrors, Locale, Violation};
use market_domain::job::{level_meets, JobDraft, JobState};
use market_domain::job::{Actor, JobAction, JobEvent};
use market_domain::selection::{
    fee_flags, rank_by_price, rank_by_score, RankedBid, SelectionMethod, DEFAULT_FLOOR_RATIO_BP,
};
use market_domain::text::BoundedText;
use market_domain::wire::{
    parse_page, parse_per_page, AcceptanceRequest, AwardRecord, AwardRequest, BidEligibility,
    BidRequest, BidView, ContractTerms, DeliveryReport, DrawView, FilterError, JobEventView,
    JobSummary, JobView, JobViewer, MyJobs, ObjectionAnswer, ObjectionRequest, ObjectionStatus,
    ObjectionView, Page, RatingRequest, ReplyRequest, MAX_PER_PAGE,
};
use market_domain::{FieldError, Money, Role, ServiceType};
use rand::RngCore;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_jobs, create_job))
        .routes(routes!(get_job, update_job))
        .routes(routes!(publish_job))
        .routes(routes!(cancel_job))
        .routes(routes!(repost_job))
        .routes(routes!(list_job_events))
        .routes(routes!(list_my_jobs))
        .routes(routes!(get_eligibility))
        .routes(routes!(list_bids, create_bid))
        .routes(routes!(update_bid))
        .routes(routes!(withdraw_bid))
        .routes(routes!(award_job))
        .routes(routes!(get_draw))
        .routes(routes!(list_objections, file_objection))
        .routes(routes!(answer_objection))
        .routes(routes!(withdraw_award))
        .routes(routes!(get_contract, propose_contract))
        .routes(routes!(confirm_contract))
        .routes(routes!(get_delivery, deliver))
        .routes(routes!(accept_delivery))
        .routes(routes!(rate_job))
        .routes(routes!(reply_rating))
}

#[derive(Debug, thiserror::Error)]
enum JobInputError {
    #[error("截止时间格式应为 RFC 3339,例如 2026-12-10T17:00:00+08:00")]
    DeadlineFormat,
    #[error("报名截止时间必须晚于当前时间")]
    DeadlineInPast,
    #[error("报价金额不能为负数")]
    PriceNegative,
    #[error("报价须大于 0 元")]
    PriceZero,
    #[error("服务期限应为 1–3650 天")]
    ServiceDays,
    #[error("报价不能超过最高限价")]
    OverBudget,
}

impl Violation for JobInputError {
    fn code(&self) -> &'static str {
        match self {
            JobInputError::DeadlineFormat => "deadline_format",
            JobInputError::DeadlineInPast => "deadline_in_past",
            JobInputError::PriceNegative => "money_negative",
            JobInputError::PriceZero => "price_not_positive",
            JobInputError::ServiceDays => "service_days",
            JobInputError::OverBudget => "over_budget",
        }
    }

    fn message(&self, locale: Locale) -> String {
        match (locale, self) {
            (Locale::ZhCn, _) => self.to_string(),
            (Locale::En, JobInputError::DeadlineFormat) => "Write the deadline in RFC 3339".into(),
            (Locale::En, JobInputError::DeadlineInPast) => {
                "The deadline must be in the future".into()
            }
            (Locale::En, JobInputError::PriceNegative) => "The price cannot be negative".into(),
            (Locale::En, JobInputError::PriceZero) => "The price must be above zero".into(),
            (Locale::En, JobInputError::ServiceDays) => "The service period is 1–3650 days".into(),
            (Locale::En, JobInputError::OverBudget) => {
                "The price exceeds the budget ceiling".into()
            }
        }
    }
}

/// A draft may leave the deadline empty until it is published, but what it holds must be a
/// time: nothing unreadable is stored to fail only at publication.
fn check_draft_deadline(draft: &JobDraft) -> ApiResult<()> {
    let text = draft.deadline.trim();
    if text.is_empty() || OffsetDateTime::parse(text, &Rfc3339).is_ok() {
        Ok(())
    } else {
        Err(ApiError::field(FieldError::new(
            "deadline",
            &JobInputError::DeadlineFormat,
        )))
    }
}

fn deadline_of(draft: &JobDraft, now: OffsetDateTime) -> ApiResult<OffsetDateTime> {
    let deadline = OffsetDateTime::parse(draft.deadline.trim(), &Rfc3339).map_err(|_| {
        ApiError::field(FieldError::new("deadline", &JobInputError::DeadlineFormat))
    })?;
    if deadline <= now {
        return Err(ApiError::field(FieldError::new(
            "deadline",
            &JobInputError::DeadlineInPast,
        )));
    }
    Ok(deadline)
}

/// Loads a job as the clock implies it to be. A job whose opening is due is opened by the
/// background task, not by this read: the reader asks for a run and reads again after it.
pub(crate) async fn load(state: &AppState, id: i64) -> ApiResult<JobRecord> {
    let mut job = state.store.job(id).await?.ok_or(ApiError::NotFound)?;
    if job.view.state.opening_due(
        job.deadline.map(|d| d.unix_timestamp()),
        state.clock.now().unix_timestamp(),
    ) && state.due.run_soon(crate::due::PATIENCE).await
    {
        job = state.store.job(id).await?.ok_or(ApiError::NotFound)?;
    }
    finalise_award(state, &mut job.view).await?;
    Ok(job)
}

/// Before answering from what is stored: if any job is due to open, the background task opens
/// it first (read-only check here; the task writes).
pub(crate) async fn let_due_work_run(state: &AppState) -> ApiResult<()> {
    if !state.store.due_jobs(state.clock.now()).await?.is_empty() {
        state.due.run_soon(crate::due::PATIENCE).await;
    }
    Ok(())
}

/// An award is final once its publicity is over with no objection pending.
pub(crate) async fn finalise_award(state: &AppState, view: &mut JobView) -> ApiResult<()> {
    let now = state.clock.now();
    if let Some(award) = view.award.as_mut() {
        let over =
            OffsetDateTime::parse(&award.publicity_ends, &Rfc3339).is_ok_and(|ends| now >= ends);
        let pending = state
            .store
            .objections(view.id)
            .await?
            .iter()
            .any(|o| o.status == ObjectionStatus::Pending);
        award.is_final = over && !pending;
    }
    Ok(())
}

fn owned_by(job: &JobRecord, user: &CurrentUser) -> ApiResult<()> {
    user.require(Role::Enterprise)?;
    if job.enterprise_user_id == user.user_id {
        Ok(())
    } else {
        Err(ApiError::Forbidden {
            code: "not_job_owner",
            message: "只有发布该项目的业主可以进行此操作",
        })
    }
}

/// Drafts are visible to their owner only.
pub(crate) fn visible_to(job: &JobRecord, user: Option<&CurrentUser>) -> ApiResult<()> {
    let owner = user.is_some_and(|u| u.user_id == job.enterprise_user_id);
    if job.view.state == JobState::Draft && !owner {
        Err(ApiError::NotFound)
    } else {
        Ok(())
    }
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct JobQuery {
    /// 项目状态代码,如 published、evaluating、publicity。
    state: Option<String>,
    /// 服务类型代码。
    service_type: Option<String>,
    /// 页码,1–100000。
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000)]
    page: Option<String>,
    /// 每页条数,1–100。
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/jobs",
    tag = "jobs",
    summary = "公开的采购项目列表(分页)",
    params(JobQuery),
    responses((status = 200, description = "成功", body = Page<JobSummary>)),
)]
async fn list_jobs(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<JobQuery>,
) -> ApiResult<Json<Page<JobSummary>>> {
    let present = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let bad = |field: &str, error: FilterError| ApiError::field(FieldError::new(field, &error));
    let filter = JobFilter {
        state: match present(&query.state) {
            None => None,
            Some(code) => Some(
                JobState::parse(&code).ok_or_else(|| bad("state", FilterError::UnknownState))?,
            ),
        },
        service_type: match present(&query.service_type) {
            None => None,
            Some(code) => Some(
                ServiceType::parse(&code)
                    .ok_or_else(|| bad("service_type", FilterError::UnknownServiceType))?,
            ),
        },
        page: parse_page(query.page.as_deref()).map_err(|e| bad("page", e))?,
        per_page: parse_per_page(query.per_page.as_deref()).map_err(|e| bad("per_page", e))?,
        owner: None,
        bidder: None,
    };
    Ok(Json(state.store.list_jobs(&filter).await?))
}

#[utoipa::path(
    post,
    path = "/api/jobs",
    tag = "jobs",
    summary = "项目业主创建项目草稿",
    request_body = JobDraft,
    responses((status = 201, description = "已创建", body = JobView)),
    security(("session" = [])),
)]
async fn create_job(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(draft): ApiJson<JobDraft>,
) -> ApiResult<(StatusCode, Json<JobView>)> {
    user.require(Role::Enterprise)?;
    draft.parse().map_err(ApiError::Validation)?;
    check_draft_deadline(&draft)?;
    let id = state
        .store
        .create_job(user.user_id, draft.clone(), state.clock.now())
        .await?;
    crate::cases::link_job(&state, user.user_id, id, &draft).await?;
    let job = state.store.job(id).await?.ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(job.view)))
}

#[utoipa::path(
    get,
    path = "/api/jobs/{id}",
    tag = "jobs",
    summary = "项目详情(按身份显示可见内容)",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = JobView)),
    security((), ("session" = [])),
)]
async fn get_job(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    PathId(id): PathId,
) -> ApiResult<Json<JobView>> {
    let job = load(&state, id).await?;
    visible_to(&job, user.as_ref())?;
    let viewer = viewer_of(&state, user.as_ref(), &job).await?;
    let may_see_case = viewer.is_owner
        || viewer.is_bidder
        || user
            .as_ref()
            .is_some_and(|u| matches!(u.role, Role::Regulator | Role::ApprovalOfficer));
    let case = match state.store.job_case(job.view.id).await? {
        Some(case_id) if may_see_case => {
            let service = ServiceType::parse(&job.view.terms.service_type);
            let review = state
                .store
                .case_events(case_id)
                .await?
                .into_iter()
                .rev()
                .find_map(|e| match e.kind {
                    market_domain::approval::CaseEventKind::TechnicalReview {
                        service_type,
                        result,
                    } if Some(service_type) == service => Some((result, e.note)),
                    _ => None,
                });
            state
                .store
                .case(case_id)
                .await?
                .map(|c| market_domain::wire::JobCaseLink {
                    id: c.id,
                    case_number: c.case_number,
                    item_name: c.item.name,
                    status: c.status,
                    review: review.as_ref().map(|(r, _)| *r),
                    review_note: review.map(|(_, note)| note).unwrap_or_default(),
                })
        }
        _ => None,
    };
    Ok(Json(JobView {
        viewer,
        case,
        ..job.view
    }))
}

/// The reader's part in the job: owner, bidder (in any bid status) or current winner.
async fn viewer_of(
    state: &AppState,
    user: Option<&CurrentUser>,
    job: &JobRecord,
) -> ApiResult<JobViewer> {
    let Some(user) = user else {
        return Ok(JobViewer::default());
    };
    let mut viewer = JobViewer {
        is_owner: user.user_id == job.enterprise_user_id,
        ..JobViewer::default()
    };
    if user.role == Role::Agency {
        if let Some(agency_id) = state.store.agency_of_owner(user.user_id).await? {
            viewer.is_bidder = state
                .store
                .bids(job.view.id)
                .await?
                .iter()
                .any(|b| b.agency_id == agency_id);
            viewer.is_winner = job.view.award.as_ref().map(|a| a.agency_id) == Some(agency_id);
        }
    }
    Ok(viewer)
}

/// A draft's terms are simply replaced; a published job's change voids the bids placed so far.
#[utoipa::path(
    put,
    path = "/api/jobs/{id}",
    tag = "jobs",
    summary = "修改项目条款(已发布项目修改后已报价作废)",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = JobDraft,
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
async fn update_job(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(draft): ApiJson<JobDraft>,
) -> ApiResult<Json<JobView>> {
    let job = load(&state, id).await?;
    owned_by(&job, &user)?;
    draft.parse().map_err(ApiError::Validation)?;
    check_draft_deadline(&draft)?;
    let now = state.clock.now();
    let changed = match job.view.state {
        JobState::Draft => state.store.update_job_draft(id, draft, now).await?,
        JobState::Published => {
            if draft.selection.code() != job.view.terms.selection.code() {
                return Err(ApiError::Conflict {
                    code: "method_locked",
                    message: "发布后不能更改选取方式,请撤销后重新发布",
                    field: Some("selection"),
                });
            }
            let deadline = deadline_of(&draft, now)?;
            state.store.amend_job(id, draft, deadline, now).await?
        }
        _ => false,
    };
    if !changed {
        return Err(ApiError::Conflict {
            code: "job_locked",
            message: "项目已截止或已结束,不能再修改",
            field: None,
        });
    }
    Ok(Json(load(&state, id).await?.view))
}

#[utoipa::path(
    post,
    path = "/api/jobs/{id}/publish",
    tag = "jobs",
    summary = "发布项目",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
async fn publish_job(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<Json<JobView>> {
    let job = load(&state, id).await?;
    owned_by(&job, &user)?;
    let now = state.clock.now();
    let deadline = deadline_of(&job.view.terms, now)?;
    // The seed is secret until the draw; only its SHA-256 is published now.
    let draw = (job.view.terms.selection == SelectionMethod::RandomDraw).then(|| {
        let mut seed = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut seed);
        (seed.to_vec(), draw::commitment(&seed))
    });
    if !state.store.publish_job(id, deadline, draw, now).await? {
        return Err(ApiError::Conflict {
            code: "already_published",
            message: "该项目已发布",
            field: None,
        });
    }
    Ok(Json(load(&state, id).await?.view))
}

#[utoipa::path(
    get,
    path = "/api/jobs/{id}/events",
    tag = "jobs",
    summary = "项目全过程记录",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = Vec<JobEventView>)),
    security((), ("session" = [])),
)]
async fn list_job_events(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<JobEventView>>> {
    let job = load(&state, id).await?;
    visible_to(&job, user.as_ref())?;
    Ok(Json(state.store.job_events(id).await?))
}

const SEALED: ApiError = ApiError::Forbidden {
    code: "bids_sealed",
    message: "报价在截止前密封,仅报价机构本人可查看自己的报价",
};

/// Before the deadline a bidder sees only its own bid and everybody else gets 403; after it,
/// the enterprise and regulators see every bid and a bidder still only its own.
#[utoipa::path(
    get,
    path = "/api/jobs/{id}/bids",
    tag = "jobs",
    summary = "报价列表(截止前仅本机构可见自己的报价)",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = Vec<BidView>)),
    security((), ("session" = [])),
)]
async fn list_bids(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<BidView>>> {
    let job = load(&state, id).await?;
    visible_to(&job, user.as_ref())?;
    let user = user.ok_or(SEALED)?;
    let sealed = matches!(job.view.state, JobState::Draft | JobState::Published);
    let sees_all = !sealed
        && (user.role == Role::Regulator
            || (user.role == Role::Enterprise && user.user_id == job.enterprise_user_id));
    if sees_all {
        return Ok(Json(state.store.bids(id).await?));
    }
    if user.role == Role::Agency {
        if let Some(agency_id) = state.store.agency_of_owner(user.user_id).await? {
            let own: Vec<BidView> = state
                .store
                .bids(id)
                .await?
                .into_iter()
                .filter(|b| b.agency_id == agency_id)
                .collect();
            if !own.is_empty() {
                return Ok(Json(own));
            }
        }
    }
    Err(SEALED)
}

fn not_eligible(code: &'static str, message: &'static str) -> ApiError {
    ApiError::Forbidden { code, message }
}

/// The signed-in agency's id and public record; refused when it is not listed.
async fn own_agency(
    state: &AppState,
    user: &CurrentUser,
) -> ApiResult<(i64, market_domain::wire::AgencyDetail)> {
    user.require(Role::Agency)?;
    let agency_id = state
        .store
        .agency_of_owner(user.user_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let agency = state
        .store
        .agency_detail(agency_id, state.today())
        .await?
        .ok_or_else(|| not_eligible("agency_not_listed", "机构尚未通过入驻审核,不能报价"))?;
    Ok((agency_id, agency))
}

/// Why this agency may not bid on this job, if it may not: suspension, avoidance, or a missing
/// service or qualification level.
fn eligibility(
    agency_id: i64,
    agency: &market_domain::wire::AgencyDetail,
    job: &JobView,
) -> ApiResult<()> {
    if agency.suspension.is_some() {
        return Err(not_eligible(
            "agency_suspended",
            "机构处于暂停期或黑名单内,不能报价",
        ));
    }
    if job.terms.avoidance.iter().any(|a| a.agency_id == agency_id) {
        return Err(not_eligible(
            "agency_avoided",
            "您的机构在本项目的回避名单中,不能报价",
        ));
    }
    let service = ServiceType::parse(&job.terms.service_type);
    if !service.is_some_and(|s| agency.service_types.contains(&s)) {
        return Err(not_eligible(
            "not_qualified",
            "机构未提供该项服务,或相关资质已过期",
        ));
    }
    for required in &job.terms.required_qualifications {
        let needed = ServiceType::parse(&required.service_type);
        let held = agency.qualifications.iter().any(|q| {
            !q.expired
                && needed.is_some_and(|s| q.service_types.contains(&s))
                && level_meets(&q.level, &required.min_level)
        });
        if !held {
            return Err(not_eligible(
                "not_qualified",
                "机构不具备本项目要求的资质等级",
            ));
        }
    }
    Ok(())
}

/// The bidding agency, if it may bid on this job at all; otherwise why not.
async fn eligible_agency(
    state: &AppState,
    user: &CurrentUser,
    job: &JobRecord,
) -> ApiResult<(i64, market_domain::wire::AgencyDetail)> {
    let (agency_id, agency) = own_agency(state, user).await?;
    eligibility(agency_id, &agency, &job.view)?;
    Ok((agency_id, agency))
}

/// What the bid form needs: may this agency bid, why not, and its own fee standard for the
/// job's service so the browser previews the same flags the server will set.
#[utoipa::path(
    get,
    path = "/api/jobs/{id}/eligibility",
    tag = "jobs",
    summary = "本机构能否报价及原因,附本机构收费标准",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = BidEligibility)),
    security(("session" = [])),
)]
async fn get_eligibility(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<Json<BidEligibility>> {
    let job = load(&state, id).await?;
    visible_to(&job, Some(&user))?;
    let (agency_id, agency) = own_agency(&state, &user).await?;
    let refusal = eligibility(agency_id, &agency, &job.view).err();
    let (code, message) = match &refusal {
        Some(ApiError::Forbidden { code, message }) => {
            (Some((*code).to_owned()), Some((*message).to_owned()))
        }
        _ => (None, None),
    };
    let service = ServiceType::parse(&job.view.terms.service_type);
    let fee_standard = agency
        .fee_standards
        .iter()
        .find(|f| Some(f.service_type()) == service)
        .cloned();
    let own_bid = state
        .store
        .bids(job.view.id)
        .await?
        .into_iter()
        .find(|b| b.agency_id == agency_id);
    Ok(Json(BidEligibility {
        eligible: refusal.is_none(),
        code,
        message,
        fee_standard,
        floor_ratio_bp: DEFAULT_FLOOR_RATIO_BP,
        own_bid,
    }))
}

/// Every page of jobs matching `filter`, for the short personal lists.
async fn all_jobs(state: &AppState, mut filter: JobFilter) -> ApiResult<Vec<JobSummary>> {
    filter.per_page = MAX_PER_PAGE;
    filter.page = 1;
    let mut items = Vec::new();
    loop {
        let page = state.store.list_jobs(&filter).await?;
        let done = page.page >= page.page_count();
        items.extend(page.items);
        if done {
            return Ok(items);
        }
        filter.page += 1;
    }
}

/// An enterprise's own jobs; an agency's open jobs it may bid on ("jobs I qualify for") and
/// the jobs it has bid on. Regulators use the public list.
#[utoipa::path(
    get,
    path = "/api/my/jobs",
    tag = "jobs",
    summary = "我的项目:业主的项目;机构可报名的项目与已报价项目",
    responses((status = 200, description = "成功", body = MyJobs)),
    security(("session" = [])),
)]
async fn list_my_jobs(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<MyJobs>> {
    let filter = JobFilter {
        state: None,
        service_type: None,
        owner: None,
        bidder: None,
        page: 1,
        per_page: MAX_PER_PAGE,
    };
    match user.role {
        Role::Enterprise => Ok(Json(MyJobs {
            owned: all_jobs(
                &state,
                JobFilter {
                    owner: Some(user.user_id),
                    ..filter
                },
            )
            .await?,
            ..MyJobs::default()
        })),
        Role::Agency => {
            let (agency_id, agency) = own_agency(&state, &user).await?;
            let bidding = all_jobs(
                &state,
                JobFilter {
                    bidder: Some(agency_id),
                    ..filter.clone()
                },
            )
            .await?;
            let open = all_jobs(
                &state,
                JobFilter {
                    state: Some(JobState::Published),
                    ..filter
                },
            )
            .await?;
            let mut qualified = Vec::new();
            for summary in open {
                if bidding.iter().any(|b| b.id == summary.id)
                    || !agency.service_types.contains(&summary.service_type)
                {
                    continue;
                }
                if let Some(job) = state.store.job(summary.id).await? {
                    if eligibility(agency_id, &agency, &job.view).is_ok() {
                        qualified.push(summary);
                    }
                }
            }
            Ok(Json(MyJobs {
                qualified,
                bidding,
                ..MyJobs::default()
            }))
        }
        Role::Regulator | Role::ApprovalOfficer => Err(ApiError::Forbidden {
            code: "forbidden_role",
            message: "监管部门请在采购公告列表中查看全部项目",
        }),
    }
}

fn parse_bid(request: &BidRequest, budget: i64) -> ApiResult<(Money, BoundedText, BoundedText)> {
    let mut errors = FieldErrors::new();
    // A bid of 0 would win every lowest-price selection; one above the ceiling (up to
    // i64::MAX) is over budget, not "negative".
    let price = match Money::from_fen(request.price) {
        Ok(price) if price.fen() == 0 => {
            errors.push("price", &JobInputError::PriceZero);
            None
        }
        Ok(price) if price.fen() <= budget => Some(price),
        Ok(_) | Err(market_domain::money::MoneyError::TooLarge) => {
            errors.push("price", &JobInputError::OverBudget);
            None
        }
        Err(_) => {
            errors.push("price", &JobInputError::PriceNegative);
            None
        }
    };
    if !(1..=3650).contains(&request.service_days) {
        errors.push("service_days", &JobInputError::ServiceDays);
    }
    let commitment = errors.check(
        "commitment",
        BoundedText::parse(&request.commitment, 2, 500, true),
    );
    let proposal = errors.check(
        "proposal",
        BoundedText::parse(&request.proposal, 2, 5000, true),
    );
    match (price, commitment, proposal) {
        (Some(price), Some(commitment), Some(proposal)) if errors.is_empty() => {
            Ok((price, commitment, proposal))
        }
        _ => Err(ApiError::Validation(errors.into_vec())),
    }
}

fn refusal(refusal: BidRefusal) -> ApiError {
    match refusal {
        BidRefusal::NotOpen => ApiError::Conflict {
            code: "job_not_open",
            message: "该项目未在报名期",
            field: None,
        },
        BidRefusal::DeadlinePassed => ApiError::Conflict {
            code: "deadline_passed",
            message: "报名已截止,不再接受报价",
            field: None,
        },
        BidRefusal::AlreadyBid => ApiError::Conflict {
            code: "already_bid",
            message: "每家机构对同一项目只能报价一次,如需调整请修改已有报价",
            field: None,
        },
        BidRefusal::NoBid => ApiError::NotFound,
    }
}

/// A bid's fee flags, checked against the bidder's own published standard for the service.
pub(crate) fn bid_flags(
    agency: &market_domain::wire::AgencyDetail,
    terms: &market_domain::job::JobTerms,
    price: Money,
) -> Vec<market_domain::selection::FeeFlag> {
    agency
        .fee_standards
        .iter()
        .find(|f| f.service_type() == terms.service_type)
        .and_then(|f| fee_flags(price, f, &terms.facts, DEFAULT_FLOOR_RATIO_BP).ok())
        .unwrap_or_default()
}

async fn new_bid(
    state: &AppState,
    user: &CurrentUser,
    job: &JobRecord,
    request: &BidRequest,
) -> ApiResult<(i64, NewBid)> {
    let (agency_id, agency) = eligible_agency(state, user, job).await?;
    let (price, commitment, proposal) = parse_bid(request, job.view.terms.budget_ceiling)?;
    let terms = job.view.terms.parse().map_err(ApiError::Validation)?;
    let flags = bid_flags(&agency, &terms, price);
    Ok((
        agency_id,
        NewBid {
            price,
            service_days: request.service_days,
            commitment: commitment.into_string(),
            proposal: proposal.into_string(),
            flags,
        },
    ))
}

#[utoipa::path(
    post,
    path = "/api/jobs/{id}/bids",
    tag = "jobs",
    summary = "提交报价",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = BidRequest,
    responses((status = 201, description = "已创建", body = BidView)),
    security(("session" = [])),
)]
async fn create_bid(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<BidRequest>,
) -> ApiResult<(StatusCode, Json<BidView>)> {
    let job = load(&state, id).await?;
    visible_to(&job, Some(&user))?;
    let (agency_id, bid) = new_bid(&state, &user, &job, &request).await?;
    let stored = state
        .store
        .create_bid(job.view.id, agency_id, bid, state.clock.now())
        .await?
        .map_err(refusal)?;
    Ok((StatusCode::CREATED, Json(stored)))
}

#[utoipa::path(
    put,
    path = "/api/jobs/{id}/bids/mine",
    tag = "jobs",
    summary = "修改或重新确认报价",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = BidRequest,
    responses((status = 200, description = "成功", body = BidView)),
    security(("session" = [])),
)]
async fn update_bid(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<BidRequest>,
) -> ApiResult<Json<BidView>> {
    let job = load(&state, id).await?;
    visible_to(&job, Some(&user))?;
    let (agency_id, bid) = new_bid(&state, &user, &job, &request).await?;
    let stored = state
        .store
        .update_bid(job.view.id, agency_id, bid, state.clock.now())
        .await?
        .map_err(refusal)?;
    Ok(Json(stored))
}

#[utoipa::path(
    post,
    path = "/api/jobs/{id}/bids/mine/withdraw",
    tag = "jobs",
    summary = "撤回报价",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 204, description = "已完成")),
    security(("session" = [])),
)]
async fn withdraw_bid(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<StatusCode> {
    let job = load(&state, id).await?;
    visible_to(&job, Some(&user))?;
    user.require(Role::Agency)?;
    let agency_id = state
        .store
        .agency_of_owner(user.user_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    state
        .store
        .withdraw_bid(job.view.id, agency_id, state.clock.now())
        .await?
        .map_err(refusal)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, thiserror::Error)]
enum AwardError {
    #[error("请选择报价的机构")]
    PickRequired,
    #[error("直接选取须写明理由(2–500 字)")]
    ReasonRequired,
    #[error("所选机构没有有效报价")]
    NotABidder,
}

impl Violation for AwardError {
    fn code(&self) -> &'static str {
        match self {
            AwardError::PickRequired => "pick_required",
            AwardError::ReasonRequired => "reason_required",
            AwardError::NotABidder => "not_a_bidder",
        }
    }

    fn message(&self, locale: Locale) -> String {
        match (locale, self) {
            (Locale::ZhCn, _) => self.to_string(),
            (Locale::En, AwardError::PickRequired) => "Choose a bidding agency".into(),
            (Locale::En, AwardError::ReasonRequired) => "A direct pick needs its reason".into(),
            (Locale::En, AwardError::NotABidder) => "That agency has no valid bid".into(),
        }
    }
}

/// The enterprise selects by the published method. The transition is conditional on the job
/// still evaluating, so of two concurrent selections exactly one wins.
#[utoipa::path(
    post,
    path = "/api/jobs/{id}/award",
    tag = "jobs",
    summary = "按公布的选取方式确定中选机构",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = AwardRequest,
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
async fn award_job(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<AwardRequest>,
) -> ApiResult<Json<JobView>> {
    let job = load(&state, id).await?;
    owned_by(&job, &user)?;
    job.view
        .state
        .apply(JobAction::Award, Actor::Enterprise)
        .map_err(|_| ApiError::Conflict {
            code: "invalid_transition",
            message: if job.view.state == JobState::Publicity {
                "已选定中选机构,不能重复选取"
            } else {
                "当前状态下不能选取中选机构"
            },
            field: None,
        })?;
    let bids: Vec<RankedBid> = state
        .store
        .valid_bids(id)
        .await?
        .into_iter()
        .map(|(agency_id, price, at)| RankedBid {
            agency_id,
            price,
            submitted: (at, agency_id),
        })
        .collect();
    let by_price = rank_by_price(&bids);
    let field_error = |field: &str, e: &dyn Violation| ApiError::field(FieldError::new(field, e));
    let (order, reason) = match &job.view.terms.selection {
        SelectionMethod::RandomDraw => {
            return Err(ApiError::Conflict {
                code: "draw_is_automatic",
                message: "随机抽取在报名截止时由系统自动进行,业主不能选取",
                field: None,
            })
        }
        SelectionMethod::LowestPrice => (by_price, "竞价选取:有效报价最低者中选".to_owned()),
        SelectionMethod::CompositeScore { criteria } => {
            let sheets: Vec<(i64, Vec<u32>)> = request
                .scores
                .iter()
                .map(|s| (s.agency_id, s.scores.clone()))
                .collect();
            let ranked =
                rank_by_score(&bids, &sheets, criteria).map_err(|e| field_error("scores", &e))?;
            let best = ranked[0].1;
            let mut reason = format!("综合评分最高:{}.{:02} 分", best / 100, best % 100);
            if market_domain::selection::decided_by_tie(&ranked) {
                // Never settled silently: the announcement says the tie rule decided.
                reason.push_str(";与其他机构总分相同,按同分规则确定:");
                reason.push_str(market_domain::selection::tie_rule(
                    &job.view.terms.selection,
                    market_domain::Locale::ZhCn,
                ));
            }
            (
                ranked.into_iter().map(|(agency, _)| agency).collect(),
                reason,
            )
        }
        SelectionMethod::DirectPick => {
            let pick = request
                .agency_id
                .ok_or_else(|| field_error("agency_id", &AwardError::PickRequired))?;
            if !bids.iter().any(|b| b.agency_id == pick) {
                return Err(field_error("agency_id", &AwardError::NotABidder));
            }
            let reason = BoundedText::parse(&request.reason, 2, 500, true)
                .map_err(|_| field_error("reason", &AwardError::ReasonRequired))?;
            // Should the pick fall away, the others follow by price.
            let order = std::iter::once(pick)
                .chain(by_price.into_iter().filter(|a| *a != pick))
                .collect();
            (order, reason.into_string())
        }
    };
    let prices = order
        .iter()
        .map(|agency| {
            bids.iter()
                .find(|b| b.agency_id == *agency)
                .map(|b| b.price)
                .unwrap_or(Money::ZERO)
        })
        .collect();
    let now = state.clock.now();
    let award = AwardRecord {
        candidates: order,
        position: 0,
        prices,
        reason: reason.clone(),
        publicity_ends: (now + time::Duration::days(i64::from(job.view.terms.publicity_days)))
            .unix_timestamp(),
        candidates_hash: None,
        seed: None,
    };
    let (winner, price) = award.winner().ok_or(ApiError::Conflict {
        code: "no_bids",
        message: "没有有效报价,不能选取",
        field: None,
    })?;
    let detail = format!(
        "{reason};中选机构编号 {winner},报价 {}",
        market_domain::format::money(price, Locale::ZhCn)
    );
    let awarded = state
        .store
        .advance_job(
            JobLine::new(id, now, Actor::Enterprise, JobEvent::Awarded, detail).moving(
                JobState::Evaluating,
                JobState::Publicity,
                JobPatch {
                    award: Some(award),
                    ..JobPatch::default()
                },
            ),
        )
        .await?;
    if !awarded {
        return Err(ApiError::Conflict {
            code: "invalid_transition",
            message: "已选定中选机构,不能重复选取",
            field: None,
        });
    }
    Ok(Json(load(&state, id).await?.view))
}

/// Everything needed to recompute a random draw; the seed stays hidden until the draw.
#[utoipa::path(
    get,
    path = "/api/jobs/{id}/draw",
    tag = "jobs",
    summary = "随机抽取的可复核数据(抽取前不公开种子)",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = DrawView)),
    security((), ("session" = [])),
)]
async fn get_draw(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    PathId(id): PathId,
) -> ApiResult<Json<DrawView>> {
    let job = load(&state, id).await?;
    visible_to(&job, user.as_ref())?;
    let commitment = job.view.draw_commitment.clone().ok_or(ApiError::NotFound)?;
    let (award, _, _) = state.store.job_parts(id).await?;
    Ok(Json(match award {
        Some(award) if award.seed.is_some() => {
            let mut candidates = award.candidates.clone();
            candidates.sort_unstable();
            // The draw happened at opening, so naming the candidates reveals nothing sealed.
            let bids = state.store.bids(id).await?;
            let name_of = |agency: i64| {
                bids.iter()
                    .find(|b| b.agency_id == agency)
                    .map(|b| b.agency_name.clone())
                    .unwrap_or_default()
            };
            let winner = award.candidates.first().copied();
            DrawView {
                commitment,
                candidates_hash: award.candidates_hash.clone(),
                candidate_names: candidates.iter().map(|c| name_of(*c)).collect(),
                candidates,
                seed: award.seed.clone(),
                winner_name: winner.map(name_of),
                winner,
            }
        }
        _ => DrawView {
            commitment,
            candidates_hash: None,
            candidates: Vec::new(),
            candidate_names: Vec::new(),
            seed: None,
            winner: None,
            winner_name: None,
        },
    }))
}

fn conflict(code: &'static str, message: &'static str) -> ApiError {
    ApiError::Conflict {
        code,
        message,
        field: None,
    }
}

/// Applies one transition of the state machine, conditional on the state just read.
async fn step(
    state: &AppState,
    job: &JobRecord,
    action: JobAction,
    actor: Actor,
    patch: JobPatch,
    (event, detail): (JobEvent, String),
) -> ApiResult<JobView> {
    let next = job
        .view
        .state
        .apply(action, actor)
        .map_err(|_| conflict("invalid_transition", "当前状态下不能进行此操作"))?;
    let moved = state
        .store
        .advance_job(
            JobLine::new(job.view.id, state.clock.now(), actor, event, detail).moving(
                job.view.state,
                next,
                patch,
            ),
        )
        .await?;
    if !moved {
        return Err(conflict(
            "invalid_transition",
            "项目状态已变化,请刷新后重试",
        ));
    }
    Ok(load(state, job.view.id).await?.view)
}

/// The signed-in agency, when it is the job's current winner.
async fn winner(state: &AppState, user: &CurrentUser, job: &JobRecord) -> ApiResult<i64> {
    user.require(Role::Agency)?;
    let agency_id = state
        .store
        .agency_of_owner(user.user_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if job.view.award.as_ref().map(|a| a.agency_id) == Some(agency_id) {
        Ok(agency_id)
    } else {
        Err(ApiError::Forbidden {
            code: "not_winner",
            message: "只有中选机构可以进行此操作",
        })
    }
}

fn text_field(field: &str, input: &str, min: usize, max: usize) -> ApiResult<String> {
    BoundedText::parse(input, min, max, true)
        .map(BoundedText::into_string)
        .map_err(|e| ApiError::field(FieldError::new(field, &e)))
}

/// The award passes to the next candidate in the method's order, or the job fails when none is
/// left; publicity starts again for the new winner.
async fn pass_award_on(state: &AppState, job: &JobRecord, why: &str) -> ApiResult<JobView> {
    let (award, _, _) = state.store.job_parts(job.view.id).await?;
    let mut award = award.ok_or_else(|| conflict("invalid_transition", "项目尚未选定中选机构"))?;
    let now = state.clock.now();
    if award.position + 1 < award.candidates.len() {
        award.position += 1;
        award.publicity_ends =
            (now + time::Duration::days(i64::from(job.view.terms.publicity_days))).unix_timestamp();
        let next = award.candidates[award.position];
        let detail = format!("{why};按原规则由下一候选机构(编号 {next})中选,重新公示");
        step(
            state,
            job,
            JobAction::PassToNextCandidate,
            Actor::Enterprise,
            JobPatch {
                award: Some(award),
                ..JobPatch::default()
            },
            (JobEvent::AwardPassedOn, detail),
        )
        .await
    } else {
        step(
            state,
            job,
            JobAction::FailForNoCandidate,
            Actor::Enterprise,
            JobPatch::default(),
            (
                JobEvent::Unsuccessful,
                format!("{why};已无其他候选机构,流标"),
            ),
        )
        .await
    }
}

#[utoipa::path(
    get,
    path = "/api/jobs/{id}/objections",
    tag = "jobs",
    summary = "中选公示期内的异议",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = Vec<ObjectionView>)),
    security((), ("session" = [])),
)]
async fn list_objections(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<ObjectionView>>> {
    let job = load(&state, id).await?;
    visible_to(&job, user.as_ref())?;
    Ok(Json(state.store.objections(job.view.id).await?))
}

/// A bidder or the enterprise objects to the award during its publicity period.
#[utoipa::path(
    post,
    path = "/api/jobs/{id}/objections",
    tag = "jobs",
    summary = "公示期内提出异议",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = ObjectionRequest,
    responses((status = 201, description = "已创建", body = ObjectionView)),
    security(("session" = [])),
)]
async fn file_objection(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<ObjectionRequest>,
) -> ApiResult<(StatusCode, Json<ObjectionView>)> {
    let job = load(&state, id).await?;
    visible_to(&job, Some(&user))?;
    let may_object = match user.role {
        Role::Enterprise => user.user_id == job.enterprise_user_id,
        Role::Agency => match state.store.agency_of_owner(user.user_id).await? {
            Some(agency) => state
                .store
                .bids(job.view.id)
                .await?
                .iter()
                .any(|b| b.agency_id == agency),
            None => false,
        },
        Role::Regulator | Role::ApprovalOfficer => false,
    };
    if !may_object {
        return Err(ApiError::Forbidden {
            code: "not_a_party",
            message: "只有投标机构或项目业主可以提出异议",
        });
    }
    let publicity_open = job.view.state == JobState::Publicity
        && job.view.award.as_ref().is_some_and(|a| !a.is_final)
        && job.view.award.as_ref().is_some_and(|a| {
            OffsetDateTime::parse(&a.publicity_ends, &Rfc3339)
                .is_ok_and(|ends| state.clock.now() < ends)
        });
    if !publicity_open {
        return Err(conflict("publicity_over", "不在中选公示期内,不能提出异议"));
    }
    let reason = text_field("reason", &request.reason, 5, 2000)?;
    let objection = state
        .store
        .file_objection(job.view.id, user.user_id, reason, state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, Json(objection)))
}

/// The enterprise answers; an upheld objection passes the award to the next candidate.
#[utoipa::path(
    post,
    path = "/api/jobs/{id}/objections/{objection_id}/answer",
    tag = "jobs",
    summary = "项目业主答复异议",
    params(("id" = i64, Path, description = "项目编号"), ("objection_id" = i64, Path, description = "异议编号")),
    request_body = ObjectionAnswer,
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
async fn answer_objection(
    State(state): State<AppState>,
    user: CurrentUser,
    PathIds(id, objection_id): PathIds,
    ApiJson(request): ApiJson<ObjectionAnswer>,
) -> ApiResult<Json<JobView>> {
    let job = load(&state, id).await?;
    owned_by(&job, &user)?;
    let answer = text_field("answer", &request.answer, 2, 2000)?;
    let answered = state
        .store
        .answer_objection(
            job.view.id,
            objection_id,
            request.upheld,
            answer.clone(),
            state.clock.now(),
        )
        .await?;
    if !answered {
        return Err(conflict("already_answered", "该异议已答复"));
    }
    if request.upheld {
        pass_award_on(&state, &job, &format!("异议成立:{answer}"))
            .await
            .map(Json)
    } else {
        Ok(Json(load(&state, job.view.id).await?.view))
    }
}

/// The winner withdraws: the award moves to the next candidate by the same order, never a new draw.
#[utoipa::path(
    post,
    path = "/api/jobs/{id}/award/withdraw",
    tag = "jobs",
    summary = "中选机构放弃中选,依序递补",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
async fn withdraw_award(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<Json<JobView>> {
    let job = load(&state, id).await?;
    winner(&state, &user, &job).await?;
    if job.view.state != JobState::Publicity {
        return Err(conflict("invalid_transition", "当前状态下不能放弃中选"));
    }
    pass_award_on(&state, &job, "中选机构放弃中选")
        .await
        .map(Json)
}

/// The contract and the delivered report are the two parties' and the regulators' business.
async fn party_or_regulator(
    state: &AppState,
    user: &CurrentUser,
    job: &JobRecord,
) -> ApiResult<()> {
    let party = user.user_id == job.enterprise_user_id
        || user.role == Role::Regulator
        || winner(state, user, job).await.is_ok();
    if party {
        Ok(())
    } else {
        Err(ApiError::Forbidden {
            code: "not_a_party",
            message: "只有合同双方和监管部门可以查看合同与成果",
        })
    }
}

#[utoipa::path(
    get,
    path = "/api/jobs/{id}/contract",
    tag = "jobs",
    summary = "合同条款",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = Option<ContractTerms>)),
    security(("session" = [])),
)]
async fn get_contract(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<Json<Option<ContractTerms>>> {
    let job = load(&state, id).await?;
    party_or_regulator(&state, &user, &job).await?;
    let (_, contract, _) = state.store.job_parts(job.view.id).await?;
    Ok(Json(contract))
}

#[utoipa::path(
    get,
    path = "/api/jobs/{id}/delivery",
    tag = "jobs",
    summary = "成果交付信息",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = Option<DeliveryReport>)),
    security(("session" = [])),
)]
async fn get_delivery(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<Json<Option<DeliveryReport>>> {
    let job = load(&state, id).await?;
    party_or_regulator(&state, &user, &job).await?;
    let (_, _, delivery) = state.store.job_parts(job.view.id).await?;
    Ok(Json(delivery))
}

#[derive(Debug, thiserror::Error)]
enum ContractError {
    #[error("合同金额超过中选价格,须说明理由")]
    OverAward,
    #[error("合同金额须大于 0")]
    Amount,
    #[error("合同结束日期不能早于开始日期")]
    Dates,
}

impl Violation for ContractError {
    fn code(&self) -> &'static str {
        match self {
            ContractError::OverAward => "over_award_needs_reason",
            ContractError::Amount => "contract_amount",
            ContractError::Dates => "end_before_start",
        }
    }

    fn message(&self, locale: Locale) -> String {
        match (locale, self) {
            (Locale::ZhCn, _) => self.to_string(),
            (Locale::En, ContractError::OverAward) => {
                "Above the awarded price only with a reason".into()
            }
            (Locale::En, ContractError::Amount) => "The amount must be above zero".into(),
            (Locale::En, ContractError::Dates) => "The end cannot be before the start".into(),
        }
    }
}

/// The enterprise proposes the contract once the award is final.
#[utoipa::path(
    post,
    path = "/api/jobs/{id}/contract",
    tag = "jobs",
    summary = "项目业主提出合同",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = ContractTerms,
    responses((status = 200, description = "成功", body = ContractTerms)),
    security(("session" = [])),
)]
async fn propose_contract(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(terms): ApiJson<ContractTerms>,
) -> ApiResult<Json<ContractTerms>> {
    let job = load(&state, id).await?;
    owned_by(&job, &user)?;
    let award = job
        .view
        .award
        .clone()
        .filter(|a| a.is_final && job.view.state == JobState::Publicity)
        .ok_or_else(|| {
            conflict(
                "award_not_final",
                "中选结果公示期满且无未决异议后,方可签订合同",
            )
        })?;
    let amount = Money::from_fen(terms.amount)
        .ok()
        .filter(|m| m.fen() > 0)
        .ok_or_else(|| ApiError::field(FieldError::new("amount", &ContractError::Amount)))?;
    if amount > award.price && terms.over_reason.trim().chars().count() < 2 {
        return Err(ApiError::field(FieldError::new(
            "over_reason",
            &ContractError::OverAward,
        )));
    }
    let starts = market_domain::CalendarDate::parse(&terms.starts_on)
        .map_err(|e| ApiError::field(FieldError::new("starts_on", &e)))?;
    let ends = market_domain::CalendarDate::parse(&terms.ends_on)
        .map_err(|e| ApiError::field(FieldError::new("ends_on", &e)))?;
    if ends < starts {
        return Err(ApiError::field(FieldError::new(
            "ends_on",
            &ContractError::Dates,
        )));
    }
    let detail = format!(
        "业主发出合同:金额 {},{} 至 {}",
        market_domain::format::money(amount, Locale::ZhCn),
        starts,
        ends
    );
    // Same state: only the contract part changes; the agency's confirmation moves the job on.
    let stored = state
        .store
        .advance_job(
            JobLine::new(
                job.view.id,
                state.clock.now(),
                Actor::Enterprise,
                JobEvent::ContractProposed,
                detail,
            )
            .moving(
                JobState::Publicity,
                JobState::Publicity,
                JobPatch {
                    contract: Some(terms.clone()),
                    ..JobPatch::default()
                },
            ),
        )
        .await?;
    if !stored {
        return Err(conflict(
            "invalid_transition",
            "项目状态已变化,请刷新后重试",
        ));
    }
    Ok(Json(terms))
}

#[utoipa::path(
    post,
    path = "/api/jobs/{id}/contract/confirm",
    tag = "jobs",
    summary = "中选机构确认合同",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
async fn confirm_contract(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<Json<JobView>> {
    let job = load(&state, id).await?;
    winner(&state, &user, &job).await?;
    let (_, contract, _) = state.store.job_parts(job.view.id).await?;
    if contract.is_none() {
        return Err(conflict("no_contract", "业主尚未发出合同"));
    }
    step(
        &state,
        &job,
        JobAction::ConfirmContract,
        Actor::Agency,
        JobPatch::default(),
        (
            JobEvent::Contracted,
            "中介机构确认合同,双方签约".to_string(),
        ),
    )
    .await
    .map(Json)
}

#[utoipa::path(
    post,
    path = "/api/jobs/{id}/delivery",
    tag = "jobs",
    summary = "中选机构提交成果",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = DeliveryReport,
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
async fn deliver(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(report): ApiJson<DeliveryReport>,
) -> ApiResult<Json<JobView>> {
    let job = load(&state, id).await?;
    winner(&state, &user, &job).await?;
    let summary = text_field("summary", &report.summary, 5, 2000)?;
    let number = text_field("report_number", &report.report_number, 2, 50)?;
    let report = DeliveryReport {
        summary,
        report_number: number.clone(),
    };
    step(
        &state,
        &job,
        JobAction::Deliver,
        Actor::Agency,
        JobPatch {
            delivery: Some(report),
            ..JobPatch::default()
        },
        (JobEvent::Delivered, format!("提交成果,报告编号 {number}")),
    )
    .await
    .map(Json)
}

#[utoipa::path(
    post,
    path = "/api/jobs/{id}/acceptance",
    tag = "jobs",
    summary = "项目业主验收或退回成果",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = AcceptanceRequest,
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
async fn accept_delivery(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<AcceptanceRequest>,
) -> ApiResult<Json<JobView>> {
    let job = load(&state, id).await?;
    owned_by(&job, &user)?;
    if request.accepted {
        step(
            &state,
            &job,
            JobAction::Accept,
            Actor::Enterprise,
            JobPatch::default(),
            (JobEvent::Accepted, "业主验收通过".to_string()),
        )
        .await
        .map(Json)
    } else {
        let reason = text_field("reason", &request.reason, 2, 1000)?;
        step(
            &state,
            &job,
            JobAction::ReturnDelivery,
            Actor::Enterprise,
            JobPatch::default(),
            (JobEvent::Returned, format!("业主退回成果:{reason}")),
        )
        .await
        .map(Json)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("每项评分应为 1–5 分")]
struct ScoreRange;

impl Violation for ScoreRange {
    fn code(&self) -> &'static str {
        "score_range"
    }
    fn message(&self, locale: Locale) -> String {
        match locale {
            Locale::ZhCn => self.to_string(),
            Locale::En => "Each score is 1 to 5".into(),
        }
    }
}

#[utoipa::path(
    post,
    path = "/api/jobs/{id}/rating",
    tag = "jobs",
    summary = "项目业主评价服务",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = RatingRequest,
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
async fn rate_job(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(rating): ApiJson<RatingRequest>,
) -> ApiResult<Json<JobView>> {
    let job = load(&state, id).await?;
    owned_by(&job, &user)?;
    let scores = [
        rating.quality,
        rating.timeliness,
        rating.attitude,
        rating.fee_compliance,
        rating.integrity,
    ];
    if scores.iter().any(|s| !(1..=5).contains(s)) {
        return Err(ApiError::field(FieldError::new("quality", &ScoreRange)));
    }
    text_field("comment", &rating.comment, 2, 1000)?;
    let agency_id = job
        .view
        .award
        .as_ref()
        .map(|a| a.agency_id)
        .ok_or(ApiError::NotFound)?;
    job.view
        .state
        .apply(JobAction::Rate, Actor::Enterprise)
        .map_err(|_| conflict("invalid_transition", "验收通过后方可评价,且只能评价一次"))?;
    if !state
        .store
        .rate_job(job.view.id, agency_id, rating, state.clock.now())
        .await?
    {
        return Err(conflict(
            "invalid_transition",
            "验收通过后方可评价,且只能评价一次",
        ));
    }
    Ok(Json(load(&state, job.view.id).await?.view))
}

#[utoipa::path(
    post,
    path = "/api/jobs/{id}/rating/reply",
    tag = "jobs",
    summary = "机构回复评价",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = ReplyRequest,
    responses((status = 204, description = "已完成")),
    security(("session" = [])),
)]
async fn reply_rating(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<ReplyRequest>,
) -> ApiResult<StatusCode> {
    let job = load(&state, id).await?;
    let agency_id = winner(&state, &user, &job).await?;
    let reply = text_field("reply", &request.reply, 2, 1000)?;
    if state
        .store
        .reply_rating(job.view.id, agency_id, reply, state.clock.now())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(conflict("already_replied", "每条评价只能回复一次"))
    }
}

/// Opens every job whose deadline has passed; the server runs this every few seconds so that
/// results do not wait for a reader.
pub async fn settle_due_jobs(state: &AppState) -> ApiResult<usize> {
    let now = state.clock.now();
    let due = state.store.due_jobs(now).await?;
    for id in &due {
        state.store.settle_job(*id, now).await?;
    }
    Ok(due.len())
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
struct CancelRequest {
    /// 终止理由,将公示。
    #[schema(min_length = 2, max_length = 500)]
    reason: String,
}

#[utoipa::path(
    post,
    path = "/api/jobs/{id}/cancel",
    tag = "jobs",
    summary = "终止项目(须说明理由)",
    params(("id" = i64, Path, description = "项目编号")),
    request_body = CancelRequest,
    responses((status = 200, description = "成功", body = JobView)),
    security(("session" = [])),
)]
async fn cancel_job(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<CancelRequest>,
) -> ApiResult<Json<JobView>> {
    let job = load(&state, id).await?;
    owned_by(&job, &user)?;
    let reason = text_field("reason", &request.reason, 2, 500)?;
    if !state
        .store
        .cancel_job(job.view.id, reason, state.clock.now())
        .await?
    {
        return Err(conflict(
            "invalid_transition",
            "已选定中选机构的项目不能撤销",
        ));
    }
    Ok(Json(load(&state, job.view.id).await?.view))
}

/// Reposts an unsuccessful or cancelled job as a new draft, linked to the old one.
#[utoipa::path(
    post,
    path = "/api/jobs/{id}/repost",
    tag = "jobs",
    summary = "将流标或终止的项目重新发布为新草稿",
    params(("id" = i64, Path, description = "项目编号")),
    responses((status = 201, description = "已创建", body = JobView)),
    security(("session" = [])),
)]
async fn repost_job(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<(StatusCode, Json<JobView>)> {
    let job = load(&state, id).await?;
    owned_by(&job, &user)?;
    if !matches!(job.view.state, JobState::Unsuccessful | JobState::Cancelled) {
        return Err(conflict(
            "invalid_transition",
            "只有流标或已撤销的项目可以重新发布",
        ));
    }
    let now = state.clock.now();
    let new_id = state
        .store
        .create_job(user.user_id, job.view.terms.clone(), now)
        .await?;
    state.store.link_repost(new_id, job.view.id).await?;
    state
        .store
        .append_job_event(JobLine::new(
            new_id,
            now,
            Actor::Enterprise,
            JobEvent::RepostedFrom,
            format!("由项目 {} 重新发布", job.view.id),
        ))
        .await?;
    state
        .store
        .append_job_event(JobLine::new(
            job.view.id,
            now,
            Actor::Enterprise,
            JobEvent::RepostedAs,
            format!("已重新发布为项目 {new_id}"),
        ))
        .await?;
    let created = state.store.job(new_id).await?.ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(created.view)))
}
