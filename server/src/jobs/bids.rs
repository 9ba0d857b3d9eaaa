//! Sealed bids: who may bid, placing, changing and withdrawing a bid before the deadline, and
//! the bids' disclosure after opening.

use super::service::{load, visible_to};
use crate::auth::CurrentUser;
use crate::error::{words, ApiError, ApiResult, Words};
use crate::http::json::ApiJson;
use crate::http::path::PathId;
use crate::state::AppState;
use crate::store::{BidRefusal, BidWrite, JobFilter, JobRecord, NewBid};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use market_domain::bid::eligibility;
use market_domain::job::JobState;
use market_domain::selection::{fee_flags, DEFAULT_FLOOR_RATIO_BP};
use market_domain::wire::{BidEligibility, BidRequest, BidView, MyJobs};
use market_domain::{Locale, Money, Role, ServiceType};

pub(super) const SEALED: ApiError = ApiError::Forbidden {
    code: "bids_sealed",
    message: words(
        "报价在截止前密封,仅报价机构本人可查看自己的报价",
        "Bids are sealed until the deadline; only a bidder can see its own bid",
    ),
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
pub(super) async fn list_bids(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<BidView>>> {
    let job = load(&state, id).await?;
    visible_to(&job, user.as_ref())?;
    let user = user.ok_or(SEALED)?;
    let sealed = !job.view.state.bids_opened();
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

pub(super) fn not_eligible(code: &'static str, message: Words) -> ApiError {
    ApiError::Forbidden { code, message }
}

/// The signed-in agency's id and public record; refused when it is not listed.
pub(super) async fn own_agency(
    state: &AppState,
    user: &CurrentUser,
) -> ApiResult<(i64, market_domain::wire::AgencyDetail)> {
    let agency_id = crate::listings::own_agency(state, user).await?;
    let agency = state
        .store
        .agency_detail(agency_id, state.today())
        .await?
        .ok_or_else(|| {
            not_eligible(
                "agency_not_listed",
                words(
                    "机构尚未通过入驻审核,不能报价",
                    "The agency is not yet approved and cannot bid",
                ),
            )
        })?;
    Ok((agency_id, agency))
}

/// The bidding agency, if it may bid on this job at all; otherwise why not.
pub(super) async fn eligible_agency(
    state: &AppState,
    user: &CurrentUser,
    job: &JobRecord,
) -> ApiResult<(i64, market_domain::wire::AgencyDetail)> {
    let (agency_id, agency) = own_agency(state, user).await?;
    eligibility(agency_id, &agency, &job.view.terms).map_err(|reason| {
        not_eligible(
            reason.code(),
            words(reason.message(Locale::ZhCn), reason.message(Locale::En)),
        )
    })?;
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
pub(super) async fn get_eligibility(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<Json<BidEligibility>> {
    let job = load(&state, id).await?;
    visible_to(&job, Some(&user))?;
    let (agency_id, agency) = own_agency(&state, &user).await?;
    let refusal = eligibility(agency_id, &agency, &job.view.terms).err();
    let (code, message) = match refusal {
        Some(reason) => (
            Some(reason.code().to_owned()),
            Some(reason.message_zh().to_owned()),
        ),
        None => (None, None),
    };
    let service = ServiceType::parse(&job.view.terms.service_type);
    let fee_standard = agency
        .profile
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
        reason: refusal,
        fee_standard,
        floor_ratio_bp: DEFAULT_FLOOR_RATIO_BP,
        own_bid,
    }))
}

/// How many jobs each personal list shows; the rest are one link away (`/api/jobs?mine=1`).
pub const MY_JOBS_SHOWN: u32 = 20;

/// How many of the newest open jobs in an agency's services are checked for eligibility.
const QUALIFIED_CHECKED: u32 = 40;

/// An enterprise's newest jobs; an agency's newest open jobs it may bid on ("jobs I qualify
/// for") and the jobs it has bid on, each with its total. Regulators use the public list.
#[utoipa::path(
    get,
    path = "/api/my/jobs",
    tag = "jobs",
    summary = "我的项目:业主的项目;机构可报名的项目与已报价项目(各列最新 20 个及总数)",
    responses((status = 200, description = "成功", body = MyJobs)),
    security(("session" = [])),
)]
pub(super) async fn list_my_jobs(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<MyJobs>> {
    let filter = JobFilter {
        page: 1,
        per_page: MY_JOBS_SHOWN,
        ..JobFilter::default()
    };
    match user.role {
        Role::Enterprise => {
            let owned = state
                .store
                .list_jobs(&JobFilter {
                    owner: Some(user.user_id),
                    ..filter
                })
                .await?;
            Ok(Json(MyJobs {
                owned_total: owned.total,
                owned: owned.items,
                ..MyJobs::default()
            }))
        }
        Role::Agency => {
            let (agency_id, agency) = own_agency(&state, &user).await?;
            let bidding = state
                .store
                .list_jobs(&JobFilter {
                    bidder: Some(agency_id),
                    ..filter.clone()
                })
                .await?;
            let open = state
                .store
                .list_jobs(&JobFilter {
                    state: Some(JobState::Published),
                    any_service: agency.profile.service_types.clone(),
                    per_page: QUALIFIED_CHECKED,
                    ..filter
                })
                .await?;
            // Every candidate's terms in one read, rather than one read per job.
            let terms = state
                .store
                .job_terms(open.items.iter().map(|summary| summary.id).collect())
                .await?;
            let qualified: Vec<_> = open
                .items
                .into_iter()
                .filter(|summary| {
                    !bidding.items.iter().any(|b| b.id == summary.id)
                        && terms
                            .get(&summary.id)
                            .is_some_and(|terms| eligibility(agency_id, &agency, terms).is_ok())
                })
                .take(MY_JOBS_SHOWN as usize)
                .collect();
            Ok(Json(MyJobs {
                qualified,
                bidding_total: bidding.total,
                bidding: bidding.items,
                ..MyJobs::default()
            }))
        }
        Role::Regulator | Role::ApprovalOfficer => Err(ApiError::Forbidden {
            code: "forbidden_role",
            message: words(
                "监管部门请在采购公告列表中查看全部项目",
                "Regulators see every job in the procurement notices list",
            ),
        }),
    }
}

pub(super) fn refusal(refusal: BidRefusal) -> ApiError {
    match refusal {
        BidRefusal::NotOpen => ApiError::Conflict {
            code: "job_not_open",
            message: words("该项目未在报名期", "This job is not taking bids"),
            field: None,
        },
        BidRefusal::DeadlinePassed => ApiError::Conflict {
            code: "deadline_passed",
            message: words(
                "报名已截止,不再接受报价",
                "The bid deadline has passed; no more bids are taken",
            ),
            field: None,
        },
        BidRefusal::AlreadyBid => ApiError::Conflict {
            code: "already_bid",
            message: words(
                "每家机构对同一项目只能报价一次,如需调整请修改已有报价",
                "An agency bids once per job; edit your existing bid instead",
            ),
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
        .profile
        .fee_standards
        .iter()
        .find(|f| f.service_type() == terms.service_type)
        .and_then(|f| fee_flags(price, f, &terms.facts, DEFAULT_FLOOR_RATIO_BP).ok())
        .unwrap_or_default()
}

pub(super) async fn new_bid(
    state: &AppState,
    user: &CurrentUser,
    job: &JobRecord,
    request: &BidRequest,
) -> ApiResult<(i64, NewBid)> {
    let (agency_id, agency) = eligible_agency(state, user, job).await?;
    let bid = request
        .parse(job.view.terms.budget_ceiling)
        .map_err(ApiError::Validation)?;
    let terms = job.view.terms.parse().map_err(ApiError::Validation)?;
    let flags = bid_flags(&agency, &terms, bid.price);
    Ok((
        agency_id,
        NewBid {
            price: bid.price,
            service_days: bid.service_days,
            commitment: bid.commitment.into_string(),
            proposal: bid.proposal.into_string(),
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
pub(super) async fn create_bid(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<BidRequest>,
) -> ApiResult<(StatusCode, Json<BidView>)> {
    let stored = save_bid(&state, &user, id, &request, BidWrite::Place).await?;
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
pub(super) async fn update_bid(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
    ApiJson(request): ApiJson<BidRequest>,
) -> ApiResult<Json<BidView>> {
    save_bid(&state, &user, id, &request, BidWrite::Revise)
        .await
        .map(Json)
}

/// Checks the bid against the job and the bidder, then writes it.
async fn save_bid(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    request: &BidRequest,
    write: BidWrite,
) -> ApiResult<BidView> {
    let job = load(state, id).await?;
    visible_to(&job, Some(user))?;
    let (agency_id, bid) = new_bid(state, user, &job, request).await?;
    state
        .store
        .put_bid(job.view.id, agency_id, bid, write, state.clock.now())
        .await?
        .map_err(refusal)
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
pub(super) async fn withdraw_bid(
    State(state): State<AppState>,
    user: CurrentUser,
    PathId(id): PathId,
) -> ApiResult<StatusCode> {
    let job = load(&state, id).await?;
    visible_to(&job, Some(&user))?;
    let agency_id = crate::listings::own_agency(&state, &user).await?;
    state
        .store
        .withdraw_bid(job.view.id, agency_id, state.clock.now())
        .await?
        .map_err(refusal)?;
    Ok(StatusCode::NO_CONTENT)
}
